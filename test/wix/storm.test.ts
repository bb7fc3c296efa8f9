import { afterEach, describe, expect, it } from 'vitest';
import { EMULATOR_INSTANCES, SEED_IDS } from '../../src/sandbox/wix-emulator.js';
import { WixApiError } from '../../src/wix/errors.js';
import { getOrderTool, runTool } from '../../src/wix/tools/index.js';
import { startHarness, type Harness } from './support.js';

const RATE = { limit: 20, windowMs: 1000 };
const site = EMULATOR_INSTANCES.coffee;
const orderId = SEED_IDS.coffee.orders.priyaNew;

let h: Harness;
afterEach(async () => {
  await h.close();
});
const siteRequests = () =>
  h.emulator.requests.filter((r) => r.instanceId === site && r.path !== '/oauth2/token');

describe('429 storm', () => {
  it('one call waits out the storm, each retry no sooner than its backoff', async () => {
    // random = 1: every backoff is its cap, 200, 400, 800, 1600 ms.
    h = await startHarness({
      emulator: { rateLimit: RATE },
      limiter: { ...RATE, burst: 1 },
      client: { random: () => 1, retry: { rateLimitBaseMs: 200, rateLimitMaxMs: 1600 } },
    });
    await h.auth.authorize(site);
    h.emulator.setFault({ instanceId: site, rateLimitStormMs: 1500 });
    const result = await runTool(getOrderTool, h.ctx(site), { orderId });
    expect(result.id).toBe(orderId);

    // Attempts at +0, +200, +600, +1400, +3000 ms: four fall in the 1.5 s storm when the first leaves at
    // once, three when a busy machine delays it by 100 ms or more; either way the call keeps waiting.
    const attempts = siteRequests();
    const statuses = attempts.map((r) => r.status);
    expect(statuses.at(-1)).toBe(200);
    expect(statuses.slice(0, -1)).toEqual(statuses.slice(0, -1).map(() => 429));
    expect(statuses.length).toBeGreaterThanOrEqual(4);
    const gaps = attempts.slice(1).map((r, i) => r.time - attempts[i]!.time);
    [200, 400, 800, 1600]
      .slice(0, gaps.length)
      .forEach((backoff, i) => expect(gaps[i]).toBeGreaterThanOrEqual(backoff - 2));
  });

  it(
    '30 concurrent tool calls ride out a 2 s storm: none fails, the site stays quiet after each 429',
    { timeout: 20_000 },
    async () => {
      // random = 0.5: the first penalty of a call is 100 ms, so the site can see at most one request per 100 ms.
      h = await startHarness({
        emulator: { rateLimit: RATE },
        limiter: { ...RATE, burst: 1 },
        client: {
          random: () => 0.5,
          retry: { rateLimitBaseMs: 200, rateLimitMaxMs: 2000, maxRateLimitRetries: 20 },
        },
      });
      await h.auth.authorize(site);
      const stormMs = 2000;
      h.emulator.setFault({ instanceId: site, rateLimitStormMs: stormMs });
      const stormEnd = Date.now() + stormMs;
      const results = await Promise.allSettled(
        Array.from({ length: 30 }, () => runTool(getOrderTool, h.ctx(site), { orderId })),
      );

      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const requests = siteRequests();
      // Counted by the emulator's answers, not by the clock: a request that arrives just before the storm
      // ends may be answered after it on a busy machine.
      const refused = requests.filter((r) => r.status === 429);
      expect(refused.every((r) => r.time < stormEnd + 100)).toBe(true);
      // The limiter alone would let 19/s through: ~38 requests in the storm. Site-wide penalties keep it to <= 1 per 100 ms.
      expect(refused.length).toBeLessThanOrEqual(stormMs / 100 + 2);
      expect(requests.filter((r) => r.status === 200)).toHaveLength(30);
      expect(h.emulator.rate(site).maxInWindow).toBeLessThanOrEqual(RATE.limit);
    },
  );

  it('with Retry-After, nothing is sent to the site before the named time', { timeout: 20_000 }, async () => {
    h = await startHarness({ emulator: { rateLimit: RATE }, limiter: { ...RATE, burst: 1 } });
    await h.auth.authorize(site);
    h.emulator.setFault({ instanceId: site, rateLimitStormMs: 1500, retryAfter: 'seconds' });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => runTool(getOrderTool, h.ctx(site), { orderId })),
    );
    expect(results).toHaveLength(10);
    const requests = siteRequests();
    const refusals = requests.filter((r) => r.status === 429);
    for (const refusal of refusals) {
      const answeredAt = refusal.time + refusal.durationMs;
      const tooSoon = requests.filter((r) => r.time > answeredAt && r.time < refusal.time + 990);
      expect(tooSoon).toEqual([]);
    }
    expect(refusals.length).toBeLessThanOrEqual(3);
  });

  it('a storm longer than the deadline ends the call with a retryable DEADLINE, never a 429', async () => {
    h = await startHarness({
      emulator: { rateLimit: RATE },
      limiter: { ...RATE, burst: 1 },
      client: { random: () => 1, retry: { rateLimitBaseMs: 400, rateLimitMaxMs: 1600 } },
    });
    h.emulator.setFault({ instanceId: site, rateLimitStormMs: 10_000 });
    const started = Date.now();
    const error = await runTool(getOrderTool, h.ctx(site, { deadline: Date.now() + 1000 }), {
      orderId,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WixApiError);
    expect(error).toMatchObject({ code: 'DEADLINE', retryable: true, status: 0 });
    // 429 at ~0 (wait 400), at ~400 (wait 800 would end at ~1200 > deadline): given up at once.
    expect(Date.now() - started).toBeLessThan(700);
    expect(siteRequests().map((r) => r.status)).toEqual([429, 429]);
  });
});

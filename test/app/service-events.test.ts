/**
 * The service announces what happens (src/app/events.ts) instead of being wrapped: webhooks answered,
 * events published, deliveries settled with the bus's own verdict, dead letters. The testing kit, the
 * sandbox, the console's arrivals log and the demo listen to these.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DeliverySettled } from '../../src/app/events.js';
import { RetryRunError } from '../../src/calls/errors.js';
import type { EventHandler } from '../../src/consumers/event-handler.js';
import { loadFixtures } from '../../src/sandbox/fixtures.js';
import { signWebhook } from '../../src/webhooks/sign.js';
import { fixturesDir, rsKey } from '../support/keys.js';
import { startTestService } from '../support/service.js';

const [fixture] = loadFixtures([`${fixturesDir}/order-created.multi-item.json`]);
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

/** A plain handler on order_created that fails with `errors` in turn, then succeeds. */
function failingThen(errors: Error[]): EventHandler {
  return {
    name: 'flaky',
    on: 'order_created',
    async handle() {
      const error = errors.shift();
      if (error) throw error;
    },
  };
}

async function serve(env: Record<string, string>, handler: EventHandler) {
  const t = await startTestService(
    { RETRY_BASE_MS: '10', RETRY_MAX_MS: '20', ...env },
    { handlers: [handler] },
  );
  stops.push(() => t.service.stop());
  const settled: DeliverySettled[] = [];
  t.service.events.on('settled', (s) => settled.push(s));
  return { ...t, settled };
}

describe('service events', () => {
  it('announce the webhook and the published event, carrying the event', async () => {
    const t = await serve({}, failingThen([]));
    const webhook = t.service.events.next('webhook');
    const published = t.service.events.next('published');
    const response = await fetch(t.webhookUrl, {
      method: 'POST',
      body: await signWebhook(fixture!.webhook, rsKey),
    });
    expect(response.status).toBe(200);
    const answered = await webhook;
    expect(answered.outcome).toBe('published');
    expect((await published).id).toBe('eventId' in answered ? answered.eventId : undefined);
    expect('event' in answered && answered.event?.entity).toMatchObject({ id: expect.any(String) });
  });

  it("settle a delivery by the bus's verdict: a retry that uses no attempt is not the end, even at MAX_ATTEMPTS=1", async () => {
    const inFlight = new RetryRunError('a write of this event is in flight elsewhere', {
      code: 'WRITE_IN_FLIGHT',
      countsAsAttempt: false,
    });
    const t = await serve({ MAX_ATTEMPTS: '1' }, failingThen([inFlight]));
    const handled = t.service.events.next('settled', (s) => s.outcome === 'handled');
    await fetch(t.webhookUrl, { method: 'POST', body: await signWebhook(fixture!.webhook, rsKey) });
    await handled;
    expect(t.settled.map((s) => [s.outcome, s.attempt, s.decision?.action])).toEqual([
      ['retry', 1, 'retry'],
      ['handled', 1, undefined],
    ]);
    expect(t.settled[0]!.decision).toMatchObject({ counted: false });
  });

  it('settle a counted failure at MAX_ATTEMPTS as dead-lettered, announced and counted', async () => {
    const t = await serve({ MAX_ATTEMPTS: '1' }, failingThen([new Error('boom')]));
    const dead = t.service.events.next('dead_lettered');
    const settled = t.service.events.next('settled');
    await fetch(t.webhookUrl, { method: 'POST', body: await signWebhook(fixture!.webhook, rsKey) });
    expect(await dead).toEqual({ reason: 'max_attempts' });
    expect(await settled).toMatchObject({
      outcome: 'dead_letter',
      attempt: 1,
      error: expect.stringContaining('boom'),
    });
    expect(await t.service.registry.getSingleMetricAsString('wix_dead_letters_total')).toMatch(
      /reason="max_attempts"\} 1/,
    );
  });

  it('keep a listener that throws away from the service', async () => {
    const t = await serve({}, failingThen([]));
    t.service.events.on('webhook', () => {
      throw new Error('listener bug');
    });
    const handled = t.service.events.next('settled');
    const response = await fetch(t.webhookUrl, {
      method: 'POST',
      body: await signWebhook(fixture!.webhook, rsKey),
    });
    expect(response.status).toBe(200);
    expect((await handled).outcome).toBe('handled');
    expect(t.logs.records().some((r) => r.msg === 'a service event listener failed')).toBe(true);
  });
});

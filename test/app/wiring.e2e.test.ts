/**
 * Hooks are wired where they are declared: the embedded bus's dead letters move `wix_dead_letters_total`,
 * and its loop errors reach the log (as described errors) and `wix_bus_loop_errors_total`.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../src/webhooks/sign.js';
import { fixture } from '../support/agent-env.js';
import { rsKey } from '../support/keys.js';
import { startTestService } from '../support/service.js';
import { waitFor } from '../support/wait.js';

type TestService = Awaited<ReturnType<typeof startTestService>>;

const metric = async (t: TestService, line: RegExp) => {
  const text = await t.service.registry.metrics();
  return Number(line.exec(text)?.[1] ?? 0);
};

describe('embedded bus wiring', () => {
  let t: TestService;
  beforeAll(async () => {
    // A plain handler, so a subscriber loop runs (no agents needed).
    t = await startTestService(
      {},
      { handlers: [{ name: 'noop', on: 'order_created', handle: async () => {} }] },
    );
  });
  afterAll(async () => {
    await t?.service.stop();
  });

  it('counts dead letters in wix_dead_letters_total', async () => {
    const invalid = structuredClone(fixture('order-created.invalid-missing-id-and-time'));
    (invalid.webhook.data as Record<string, unknown>).id = randomUUID();
    const before = await metric(t, /^wix_dead_letters_total\{reason="invalid_envelope"\} (\d+)/m);
    const res = await fetch(t.webhookUrl, {
      method: 'POST',
      body: await signWebhook(invalid.webhook, rsKey),
    });
    expect(res.status).toBe(200);
    expect(await metric(t, /^wix_dead_letters_total\{reason="invalid_envelope"\} (\d+)/m)).toBe(before + 1);
  });

  it('logs loop errors once, as described errors, and counts each', async () => {
    // The queue table disappearing makes every poll of the subscriber loop fail.
    await t.service.store.exec('ALTER TABLE bus_events RENAME TO bus_events_gone');
    try {
      await waitFor(
        async () => (await metric(t, /^wix_bus_loop_errors_total\{bus="embedded"\} (\d+)/m)) >= 3,
        {
          timeoutMs: 20_000,
          message: 'loop errors counted',
        },
      );
      const logged = t.logs.records().filter((r) => r.msg === 'embedded bus loop error (it keeps going)');
      expect(logged.length).toBeGreaterThanOrEqual(1);
      expect(logged.length).toBeLessThan(
        await metric(t, /^wix_bus_loop_errors_total\{bus="embedded"\} (\d+)/m),
      );
      expect(logged[0]!.error).toMatch(/bus_events/);
      expect(logged[0]).not.toHaveProperty('err');
    } finally {
      await t.service.store.exec('ALTER TABLE bus_events_gone RENAME TO bus_events');
    }
  });
});

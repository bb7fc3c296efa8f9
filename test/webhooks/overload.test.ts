import { describe, expect, it } from 'vitest';
import { createEmbeddedBus } from '../../src/bus/embedded.js';
import type { Bus } from '../../src/bus/port.js';
import { loadFixtures } from '../../src/sandbox/fixtures.js';
import { signWebhook } from '../../src/webhooks/sign.js';
import { fixturesDir, rsKey } from '../support/keys.js';
import { startTestService } from '../support/service.js';

describe('ingress past its capacity', () => {
  it('sheds load with an immediate 503 + Retry-After, and recovers without a restart', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let slow = true;
    const t = await startTestService(
      { WEBHOOK_MAX_IN_FLIGHT: '4', WEBHOOK_PUBLISH_TIMEOUT_MS: '10000' },
      {
        bus: ({ store, topics }) => {
          const real = createEmbeddedBus({ store, topics });
          const gated: Bus = {
            ...real,
            publish: async (e, o) => (slow ? gate.then(() => real.publish(e, o)) : real.publish(e, o)),
          };
          return gated;
        },
      },
    );
    try {
      const [template] = loadFixtures([`${fixturesDir}/order-created.multi-item.json`]);
      const bodies = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          signWebhook(
            { ...template!.webhook, data: { ...(template!.webhook.data as object), id: `overload-${i}` } },
            rsKey,
          ),
        ),
      );
      const order: number[] = [];
      const requests = bodies.map((body) =>
        fetch(t.webhookUrl, { method: 'POST', body }).then(async (r) => {
          order.push(r.status);
          return { status: r.status, retryAfter: r.headers.get('retry-after') };
        }),
      );
      // The four admitted requests wait on the bus; the other 36 must be answered while they still wait.
      await new Promise((r) => setTimeout(r, 50));
      while (order.length < 36) await new Promise((r) => setTimeout(r, 10));
      expect(order).toEqual(order.map(() => 503));
      release();
      const results = await Promise.all(requests);
      expect(results.filter((r) => r.status === 200)).toHaveLength(4);
      expect(
        results.filter((r) => r.status === 503).every((r) => r.retryAfter && Number(r.retryAfter) > 0),
      ).toBe(true);

      slow = false;
      const after = await fetch(t.webhookUrl, { method: 'POST', body: bodies[39]! });
      expect(after.status).toBe(200);
      expect(await t.service.registry.getSingleMetricAsString('wix_webhook_requests_total')).toContain(
        'outcome="unavailable"} 36',
      );
    } finally {
      release();
      await t.service.stop();
    }
  });
});

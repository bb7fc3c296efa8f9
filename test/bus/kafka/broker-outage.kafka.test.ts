import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EventHandler } from '../../../src/consumers/event-handler.js';
import { signWebhook } from '../../../src/webhooks/sign.js';
import { fixture } from '../../support/agent-env.js';
import { describeMockd, startMockd, type Mockd } from '../../support/kafka-mockd.js';
import { rsKey } from '../../support/keys.js';
import { startTestService } from '../../support/service.js';
import { waitFor } from '../../support/wait.js';
import { makeEvent } from '../../support/events.js';
import { metricSum, openTestBus, uniqueName } from './helpers.js';

describeMockd('Kafka broker faults', () => {
  let mockd: Mockd;
  beforeAll(async () => {
    mockd = await startMockd(1);
  });
  afterAll(async () => mockd?.stop());

  it('the broker goes down and comes back: answers 503 while it is down, nothing acknowledged is lost, and every event is handled once', async () => {
    const handled: string[] = [];
    const recorder: EventHandler = {
      name: 'record',
      on: 'order_created',
      handle: async (e) => void handled.push(e.id),
    };
    const t = await startTestService(
      {
        KAFKA_BROKERS: mockd.bootstrap,
        KAFKA_TOPIC_PREFIX: `${uniqueName('outage')}.`,
        KAFKA_GROUP_ID: uniqueName('group'),
        KAFKA_IDEMPOTENT: 'false',
        KAFKA_ALLOW_AUTO_CREATE_TOPICS: 'true',
        KAFKA_SESSION_TIMEOUT_MS: '6000',
        WEBHOOK_PUBLISH_TIMEOUT_MS: '1000',
      },
      { handlers: [recorder] },
    );
    const base = fixture('order-created.multi-item').webhook;
    const webhook = () => ({ ...base, data: { ...(base.data as object), id: randomUUID() } });
    /** What Wix does: deliver, and retry until it sees a 200. */
    const deliverUntilAccepted = async (w: ReturnType<typeof webhook>) => {
      const statuses: number[] = [];
      const body = await signWebhook(w, rsKey);
      for (;;) {
        const status = await fetch(t.webhookUrl, { method: 'POST', body }).then((r) => r.status);
        statuses.push(status);
        if (status === 200) return statuses;
        await new Promise((r) => setTimeout(r, 300));
      }
    };
    try {
      const before = Array.from({ length: 5 }, webhook);
      for (const w of before) expect(await deliverUntilAccepted(w)).toEqual([200]);
      await waitFor(() => handled.length === 5, { timeoutMs: 20_000 });

      await mockd.cmd('down 1');
      const during = Array.from({ length: 5 }, webhook);
      const first = await fetch(t.webhookUrl, { method: 'POST', body: await signWebhook(during[0]!, rsKey) });
      expect(first.status).toBe(503);
      expect(first.headers.get('retry-after')).toBeTruthy();
      const retried = during.map((w) => deliverUntilAccepted(w)); // Wix keeps retrying
      await new Promise((r) => setTimeout(r, 2500));
      await mockd.cmd('up 1');
      const statuses = await Promise.all(retried);
      expect(statuses.every((s) => s.at(-1) === 200)).toBe(true);

      const ids = [...before, ...during].map((w) => (w.data as { id: string }).id);
      await waitFor(() => ids.every((id) => handled.includes(id)), {
        timeoutMs: 60_000,
        message: 'all handled',
      });
      await new Promise((r) => setTimeout(r, 1000));
      const counts = ids.map((id) => handled.filter((h) => h === id).length);
      expect(counts.every((n) => n === 1)).toBe(true);
      const metrics = await t.service.registry.getSingleMetricAsString('wix_webhook_requests_total');
      expect(metrics).toMatch(/outcome="unavailable"} [1-9]/);
    } finally {
      await t.service.stop();
    }
  }, 120_000);

  it('a consumer kafkajs gives up on (a group error it does not retry) is replaced and goes on consuming', async () => {
    // librdkafka's mock answers a follower's SyncGroup that arrives after the leader's with INVALID_REQUEST
    // (42); kafkajs stops the consumer for good after such an error, and a worker used to go on running
    // without consuming anything. One injected here, on the next SyncGroup.
    await mockd.cmd('errors 14 42');
    const t = await openTestBus(mockd.bootstrap);
    try {
      const handled: string[] = [];
      await t.bus.subscribe(['order_created'], async ({ event }) => void handled.push(event.id), {
        maxAttempts: 3,
        retryBaseMs: 10,
        retryMaxMs: 50,
      });
      const events = Array.from({ length: 5 }, () => makeEvent());
      for (const e of events) await t.bus.publish(e);
      await waitFor(() => events.every((e) => handled.includes(e.id)), {
        timeoutMs: 30_000,
        message: 'events handled by the replacement consumer',
      });
      expect(await metricSum(t.registry, 'wix_kafka_consumer_restarts_total')).toBeGreaterThanOrEqual(1);
    } finally {
      await t.bus.close();
    }
  }, 60_000);
});

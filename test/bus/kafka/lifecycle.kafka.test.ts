import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SubscribeOptions } from '../../../src/bus/port.js';
import { makeEvent } from '../../support/events.js';
import { describeKafka, startMockBroker, type MockBroker } from '../../support/kafka-broker.js';
import { waitFor } from '../../support/wait.js';
import { metricSum, openTestBus, type TestBus } from './helpers.js';

const options: SubscribeOptions = { maxAttempts: 3, retryBaseMs: 10, retryMaxMs: 50 };

describeKafka('Kafka bus: heartbeats, shutdown and redelivery', () => {
  let broker: MockBroker;
  const opened: TestBus[] = [];
  const open = async (...args: Parameters<typeof openTestBus> extends [string, ...infer R] ? R : never) => {
    const t = await openTestBus(broker.bootstrap, ...args);
    opened.push(t);
    return t;
  };

  beforeAll(async () => {
    broker = await startMockBroker();
  });
  afterAll(async () => {
    await Promise.all(opened.map((t) => t.bus.close()));
    await broker?.stop();
  });

  it.concurrent(
    'keeps a handler that runs longer than the session timeout in the group: no rebalance, delivered once',
    async () => {
      const { bus, registry, settings } = await open();
      const deliveries: string[] = [];
      const slow = makeEvent();
      const after = makeEvent({ instanceId: slow.instanceId });
      await bus.subscribe(
        ['order_created'],
        async ({ event }) => {
          deliveries.push(event.id);
          // Never calls heartbeat() itself: the adapter heartbeats on its behalf while it runs.
          if (event.id === slow.id) await new Promise((r) => setTimeout(r, settings.sessionTimeoutMs + 2000));
        },
        options,
      );
      await bus.publish(slow);
      await bus.publish(after);
      await waitFor(() => deliveries.includes(after.id), { timeoutMs: 20_000 });
      await new Promise((r) => setTimeout(r, 500)); // a redelivery of `slow` would show up here
      expect(deliveries).toEqual([slow.id, after.id]);
      expect(await metricSum(registry, 'wix_kafka_consumer_rebalances_total')).toBe(1);
    },
    30_000,
  );

  it.concurrent(
    'close aborts in-flight work after the grace period, commits, and another member redelivers it',
    async () => {
      const { bus, settings } = await open({ tuning: { closeGraceMs: 500 } });
      const done = makeEvent();
      const stuck = makeEvent({ instanceId: done.instanceId });
      const seen: string[] = [];
      const sub = await bus.subscribe(
        ['order_created'],
        async ({ event, signal }) => {
          seen.push(event.id);
          if (event.id !== stuck.id) return;
          await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
        },
        options,
      );
      await bus.publish(done);
      await bus.publish(stuck);
      await waitFor(() => seen.includes(stuck.id), { timeoutMs: 15_000 });
      const started = Date.now();
      await sub.close();
      expect(Date.now() - started).toBeLessThan(500 + 2000); // grace + stop, commit, leave

      // Another member of the same group resumes from the committed offset: `done` is not seen again.
      const second = await open({
        settings: { groupId: settings.groupId, topicPrefix: settings.topicPrefix },
      });
      const again: { id: string; attempt: number }[] = [];
      await second.bus.subscribe(
        ['order_created'],
        async (d) => void again.push({ id: d.event.id, attempt: d.attempt }),
        options,
      );
      await waitFor(() => again.length > 0, { timeoutMs: 15_000 });
      await new Promise((r) => setTimeout(r, 300));
      expect(again).toEqual([{ id: stuck.id, attempt: 1 }]);
    },
    40_000,
  );

  it.concurrent(
    'close returns within its bound even when a handler ignores the abort',
    async () => {
      const { bus } = await open({ tuning: { closeGraceMs: 300, closeTimeoutMs: 1500 } });
      let started = false;
      const sub = await bus.subscribe(
        ['order_created'],
        async () => {
          started = true;
          await new Promise(() => {}); // never settles
        },
        options,
      );
      await bus.publish(makeEvent());
      await waitFor(() => started, { timeoutMs: 15_000 });
      const t0 = Date.now();
      await sub.close();
      const took = Date.now() - t0;
      expect(took).toBeGreaterThanOrEqual(1400);
      expect(took).toBeLessThan(2500);
    },
    30_000,
  );

  it.concurrent(
    'closes an idle subscription quickly',
    async () => {
      const { bus } = await open();
      const sub = await bus.subscribe(['order_created', 'contact_created'], async () => {}, options);
      const t0 = Date.now();
      await sub.close();
      expect(Date.now() - t0).toBeLessThan(1000);
    },
    30_000,
  );
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Delivery, SubscribeOptions } from '../../../src/bus/port.js';
import { AppError } from '../../../src/errors.js';
import { makeEvent } from '../../support/events.js';
import { describeKafka, startMockBroker, type MockBroker } from '../../support/kafka-broker.js';
import { waitFor } from '../../support/wait.js';
import { metricSum, openTestBus, partitionOf, rawKafka, sitesOn, type TestBus } from './helpers.js';

const fast: SubscribeOptions = { maxAttempts: 3, retryBaseMs: 10, retryMaxMs: 50 };

describeKafka('Kafka bus: consuming', () => {
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

  // Isolated (own topics and group), and mostly waiting for the mock's 3 s group join: run side by side.
  it.concurrent(
    'keeps each site in order while partitions run concurrently',
    async () => {
      const { bus } = await open();
      const sites = Array.from({ length: 10 }, (_, i) => `site-${i}-${Math.random().toString(36).slice(2)}`);
      const got = new Map<string, number[]>();
      let running = 0;
      let maxRunning = 0;
      await bus.subscribe(
        ['order_created'],
        async ({ event }) => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          await new Promise((r) => setTimeout(r, Math.random() * 3));
          got.set(event.instanceId, [...(got.get(event.instanceId) ?? []), Number(event.entityId)]);
          running--;
        },
        { ...fast, concurrency: 4 },
      );
      // Sites publish concurrently (so publishes share batches), each site's events one after the other.
      await Promise.all(
        sites.map(async (site) => {
          for (let i = 0; i < 30; i++)
            await bus.publish(makeEvent({ instanceId: site, entityId: String(i) }));
        }),
      );
      await waitFor(() => sites.every((s) => got.get(s)?.length === 30), { timeoutMs: 20_000 });
      const inOrder = Array.from({ length: 30 }, (_, i) => i);
      for (const site of sites) expect(got.get(site)).toEqual(inOrder);
      expect(maxRunning).toBeGreaterThan(1);
    },
    30_000,
  );

  it.concurrent(
    'backs off a failing partition without holding up the others, then keeps the site in order',
    async () => {
      const { bus } = await open();
      const [slowSite] = sitesOn(0, 1);
      const others = [1, 2, 3].flatMap((p) => sitesOn(p, 1));
      const log: string[] = [];
      let firstFailure = 0;
      await bus.subscribe(
        ['order_created'],
        async ({ event, attempt }) => {
          if (event.entityId === 'slow-1' && attempt === 1) {
            firstFailure = Date.now();
            throw new AppError('rate limited', { code: 'LIMITED', retryable: true, retryAfterMs: 2500 });
          }
          log.push(`${event.entityId}@${attempt}`);
        },
        { maxAttempts: 3, retryBaseMs: 1, retryMaxMs: 5000, concurrency: 4 },
      );
      await bus.publish(makeEvent({ instanceId: slowSite, entityId: 'slow-1' }));
      await bus.publish(makeEvent({ instanceId: slowSite, entityId: 'slow-2' }));
      await waitFor(() => firstFailure > 0, { timeoutMs: 15_000 });
      for (const site of others)
        await bus.publish(makeEvent({ instanceId: site, entityId: `other-${partitionOf(site)}` }));
      await waitFor(() => log.filter((l) => l.startsWith('other')).length === 3, { timeoutMs: 2000 });
      expect(Date.now() - firstFailure).toBeLessThan(2500); // handled while slow-1 waits for its retry
      expect(log.some((l) => l.startsWith('slow'))).toBe(false);
      await waitFor(() => log.includes('slow-2@1'), { timeoutMs: 10_000 });
      expect(log.filter((l) => l.startsWith('slow'))).toEqual(['slow-1@2', 'slow-2@1']);
      expect(Date.now() - firstFailure).toBeGreaterThanOrEqual(2500);
    },
    30_000,
  );

  it.concurrent(
    'dead-letters after maxAttempts with reason, error, attempts and the original headers',
    async () => {
      const { bus, registry } = await open();
      const attempts: number[] = [];
      const poison = makeEvent();
      const next = makeEvent({ instanceId: poison.instanceId });
      const handled: string[] = [];
      await bus.subscribe(
        ['order_created'],
        async (d: Delivery) => {
          if (d.event.id !== poison.id) return void handled.push(d.event.id);
          attempts.push(d.attempt);
          throw new Error('handler broke');
        },
        fast,
      );
      await bus.publish(poison);
      await bus.publish(next);
      await waitFor(() => handled.includes(next.id), { timeoutMs: 15_000 });
      expect(attempts).toEqual([1, 2, 3]);
      const [letter] = await bus.listDeadLetters();
      expect(letter).toMatchObject({
        reason: 'max_attempts',
        error: 'handler broke',
        attempts: 3,
        eventId: poison.id,
        type: 'order_created',
        instanceId: poison.instanceId,
        payload: poison,
        headers: {
          'wix-event-id': poison.id,
          'wix-event-type': 'order_created',
          'wix-instance-id': poison.instanceId,
          'schema-version': '1',
        },
      });
      const outcome = (o: string) => (l: Record<string, string | number>) => l.outcome === o;
      expect(await metricSum(registry, 'wix_kafka_deliveries_total', outcome('retried'))).toBe(2);
      expect(await metricSum(registry, 'wix_kafka_deliveries_total', outcome('dead_lettered'))).toBe(1);
      expect(await metricSum(registry, 'wix_kafka_deliveries_total', outcome('handled'))).toBe(1);
      expect(await metricSum(registry, 'wix_kafka_dead_letters_total')).toBe(1);
    },
    30_000,
  );

  it.concurrent(
    'dead-letters an unparsable record as unparsable and moves on',
    async () => {
      const { bus, topics } = await open();
      const site = 'site-unparsable';
      const handled: string[] = [];
      await bus.subscribe(['order_created'], async (d) => void handled.push(d.event.id), fast);
      const producer = rawKafka(broker.bootstrap).producer();
      await producer.connect();
      await producer.send({
        topic: topics.forType('order_created'),
        messages: [
          { key: site, value: '{"v":1,"id":"x"', headers: { 'wix-event-id': 'x', 'wix-instance-id': site } },
        ],
      });
      await producer.disconnect();
      const after = makeEvent({ instanceId: site });
      await bus.publish(after);
      await waitFor(() => handled.includes(after.id), { timeoutMs: 15_000 });
      const [letter] = await bus.listDeadLetters();
      expect(letter).toMatchObject({
        reason: 'unparsable',
        error: expect.stringMatching(/^not JSON/),
        attempts: 1,
        eventId: 'x',
        instanceId: site,
        payload: '{"v":1,"id":"x"',
      });
      expect(handled).toEqual([after.id]);
    },
    30_000,
  );

  it.concurrent(
    'measures consumer lag per partition on scrape, and counts the group join',
    async () => {
      const { bus, registry } = await open();
      const [site] = sitesOn(2, 1);
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let handled = 0;
      await bus.subscribe(
        ['order_created'],
        async () => {
          await gate;
          handled++;
        },
        fast,
      );
      for (let i = 0; i < 5; i++) await bus.publish(makeEvent({ instanceId: site }));
      const lagOf = (p: number) =>
        metricSum(registry, 'wix_kafka_consumer_lag', (l) => l.partition === String(p));
      await waitFor(async () => (await lagOf(2)) === 5, { timeoutMs: 10_000 });
      expect(await metricSum(registry, 'wix_kafka_consumer_lag')).toBe(5);
      release();
      await waitFor(() => handled === 5, { timeoutMs: 10_000 });
      await waitFor(async () => (await lagOf(2)) === 0, { timeoutMs: 5000 });
      expect(await metricSum(registry, 'wix_kafka_consumer_rebalances_total')).toBe(1);
    },
    30_000,
  );
});

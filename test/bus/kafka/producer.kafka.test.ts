import { afterAll, beforeAll, expect, it } from 'vitest';
import { BusUnavailableError } from '../../../src/errors.js';
import { makeEvent } from '../../support/events.js';
import { describeKafka, startMockBroker, type MockBroker } from '../../support/kafka-broker.js';
import { metricSum, openDedupeStore, openTestBus, rawKafka, readRaw } from './helpers.js';

describeKafka('Kafka bus: publishing', () => {
  let broker: MockBroker;
  beforeAll(async () => {
    broker = await startMockBroker();
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('produces the event keyed by instanceId with the routing headers, to its type topic', async () => {
    const { bus, topics } = await openTestBus(broker.bootstrap);
    try {
      const event = makeEvent({ type: 'contact_created' });
      expect(await bus.publish(event)).toBe('published');
      const [record] = await readRaw(
        broker.bootstrap,
        [topics.forType('contact_created')],
        (r) => r.length === 1,
      );
      expect(record?.key).toBe(event.instanceId);
      expect(JSON.parse(record?.value ?? '')).toEqual(event);
      expect(
        Object.fromEntries(Object.entries(record?.headers ?? {}).map(([k, v]) => [k, String(v)])),
      ).toEqual({
        'wix-event-id': event.id,
        'wix-event-type': 'contact_created',
        'wix-instance-id': event.instanceId,
        'schema-version': '1',
      });
    } finally {
      await bus.close();
    }
  });

  it('batches concurrent publishes into fewer produce requests; each resolves once its batch is acked', async () => {
    const { bus, registry, topics } = await openTestBus(broker.bootstrap, { settings: { lingerMs: 5 } });
    const admin = rawKafka(broker.bootstrap).admin();
    await admin.connect();
    try {
      await bus.publish(makeEvent()); // warm: connections and metadata
      const before = await metricSum(registry, 'wix_kafka_publish_batch_size_count');
      const n = 50;
      const events = Array.from({ length: n }, () => makeEvent());
      const results = await Promise.all(
        events.map(async (e) => {
          await bus.publish(e);
          // Resolved only after the ack: the record is already below the high watermark.
          const offsets = await admin.fetchTopicOffsets(topics.forType('order_created'));
          return offsets.reduce((sum, o) => sum + Number(o.high), 0);
        }),
      );
      const batches = (await metricSum(registry, 'wix_kafka_publish_batch_size_count')) - before;
      expect(batches).toBeGreaterThanOrEqual(2);
      expect(batches).toBeLessThan(n / 5);
      expect(Math.min(...results)).toBeGreaterThanOrEqual(2); // the warm-up and at least its own batch
      const total = await admin.fetchTopicOffsets(topics.forType('order_created'));
      expect(total.reduce((sum, o) => sum + Number(o.high), 0)).toBe(n + 1);
    } finally {
      await admin.disconnect();
      await bus.close();
    }
  });

  it('sends a lone publish at once, in a batch of one', async () => {
    const { bus, registry } = await openTestBus(broker.bootstrap, { settings: { lingerMs: 200 } });
    try {
      await bus.publish(makeEvent()); // warm
      const started = performance.now();
      await bus.publish(makeEvent());
      expect(performance.now() - started).toBeLessThan(150); // no 200 ms linger when idle
      expect(await metricSum(registry, 'wix_kafka_publish_batch_size_sum')).toBe(2);
      expect(await metricSum(registry, 'wix_kafka_publish_batch_size_count')).toBe(2);
    } finally {
      await bus.close();
    }
  });

  it('dedupes through accepted_events when a store is given', async () => {
    const store = await openDedupeStore();
    const { bus } = await openTestBus(broker.bootstrap, { store });
    try {
      const event = makeEvent();
      expect(await bus.publish(event)).toBe('published');
      expect(await bus.publish(event)).toBe('duplicate');
      const { rows } = await store.query('SELECT event_id FROM accepted_events');
      expect(rows).toEqual([{ event_id: event.id }]);
    } finally {
      await bus.close();
      await store.close();
    }
  });

  it('always answers published without a store', async () => {
    const { bus } = await openTestBus(broker.bootstrap);
    try {
      const event = makeEvent();
      expect(await bus.publish(event)).toBe('published');
      expect(await bus.publish(event)).toBe('published');
    } finally {
      await bus.close();
    }
  });

  it('rejects with BusUnavailableError when the signal aborts before the ack', async () => {
    const { bus, registry } = await openTestBus(broker.bootstrap);
    try {
      await expect(bus.publish(makeEvent(), { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
        BusUnavailableError,
      );
      const controller = new AbortController();
      const publishing = bus.publish(makeEvent(), { signal: controller.signal });
      controller.abort();
      await expect(publishing).rejects.toBeInstanceOf(BusUnavailableError);
      expect(
        await metricSum(registry, 'wix_kafka_publish_duration_seconds_count', (l) => l.outcome === 'failed'),
      ).toBe(2);
    } finally {
      await bus.close();
    }
  });

  it('answers ping, and publish fails with BusUnavailableError once closed', async () => {
    const { bus } = await openTestBus(broker.bootstrap);
    await bus.ping();
    await bus.close();
    await expect(bus.publish(makeEvent())).rejects.toBeInstanceOf(BusUnavailableError);
  });
});

/**
 * Publish throughput and latency on the Kafka bus, with micro-batching (lingerMs 2) and without
 * (lingerMs 0: one produce request per publish), at 50 concurrent publishers, against librdkafka's
 * mock broker (kcat). acks = all in-sync replicas, no dedupe store.
 *
 *   node --import tsx bench/ingress-kafka-batching.ts [--events 10000] [--publishers 50]
 *
 * Prints a table, then one JSON object with the figures as the last line.
 */
import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';
import { createKafkaBus } from '../src/bus/kafka.js';
import { eventTypes } from '../src/domain/events.js';
import { topicsFor } from '../src/domain/topics.js';
import { makeEvent } from '../test/support/events.js';
import { startMockBroker } from '../test/support/kafka-broker.js';
import { metricSum, testLogger, testSettings, testTuning } from '../test/bus/kafka/helpers.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '10000' },
    publishers: { type: 'string', default: '50' },
  },
});
const totalEvents = Number(values.events);
const publishers = Number(values.publishers);

interface Figures {
  mode: string;
  lingerMs: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  requests: number;
  meanBatch: number;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

async function run(bootstrap: string, mode: string, lingerMs: number): Promise<Figures> {
  const settings = testSettings(bootstrap, { lingerMs });
  const registry = new Registry();
  const bus = await createKafkaBus({
    kafka: settings,
    topics: topicsFor(settings.topicPrefix, eventTypes),
    logger: testLogger(),
    registry,
    tuning: testTuning,
  });
  try {
    const sites = Array.from({ length: 200 }, (_, i) => `site-${i}`);
    const publishSome = async (n: number, latencies?: number[]) => {
      for (let i = 0; i < n; i++) {
        const event = makeEvent({ instanceId: sites[Math.floor(Math.random() * sites.length)] });
        const t0 = performance.now();
        await bus.publish(event);
        latencies?.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: publishers }, () => publishSome(20))); // warm-up
    const requestsBefore = await metricSum(registry, 'wix_kafka_publish_batch_size_count');
    const latencies: number[] = [];
    const started = performance.now();
    const each = Math.ceil(totalEvents / publishers);
    await Promise.all(Array.from({ length: publishers }, () => publishSome(each, latencies)));
    const seconds = (performance.now() - started) / 1000;
    const requests = (await metricSum(registry, 'wix_kafka_publish_batch_size_count')) - requestsBefore;
    latencies.sort((a, b) => a - b);
    return {
      mode,
      lingerMs,
      events: latencies.length,
      seconds: round(seconds, 3),
      eventsPerSecond: Math.round(latencies.length / seconds),
      p50Ms: round(quantile(latencies, 0.5)),
      p95Ms: round(quantile(latencies, 0.95)),
      p99Ms: round(quantile(latencies, 0.99)),
      maxMs: round(latencies.at(-1) ?? 0),
      requests,
      meanBatch: round(latencies.length / Math.max(1, requests), 1),
    };
  } finally {
    await bus.close();
  }
}

async function idleLatency(bootstrap: string, lingerMs: number): Promise<number> {
  const settings = testSettings(bootstrap, { lingerMs });
  const bus = await createKafkaBus({
    kafka: settings,
    topics: topicsFor(settings.topicPrefix, eventTypes),
    logger: testLogger(),
    registry: new Registry(),
    tuning: testTuning,
  });
  try {
    const samples: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      await bus.publish(makeEvent());
      if (i >= 20) samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    return round(quantile(samples, 0.5));
  } finally {
    await bus.close();
  }
}

const broker = await startMockBroker();
try {
  const batched = await run(broker.bootstrap, 'batched', 2);
  const unbatched = await run(broker.bootstrap, 'one-send-per-publish', 0);
  const idle = {
    batchedP50Ms: await idleLatency(broker.bootstrap, 2),
    unbatchedP50Ms: await idleLatency(broker.bootstrap, 0),
  };
  const rows = [batched, unbatched];
  const columns = Object.keys(batched) as (keyof Figures)[];
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  console.log(`Kafka publish, ${publishers} concurrent publishers, acks=all, mock broker (kcat)`);
  console.log(line(columns));
  for (const r of rows) console.log(line(columns.map((c) => String(r[c]))));
  console.log(
    `idle (one publisher, sequential) p50: batched ${idle.batchedP50Ms} ms, unbatched ${idle.unbatchedP50Ms} ms`,
  );
  console.log(
    JSON.stringify({
      bench: 'ingress-kafka-batching',
      publishers,
      batched,
      unbatched,
      idle,
      speedup: round(batched.eventsPerSecond / unbatched.eventsPerSecond),
    }),
  );
} finally {
  await broker.stop();
}

import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { withTimeout } from '../lib/with-timeout.js';

/** One partition's lag: records in the partition the group has not committed past. */
export interface LagSample {
  topic: string;
  partition: number;
  lag: number;
}

/** Something that can measure lag now (one per running subscription). */
export type LagSource = () => Promise<LagSample[]>;

export interface KafkaMetrics {
  /** From `publish` to the broker's ack (or failure), by outcome. */
  publishDuration: Histogram<'outcome'>;
  /** Records per `sendBatch`. */
  batchSize: Histogram;
  /** Time of one `sendBatch` until acks, by outcome. */
  batchDuration: Histogram<'outcome'>;
  /** Consumer deliveries by event type and outcome (handled, retried, dead_lettered, aborted). */
  deliveries: Counter<'type' | 'outcome'>;
  /** Records written to the dead-letter topic, by reason. */
  deadLetters: Counter<'reason'>;
  /** Consumer group joins (each one follows a rebalance), by group. */
  rebalances: Counter<'group'>;
  /** Consumers replaced after kafkajs stopped one for an error it does not retry, by group. */
  consumerRestarts: Counter<'group'>;
  /** Subscriptions whose lag is measured on scrape. */
  lagSources: Set<LagSource>;
}

const cache = new WeakMap<Registry, KafkaMetrics>();
const LAG_TIMEOUT_MS = 2000;

/**
 * The Kafka adapter's metrics on `registry` (created once per registry, so several buses can share it).
 * Lag is measured when the registry is scraped: high watermark minus committed offset per partition.
 */
export function kafkaMetrics(registry: Registry): KafkaMetrics {
  const existing = cache.get(registry);
  if (existing) return existing;
  const lagSources = new Set<LagSource>();
  const registers = [registry];
  const metrics: KafkaMetrics = {
    publishDuration: new Histogram({
      name: 'wix_kafka_publish_duration_seconds',
      help: 'Kafka publish time from the call to the ack of all in-sync replicas, by outcome',
      labelNames: ['outcome'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    batchSize: new Histogram({
      name: 'wix_kafka_publish_batch_size',
      help: 'Records per Kafka sendBatch request (micro-batching of concurrent publishes)',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
      registers,
    }),
    batchDuration: new Histogram({
      name: 'wix_kafka_publish_batch_duration_seconds',
      help: 'Time of one Kafka sendBatch until acks, by outcome',
      labelNames: ['outcome'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    deliveries: new Counter({
      name: 'wix_kafka_deliveries_total',
      help: 'Kafka consumer deliveries by event type and outcome (handled, retried, dead_lettered, aborted)',
      labelNames: ['type', 'outcome'],
      registers,
    }),
    deadLetters: new Counter({
      name: 'wix_kafka_dead_letters_total',
      help: 'Records written to the Kafka dead-letter topic, by reason',
      labelNames: ['reason'],
      registers,
    }),
    rebalances: new Counter({
      name: 'wix_kafka_consumer_rebalances_total',
      help: 'Kafka consumer group joins (one per rebalance seen by this process), by group',
      labelNames: ['group'],
      registers,
    }),
    consumerRestarts: new Counter({
      name: 'wix_kafka_consumer_restarts_total',
      help: 'Kafka consumers replaced after kafkajs stopped them for an error it does not retry, by group',
      labelNames: ['group'],
      registers,
    }),
    lagSources,
  };
  new Gauge({
    name: 'wix_kafka_consumer_lag',
    help: 'Records not yet committed by the consumer group, per topic and partition (measured on scrape)',
    labelNames: ['topic', 'partition'],
    registers,
    async collect() {
      this.reset();
      // A scrape must not hang on an unreachable cluster: a source that is slow is left out this time.
      const results = await Promise.allSettled(
        [...lagSources].map((source) => withTimeout(source(), LAG_TIMEOUT_MS)),
      );
      for (const result of results) {
        if (result.status !== 'fulfilled') continue;
        for (const s of result.value) this.set({ topic: s.topic, partition: String(s.partition) }, s.lag);
      }
    },
  });
  cache.set(registry, metrics);
  return metrics;
}

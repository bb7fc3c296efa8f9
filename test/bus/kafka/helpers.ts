import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners, type Consumer, type IHeaders } from 'kafkajs';
import { Registry } from 'prom-client';
import type { KafkaSettings } from '../../../src/bus/kafka-client.js';
import { createKafkaBus, type KafkaBusTuning } from '../../../src/bus/kafka.js';
import type { Bus } from '../../../src/bus/port.js';
import { eventTypes } from '../../../src/domain/events.js';
import { topicsFor, type Topics } from '../../../src/domain/topics.js';
import { createLogger } from '../../../src/observability/logger.js';
import type { Queryable, Store } from '../../../src/store/port.js';
import { postgresFactory, sqliteFactory } from '../../support/stores.js';

/** The kafkajs settings the broker doc recommends against the mock. */
export const testTuning: KafkaBusTuning = {
  heartbeatIntervalMs: 1000,
  maxWaitTimeInMs: 100,
  retry: { initialRetryTime: 100, retries: 5 },
  closeGraceMs: 2000,
  closeTimeoutMs: 8000,
  readTimeoutMs: 15_000,
};

export const testLogger = () => createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export function uniqueName(what: string): string {
  return `${what}-${randomUUID().slice(0, 8)}`;
}

/** Settings for one test: unique prefix and group, auto-created topics, no idempotence (the mock can't). */
export function testSettings(bootstrap: string, overrides: Partial<KafkaSettings> = {}): KafkaSettings {
  return {
    brokers: bootstrap.split(','),
    clientId: 'wix-event-agent-test',
    topicPrefix: `${uniqueName('t')}.`,
    groupId: uniqueName('group'),
    ssl: false,
    sasl: undefined,
    idempotent: false,
    allowAutoCreateTopics: true,
    partitions: 4,
    replicationFactor: 1,
    partitionsConsumedConcurrently: 4,
    sessionTimeoutMs: 6000,
    lingerMs: 2,
    ...overrides,
  };
}

export interface TestBus {
  bus: Bus;
  registry: Registry;
  topics: Topics;
  settings: KafkaSettings;
}

export async function openTestBus(
  bootstrap: string,
  options: {
    settings?: Partial<KafkaSettings>;
    tuning?: KafkaBusTuning;
    store?: Queryable;
    registry?: Registry;
  } = {},
): Promise<TestBus> {
  const settings = testSettings(bootstrap, options.settings);
  const topics = topicsFor(settings.topicPrefix, eventTypes);
  const registry = options.registry ?? new Registry();
  const bus = await createKafkaBus({
    kafka: settings,
    topics,
    logger: testLogger(),
    registry,
    store: options.store,
    tuning: { ...testTuning, ...options.tuning },
  });
  return { bus, registry, topics, settings };
}

/** A plain kafkajs client, for what the tests do behind the bus's back (raw records, reading headers). */
export function rawKafka(bootstrap: string): Kafka {
  return new Kafka({
    clientId: 'test-raw',
    brokers: bootstrap.split(','),
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 100, retries: 5 },
  });
}

export interface RawRecord {
  topic: string;
  partition: number;
  key: string | null;
  value: string | null;
  headers: IHeaders;
}

/** Reads `topics` from the beginning with a fresh group until `until(records)` holds. */
export async function readRaw(
  bootstrap: string,
  topics: string[],
  until: (records: RawRecord[]) => boolean,
  timeoutMs = 15_000,
): Promise<RawRecord[]> {
  const consumer: Consumer = rawKafka(bootstrap).consumer({
    groupId: uniqueName('raw'),
    sessionTimeout: 6000,
    heartbeatInterval: 1000,
    maxWaitTimeInMs: 100,
  });
  const records: RawRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`readRaw: condition not met in ${timeoutMs} ms`)),
        timeoutMs,
      );
      void consumer.run({
        eachMessage: async ({ topic, partition, message }) => {
          records.push({
            topic,
            partition,
            key: message.key?.toString() ?? null,
            value: message.value?.toString() ?? null,
            headers: message.headers ?? {},
          });
          if (until(records)) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await done;
    return records;
  } finally {
    await consumer.disconnect();
  }
}

/**
 * Sum of a metric's values (all label sets passing `filter`) as the registry reports it now. For a
 * histogram name its series: `wix_x_count`, `wix_x_sum`.
 */
export async function metricSum(
  registry: Registry,
  name: string,
  filter: (labels: Record<string, string | number>) => boolean = () => true,
): Promise<number> {
  const base = name.replace(/_(count|sum|bucket)$/, '');
  const metric = registry.getSingleMetric(name) ?? registry.getSingleMetric(base);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values
    .filter((v) => {
      const series = (v as { metricName?: string }).metricName ?? name;
      return series === name && filter(v.labels as Record<string, string | number>);
    })
    .reduce((sum, v) => sum + v.value, 0);
}

/** A migrated store for ingress dedupe: a Postgres schema of its own when the server is up, else SQLite in memory. */
export async function openDedupeStore(): Promise<Store> {
  const postgres = await postgresFactory();
  return (postgres.available ? postgres : await sqliteFactory()).open();
}

const javaPartitioner = Partitioners.DefaultPartitioner();

/** The partition the producer picks for `key` (murmur2, as the Java client), on the mock's 4 partitions. */
export function partitionOf(key: string, partitions = 4): number {
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    partitionErrorCode: 0,
    replicas: [1],
    isr: [1],
  }));
  return javaPartitioner({ topic: 'any', partitionMetadata, message: { key, value: null } });
}

/** `n` fresh site ids (instanceIds) that land on `partition`. */
export function sitesOn(partition: number, n: number, prefix = 'site'): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    const site = `${prefix}-${randomUUID().slice(0, 8)}-${i}`;
    if (partitionOf(site) === partition) out.push(site);
  }
  return out;
}

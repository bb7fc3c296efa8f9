import { Partitioners, type Kafka, type TopicMessages } from 'kafkajs';
import { BusUnavailableError, describeError } from '../errors.js';
import { createMicroBatcher } from './kafka-batcher.js';
import type { KafkaMetrics } from './kafka-metrics.js';
import type { OutgoingRecord } from './kafka-records.js';

export interface KafkaPublisherOptions {
  kafka: Kafka;
  /** Idempotent producer (exactly one copy per send even when kafkajs retries). Needs a real cluster. */
  idempotent: boolean;
  allowAutoTopicCreation: boolean;
  /** Micro-batching window under load (ms); 0 = one request per record. */
  lingerMs: number;
  /** Most records per request. */
  maxBatchSize: number;
  metrics: KafkaMetrics;
}

/** Produces records with acks from all in-sync replicas, micro-batched. Knows nothing of bus events. */
export interface KafkaPublisher {
  /** Resolves when Kafka acknowledged the record (all in-sync replicas). */
  send(record: OutgoingRecord, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** One `sendBatch` request: records grouped by topic, in arrival order. */
function topicMessages(records: readonly OutgoingRecord[]): TopicMessages[] {
  const byTopic = new Map<string, TopicMessages>();
  for (const r of records) {
    let entry = byTopic.get(r.topic);
    if (!entry) byTopic.set(r.topic, (entry = { topic: r.topic, messages: [] }));
    entry.messages.push({ key: r.key, value: r.value, headers: r.headers });
  }
  return [...byTopic.values()];
}

export async function createKafkaPublisher(o: KafkaPublisherOptions): Promise<KafkaPublisher> {
  const producer = o.kafka.producer({
    idempotent: o.idempotent,
    allowAutoTopicCreation: o.allowAutoTopicCreation,
    // The Java client's murmur2 partitioning: other Kafka clients put a key on the same partition.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  try {
    await producer.connect();
  } catch (error) {
    throw new BusUnavailableError(`Kafka producer could not connect: ${describeError(error)}`, error);
  }
  const batcher = createMicroBatcher<OutgoingRecord>({
    lingerMs: o.lingerMs,
    maxBatchSize: o.maxBatchSize,
    async send(records) {
      await producer.sendBatch({ acks: -1, topicMessages: topicMessages(records) });
    },
    onBatch(size, durationMs, error) {
      o.metrics.batchSize.observe(size);
      o.metrics.batchDuration.observe({ outcome: error ? 'failed' : 'acked' }, durationMs / 1000);
    },
  });
  return {
    send: (record, signal) => batcher.add(record, signal),
    async close() {
      await batcher.close();
      await producer.disconnect();
    },
  };
}

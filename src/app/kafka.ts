/** Kafka administration for `kafka topics`: loads kafkajs only when asked. */
import type { Config } from '../config/load.js';
import { eventTypes } from '../domain/events.js';
import { topicsFor } from '../domain/topics.js';
import type { Logger } from '../observability/logger.js';

/**
 * Creates the deployment's topics that are missing: the built-in event types, `extra` (the Wix event
 * types loaded handlers subscribe to) and the dead-letter topic, with `KAFKA_PARTITIONS` and
 * `KAFKA_REPLICATION_FACTOR`. Needs `KAFKA_BROKERS` (`config.kafka`).
 */
export async function ensureTopics(
  config: Pick<Config, 'kafka' | 'topicPrefix'> & { kafka: NonNullable<Config['kafka']> },
  extra: readonly string[],
  logger: Logger,
): Promise<{ created: string[]; existing: string[] }> {
  const { ensureKafkaTopics } = await import('../bus/kafka.js');
  return ensureKafkaTopics(
    config.kafka,
    topicsFor(config.topicPrefix, [...eventTypes, ...extra]).all,
    logger,
  );
}

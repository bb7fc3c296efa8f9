import { randomUUID } from 'node:crypto';
import type { Registry } from 'prom-client';
import type { Topics } from '../domain/topics.js';
import { BusUnavailableError, describeError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { Queryable } from '../store/port.js';
import { findStoredEvent, listStoredEvents } from './events-query.js';
import { acceptedEventsIn } from './kafka-accepted-events.js';
import { untilAborted } from '../lib/abortable.js';
import { createKafkaClient, type KafkaClientTuning, type KafkaSettings } from './kafka-client.js';
import { deadLetterRecord, foldDeadLetters, redrivableEvent, redrivenRecord } from './kafka-dead-letters.js';
import { kafkaMetrics } from './kafka-metrics.js';
import { createKafkaPublisher } from './kafka-publisher.js';
import { eventRecord } from './kafka-records.js';
import { startKafkaSubscription } from './kafka-subscription.js';
import { createTopicTail } from './kafka-topic-tail.js';
import { checkTopics, kafkaTopicAdmin, TopicsMissingError } from './kafka-topics.js';
import type { Bus, NewDeadLetter, Subscription } from './port.js';

export type { KafkaSettings } from './kafka-client.js';
export { checkTopics, ensureKafkaTopics, TopicsMissingError } from './kafka-topics.js';

/** Settings that are not in the environment. The defaults suit a real cluster; tests shorten them. */
export interface KafkaBusTuning extends KafkaClientTuning {
  /** Consumer heartbeat interval. Default a third of the session timeout, at most 3000 ms. */
  heartbeatIntervalMs?: number;
  /** Longest a fetch waits for new records; also bounds shutdown. Default 500 ms. */
  maxWaitTimeInMs?: number;
  /** Most records in one produce request. Default 500. */
  maxBatchSize?: number;
  /** How long `Subscription.close` lets in-flight handlers finish before aborting them. Default 10000 ms. */
  closeGraceMs?: number;
  /** Upper bound of `Subscription.close` (inside `serve`'s 20 s shutdown). Default `closeGraceMs` + 5000 ms. */
  closeTimeoutMs?: number;
  /** How long listing dead letters may take to read the dead-letter topic. Default 30000 ms. */
  readTimeoutMs?: number;
  /**
   * How often consumers commit offsets. 0 = after every handled record (at most the in-flight record
   * per partition is redelivered after a crash). Above 0 = at most every this many ms, and at the end
   * of each fetched batch (cheaper for fast handlers, more redeliveries). Default 0.
   */
  commitIntervalMs?: number;
  /** Check at start that the topics exist (see `checkTopics`). Default true. */
  checkTopics?: boolean;
}

export interface KafkaBusOptions {
  /** `config.kafka`: brokers, client id, group id, idempotence, linger, session timeout, ... */
  kafka: KafkaSettings;
  /** Topic names (`topicsFor(config.topicPrefix, eventTypes)`). */
  topics: Topics;
  logger: Logger;
  /** Metrics go here (`wix_kafka_*`). */
  registry: Registry;
  /** When given, `publish` dedupes by event id through its `accepted_events` table; else always 'published'. */
  store?: Queryable;
  tuning?: KafkaBusTuning;
  /** Called for each dead letter written (the service counts them in `wix_dead_letters_total`). */
  onDeadLetter?: (reason: NewDeadLetter['reason']) => void;
}

/**
 * The Bus on Kafka. Connects a producer and an admin client, and checks the topics exist (throws
 * TopicsMissingError naming them). Events are keyed by instanceId with acks from all in-sync
 * replicas; concurrent publishes share produce requests (`lingerMs`). Consumers are a consumer group
 * (`groupId`) committing an offset only after its event was handled or dead-lettered.
 */
export async function createKafkaBus(options: KafkaBusOptions): Promise<Bus> {
  const { kafka: settings, topics, tuning = {} } = options;
  const logger = options.logger.child({ component: 'kafka-bus' });
  const metrics = kafkaMetrics(options.registry);
  const kafka = createKafkaClient(settings, options.logger, tuning);
  const heartbeatIntervalMs =
    tuning.heartbeatIntervalMs ?? Math.min(3000, Math.floor(settings.sessionTimeoutMs / 3));
  const maxWaitTimeInMs = tuning.maxWaitTimeInMs ?? 500;
  const closeGraceMs = tuning.closeGraceMs ?? 10_000;
  const accepted = options.store ? acceptedEventsIn(options.store) : undefined;

  const admin = kafka.admin();
  try {
    await admin.connect();
  } catch (error) {
    throw new BusUnavailableError(`Kafka admin could not connect: ${describeError(error)}`, error);
  }
  if (tuning.checkTopics ?? true) {
    const check = await checkTopics(kafkaTopicAdmin(admin), {
      topics: topics.all,
      allowAutoCreateTopics: settings.allowAutoCreateTopics,
    }).catch(async (error: unknown) => {
      await admin.disconnect().catch(() => {});
      throw new BusUnavailableError(`Kafka topics could not be checked: ${describeError(error)}`, error);
    });
    if (check.autoCreated.length > 0) logger.info({ topics: check.autoCreated }, 'Kafka topics auto-created');
    if (check.missing.length > 0) {
      await admin.disconnect();
      throw new TopicsMissingError(check.missing);
    }
  }
  const publisher = await createKafkaPublisher({
    kafka,
    idempotent: settings.idempotent,
    allowAutoTopicCreation: settings.allowAutoCreateTopics,
    lingerMs: settings.lingerMs,
    maxBatchSize: tuning.maxBatchSize ?? 500,
    metrics,
  }).catch(async (error: unknown) => {
    await admin.disconnect().catch(() => {});
    throw error;
  });
  const deadLetters = createTopicTail(kafka, admin, {
    topic: topics.deadLetter,
    groupId: `${settings.groupId}.dead-letter-reader.${randomUUID()}`,
    sessionTimeoutMs: settings.sessionTimeoutMs,
    heartbeatIntervalMs,
    maxWaitTimeInMs,
    readTimeoutMs: tuning.readTimeoutMs ?? 30_000,
    logger,
  });
  const subscriptions = new Set<Subscription>();

  const readDeadLetters = async () => {
    const { letters, skipped } = foldDeadLetters(await deadLetters.read());
    if (skipped > 0)
      logger.warn(
        { skipped, topic: topics.deadLetter },
        'records in the dead-letter topic that are not dead letters',
      );
    return letters;
  };

  const bus: Bus = {
    kind: 'kafka',

    async publish(event, publishOptions) {
      const signal = publishOptions?.signal;
      const started = performance.now();
      const done = (outcome: string) =>
        metrics.publishDuration.observe({ outcome }, (performance.now() - started) / 1000);
      try {
        if (accepted) {
          const seen = await untilAborted(
            accepted.has(event.id).catch((error: unknown) => {
              logger.warn(
                { eventId: event.id, error: describeError(error) },
                'accepted_events check failed: publishing anyway',
              );
              return false;
            }),
            signal,
            'publish dedupe check',
          );
          if (seen) {
            done('duplicate');
            return 'duplicate';
          }
        }
        await publisher.send(eventRecord(event, topics), signal);
        if (accepted) {
          await accepted.add(event.id).catch((error: unknown) => {
            // Kafka has the event; a later duplicate would be published again and absorbed by consumers.
            logger.warn({ eventId: event.id, error: describeError(error) }, 'accepted_events insert failed');
          });
        }
        done('published');
        return 'published';
      } catch (error) {
        done('failed');
        throw error instanceof BusUnavailableError
          ? error
          : new BusUnavailableError(describeError(error), error);
      }
    },

    async deadLetter(letter, publishOptions) {
      await publisher.send(deadLetterRecord(topics.deadLetter, letter), publishOptions?.signal);
      metrics.deadLetters.inc({ reason: letter.reason });
      options.onDeadLetter?.(letter.reason);
    },

    async subscribe(types, handler, subscribeOptions) {
      const subscription = await startKafkaSubscription({
        kafka,
        admin,
        groupId: settings.groupId,
        topics: types.map((t) => topics.forType(t)),
        handler,
        delivery: subscribeOptions,
        deadLetter: (letter) => bus.deadLetter(letter),
        sessionTimeoutMs: settings.sessionTimeoutMs,
        heartbeatIntervalMs,
        maxWaitTimeInMs,
        partitionsConsumedConcurrently:
          subscribeOptions.concurrency ?? settings.partitionsConsumedConcurrently,
        allowAutoTopicCreation: settings.allowAutoCreateTopics,
        closeGraceMs,
        closeTimeoutMs: tuning.closeTimeoutMs ?? closeGraceMs + 5000,
        commitIntervalMs: tuning.commitIntervalMs ?? 0,
        metrics,
        logger: options.logger,
      });
      subscriptions.add(subscription);
      return {
        async close() {
          subscriptions.delete(subscription);
          await subscription.close();
        },
      };
    },

    async listDeadLetters(listOptions) {
      return (await readDeadLetters()).slice(0, listOptions?.limit ?? 100);
    },

    async redrive(selector) {
      const wanted = 'ids' in selector ? new Set(selector.ids) : undefined;
      const letters = (await readDeadLetters()).filter((l) => !wanted || wanted.has(l.id));
      const redriven: string[] = [];
      const sends = await Promise.allSettled(
        letters.map(async (letter) => {
          const event = redrivableEvent(letter);
          if (!event) return;
          await publisher.send(eventRecord(event, topics));
          redriven.push(letter.id);
        }),
      );
      // Mark what went back even when some sends failed; a letter re-driven twice is absorbed by consumer dedupe.
      if (redriven.length > 0) await publisher.send(redrivenRecord(topics.deadLetter, redriven));
      logger.info({ count: redriven.length, selected: letters.length }, 'dead letters re-driven');
      const failed = sends.find((s) => s.status === 'rejected');
      if (failed)
        throw new BusUnavailableError(`redrive: ${redriven.length} re-driven, some failed`, failed.reason);
      return redriven.length;
    },

    // The ingress's record of accepted ids (and what an embedded bus left in the same store); no store, no record.
    async listEvents(filter) {
      return options.store ? listStoredEvents(options.store, filter?.limit ?? 100) : [];
    },

    async findEvent(eventId) {
      return options.store ? findStoredEvent(options.store, eventId) : undefined;
    },

    // Kafka's backlog is the consumer lag (`wix_kafka_consumer_lag`), shown per partition.
    async backlog() {
      return undefined;
    },

    async ping() {
      try {
        await admin.describeCluster();
      } catch (error) {
        throw new BusUnavailableError(`Kafka unreachable: ${describeError(error)}`, error);
      }
    },

    async close() {
      await Promise.allSettled([...subscriptions].map((s) => s.close()));
      subscriptions.clear();
      await publisher
        .close()
        .catch((error: unknown) => logger.warn({ error: describeError(error) }, 'producer close failed'));
      await deadLetters.close();
      await admin.disconnect().catch(() => {});
    },
  };
  return bus;
}

import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { BusUnavailableError, describeError } from '../errors.js';
import { fullJitterBackoff } from '../lib/backoff.js';
import type { Logger } from '../observability/logger.js';
import { deliverRecord } from './kafka-delivery.js';
import type { KafkaMetrics, LagSample } from './kafka-metrics.js';
import { headersToStrings, type IncomingRecord } from './kafka-records.js';
import type { DeliveryHandler, NewDeadLetter, SubscribeOptions, Subscription } from './port.js';

/** Consumer settings of one subscription. */
export interface KafkaSubscriptionOptions {
  kafka: Kafka;
  /** Used for lag measurement only. */
  admin: Admin;
  groupId: string;
  topics: readonly string[];
  handler: DeliveryHandler;
  delivery: SubscribeOptions;
  deadLetter(letter: NewDeadLetter): Promise<void>;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  maxWaitTimeInMs: number;
  /** Partitions handled at once (each partition stays sequential). */
  partitionsConsumedConcurrently: number;
  allowAutoTopicCreation: boolean;
  /** How long `close` lets in-flight handlers finish before aborting their signal. */
  closeGraceMs: number;
  /** Upper bound of `close` as a whole (stop, commit, leave the group, disconnect). */
  closeTimeoutMs: number;
  /**
   * 0: commit after every handled record (fewest redeliveries after a crash, one commit request per
   * record). Above 0: commit at most this often (ms) and at the end of each fetched batch.
   */
  commitIntervalMs: number;
  metrics: KafkaMetrics;
  logger: Logger;
}

/** Delay before replacing a consumer kafkajs stopped for good: full jitter, 1 s doubling to 30 s. */
const RESTART_BACKOFF = { baseMs: 1000, maxMs: 30_000 };

function incoming(topic: string, partition: number, m: KafkaMessage): IncomingRecord {
  return {
    topic,
    partition,
    offset: m.offset,
    key: m.key === null ? null : m.key.toString('utf8'),
    value: m.value === null ? null : m.value.toString('utf8'),
    headers: headersToStrings(m.headers),
  };
}

/**
 * Joins the consumer group and delivers records with `eachBatch` and manual offsets: a partition's
 * records one at a time and in order, partitions concurrently. An offset is resolved and committed
 * only once its record was handled or dead-lettered. A record to retry pauses its partition for the
 * backoff (other partitions go on) and is fetched again from the uncommitted offset. A consumer that
 * kafkajs stops for good (an error it does not retry) is replaced by a new one after a jittered backoff.
 * Resolves once the consumer has joined the group, or failed to and is being restarted (by kafkajs or here).
 */
export async function startKafkaSubscription(o: KafkaSubscriptionOptions): Promise<Subscription> {
  const log = o.logger.child({ component: 'kafka-consumer', groupId: o.groupId });
  const abort = new AbortController();
  const attempts = new Map<string, number>(); // "topic|partition|offset" -> deliveries so far (this process)
  const resumeTimers = new Set<NodeJS.Timeout>();
  let closing = false;
  let closed: Promise<void> | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let failedStarts = 0;

  const eachBatch = async (p: EachBatchPayload) => {
    const { topic, partition } = p.batch;
    let membershipLost = false;
    const heartbeat = async () => {
      if (membershipLost) return;
      try {
        await p.heartbeat();
      } catch (error) {
        // A rebalance started: finish this record, then return so kafkajs re-joins the group.
        membershipLost = true;
        log.info(
          { topic, partition, error: describeError(error) },
          'heartbeat refused: finishing the record, then re-joining',
        );
      }
    };
    for (const message of p.batch.messages) {
      if (closing || membershipLost || !p.isRunning() || p.isStale()) return;
      const key = `${topic}|${partition}|${message.offset}`;
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      const outcome = await deliverRecord(incoming(topic, partition, message), {
        attempt,
        handler: o.handler,
        policy: o.delivery,
        signal: abort.signal,
        heartbeat,
        heartbeatIntervalMs: o.heartbeatIntervalMs,
        deadLetter: o.deadLetter,
        metrics: o.metrics,
        logger: log,
      });
      if (outcome.kind === 'released') {
        attempts.set(key, attempt - 1);
        return;
      }
      if (outcome.kind === 'retry') {
        if (!outcome.counted) attempts.set(key, attempt - 1);
        const resume = p.pause();
        const timer = setTimeout(() => {
          resumeTimers.delete(timer);
          resume();
        }, outcome.delayMs);
        resumeTimers.add(timer);
        return;
      }
      attempts.delete(key);
      p.resolveOffset(message.offset);
      await p.commitOffsetsIfNecessary();
    }
  };

  const measureLag = async (): Promise<LagSample[]> => {
    const [committed, ...ends] = await Promise.all([
      o.admin.fetchOffsets({ groupId: o.groupId, topics: [...o.topics] }),
      ...o.topics.map((t) => o.admin.fetchTopicOffsets(t)),
    ]);
    return o.topics.flatMap((topic, i) =>
      (ends[i] ?? []).map((end) => {
        const done = committed
          .find((c) => c.topic === topic)
          ?.partitions.find((q) => q.partition === end.partition);
        const from = Math.max(Number(done?.offset ?? -1), Number(end.low));
        return { topic, partition: end.partition, lag: Math.max(0, Number(end.high) - from) };
      }),
    );
  };

  const createConsumer = (): Consumer => {
    const consumer = o.kafka.consumer({
      groupId: o.groupId,
      sessionTimeout: o.sessionTimeoutMs,
      heartbeatInterval: o.heartbeatIntervalMs,
      maxWaitTimeInMs: o.maxWaitTimeInMs,
      allowAutoTopicCreation: o.allowAutoTopicCreation,
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      failedStarts = 0;
      o.metrics.rebalances.inc({ group: o.groupId });
      log.info(
        { memberId: payload.memberId, assignment: payload.memberAssignment },
        'joined the consumer group',
      );
      for (const key of attempts.keys()) {
        const [topic, partition] = key.split('|');
        if (!payload.memberAssignment[topic ?? '']?.includes(Number(partition))) attempts.delete(key);
      }
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      log.error({ error: describeError(payload.error), restart: payload.restart }, 'Kafka consumer crashed');
      // kafkajs restarts the consumer itself after retriable errors; after any other error it has stopped
      // for good, and a worker that silently stops consuming is worse than one that tries again.
      if (!payload.restart && !closing && consumer === current) scheduleRestart();
    });
    return consumer;
  };

  const run = async (consumer: Consumer) => {
    await consumer.connect();
    await consumer.subscribe({ topics: [...o.topics], fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      // kafkajs commits in commitOffsetsIfNecessary only when a threshold or an interval is set.
      ...(o.commitIntervalMs > 0 ? { autoCommitInterval: o.commitIntervalMs } : { autoCommitThreshold: 1 }),
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: o.partitionsConsumedConcurrently,
      eachBatch,
    });
  };

  const scheduleRestart = () => {
    failedStarts += 1;
    const delayMs = Math.max(100, fullJitterBackoff(failedStarts, RESTART_BACKOFF));
    log.warn({ delayMs, failedStarts }, 'replacing the stopped Kafka consumer');
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      if (closing) return;
      o.metrics.consumerRestarts.inc({ group: o.groupId });
      const next = createConsumer();
      current = next;
      run(next).catch(async (error: unknown) => {
        log.error({ error: describeError(error) }, 'Kafka consumer could not restart');
        await next.disconnect().catch(() => {});
        if (!closing && next === current) scheduleRestart();
      });
    }, delayMs);
  };

  let current = createConsumer();
  try {
    await run(current);
  } catch (error) {
    await current.disconnect().catch(() => {});
    throw new BusUnavailableError(`Kafka consumer could not start: ${describeError(error)}`, error);
  }
  o.metrics.lagSources.add(measureLag);

  return {
    close() {
      closed ??= (async () => {
        closing = true;
        clearTimeout(restartTimer);
        o.metrics.lagSources.delete(measureLag);
        for (const timer of resumeTimers) clearTimeout(timer);
        resumeTimers.clear();
        const grace = setTimeout(() => abort.abort(new Error('subscription closing')), o.closeGraceMs);
        let bound: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([
          current.disconnect().then(
            () => 'stopped' as const,
            (error: unknown) => {
              log.warn({ error: describeError(error) }, 'Kafka consumer disconnect failed');
              return 'stopped' as const;
            },
          ),
          new Promise<'timeout'>(
            (resolve) => (bound = setTimeout(() => resolve('timeout'), o.closeTimeoutMs)),
          ),
        ]);
        clearTimeout(grace);
        clearTimeout(bound);
        abort.abort(new Error('subscription closed'));
        if (outcome === 'timeout')
          log.warn({ closeTimeoutMs: o.closeTimeoutMs }, 'Kafka consumer did not stop in time');
        else log.info('Kafka consumer stopped');
      })();
      return closed;
    },
  };
}

import type { Admin, Consumer, Kafka } from 'kafkajs';
import { BusUnavailableError } from '../errors.js';
import type { Logger } from '../observability/logger.js';

/** Options of {@link createTopicTail}. */
export interface TopicTailOptions {
  topic: string;
  /** A group id of its own: nothing is ever committed under it. */
  groupId: string;
  /** Consumer session timeout (ms). */
  sessionTimeoutMs: number;
  /** Consumer heartbeat interval (ms). */
  heartbeatIntervalMs: number;
  /** Longest a fetch waits for data (ms); also bounds how long `close` waits. */
  maxWaitTimeInMs: number;
  /** How long `read` may take to catch up with the high watermarks. */
  readTimeoutMs: number;
  logger: Logger;
}

/** A whole-topic reader: `read` returns every record value up to the high watermarks at the time of the call. */
export interface TopicTail {
  read(): Promise<(string | null)[]>;
  close(): Promise<void>;
}

/**
 * Reads a (small) topic from the beginning and keeps following it, so repeated reads cost one
 * watermark request instead of a consumer-group join each. The consumer starts on the first read
 * that finds data. Holds every value in memory: meant for the dead-letter topic, which stays small.
 */
export function createTopicTail(kafka: Kafka, admin: Admin, options: TopicTailOptions): TopicTail {
  const values: (string | null)[] = [];
  const next = new Map<number, bigint>(); // partition -> next offset to read
  const waiters = new Set<() => void>();
  let consumer: Consumer | undefined;
  let starting: Promise<void> | undefined;

  const start = async () => {
    const c = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: options.heartbeatIntervalMs,
      maxWaitTimeInMs: options.maxWaitTimeInMs,
      allowAutoTopicCreation: false,
    });
    consumer = c;
    await c.connect();
    await c.subscribe({ topics: [options.topic], fromBeginning: true });
    await c.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) values.push(m.value === null ? null : m.value.toString('utf8'));
        next.set(batch.partition, BigInt(batch.lastOffset()) + 1n);
        for (const wake of waiters) wake();
      },
    });
  };

  const caughtUp = (targets: { partition: number; high: bigint; low: bigint }[]) =>
    targets.every((t) => t.high <= t.low || (next.get(t.partition) ?? -1n) >= t.high);

  return {
    async read() {
      const offsets = await admin.fetchTopicOffsets(options.topic);
      const targets = offsets.map((o) => ({
        partition: o.partition,
        high: BigInt(o.high),
        low: BigInt(o.low),
      }));
      if (!consumer && targets.every((t) => t.high <= t.low)) return [];
      starting ??= start().catch((error: unknown) => {
        starting = undefined;
        throw error;
      });
      await starting;
      if (!caughtUp(targets)) {
        await new Promise<void>((resolve, reject) => {
          const check = () => {
            if (!caughtUp(targets)) return;
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          };
          const timer = setTimeout(() => {
            waiters.delete(check);
            reject(
              new BusUnavailableError(
                `reading ${options.topic} did not catch up in ${options.readTimeoutMs} ms`,
              ),
            );
          }, options.readTimeoutMs);
          waiters.add(check);
          check();
        });
      }
      return [...values];
    },

    async close() {
      const c = consumer;
      consumer = undefined;
      await starting?.catch(() => {});
      await c
        ?.disconnect()
        .catch((error: unknown) =>
          options.logger.warn({ err: error }, 'dead-letter reader: disconnect failed'),
        );
    },
  };
}

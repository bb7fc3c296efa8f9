import type { Topics } from '../domain/topics.js';
import { BusUnavailableError, PermanentError, describeError } from '../errors.js';
import { isDataException } from '../lib/error-codes.js';
import { untilAborted } from '../lib/abortable.js';
import { isEmbedded, type Store } from '../store/port.js';
import { embeddedBacklog } from './embedded-backlog.js';
import { findStoredEvent, listStoredEvents } from './events-query.js';
import { readDeadLetters, redriveDeadLetters, insertDeadLetter } from './embedded-dead-letters.js';
import { queueNews } from './embedded-news.js';
import { createGroupPublisher, type GroupCommitOptions } from './embedded-publish.js';
import { startWorker, type WorkerSettings } from './embedded-worker.js';
import type { Bus, NewDeadLetter, Subscription } from './port.js';

export interface EmbeddedBusOptions {
  store: Store;
  topics: Topics;
  /** How often an idle subscriber looks for work published by other processes. Default 250 ms. */
  pollIntervalMs?: number;
  /**
   * Embedded store (SQLite) only: how often an idle subscriber claims even though nothing in this process said
   * work may be ready (see `QueueNews`): picks up a lease that ran out while its handler kept running,
   * or rows changed by SQL outside the bus. Between sweeps a poll claims only after news. Default 5 s.
   */
  sweepMs?: number;
  /** How long a claimed event stays leased to one worker without a heartbeat. Default 30 s. */
  leaseMs?: number;
  /** How long `close()` lets in-flight handlers finish before aborting them. Default 10 s. */
  closeGraceMs?: number;
  /** Called when a subscriber's loop hits an unexpected error (it keeps going). */
  onError?: (error: unknown) => void;
  /** Called for each dead letter stored (metrics). */
  onDeadLetter?: (reason: NewDeadLetter['reason']) => void;
  /**
   * Group commit of concurrent publishes (see `createGroupPublisher`). `maxInFlight` defaults to 2 on a
   * Postgres server (`store.kind === 'postgres'`), 1 on an embedded store (one connection): once
   * Postgres no longer converted each event to jsonb (migration 007), the service waited on the one
   * statement under way for 9–11 % of its time at saturation; with two, 3–5 % (ingress c,d-pg on the
   * 2-core bench VM, 4 alternating runs: d-pg 687–797 against 615–785 webhooks/s). With the jsonb
   * column, 3 had shown no gain there.
   */
  groupCommit?: GroupCommitOptions;
}

/** Runs a store write for a publish or a dead letter before `signal`'s deadline, mapping its failure. */
async function guarded<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  if (signal?.aborted) throw new BusUnavailableError('publish deadline passed before the write');
  try {
    return await untilAborted(work(), signal, 'store commit before the deadline');
  } catch (error) {
    if (error instanceof BusUnavailableError) throw error;
    // A data exception is about this content, not the store being down: never a 503 (see lib/storable.ts).
    if (isDataException(error)) {
      throw new PermanentError(`the store refused the content: ${describeError(error)}`, {
        code: 'UNSTORABLE',
        cause: error,
      });
    }
    throw new BusUnavailableError(`store unavailable: ${describeError(error)}`, error);
  }
}

/**
 * The default bus: a durable queue table in the store. A publish resolves once its row is committed
 * (the event id is unique, so a redelivered webhook is a duplicate); concurrent publishes share one
 * multi-row INSERT (group commit). Subscribers lease the oldest pending event of
 * each key (instanceId), so one site's events are handled in order, one at a time, across processes.
 * On Postgres an idle subscriber polls for work other processes published; on an embedded store (one process) it
 * claims only after news that work may be ready (see `QueueNews`) or at a sweep (`sweepMs`).
 */
export function createEmbeddedBus(options: EmbeddedBusOptions): Bus {
  const { store, topics } = options;
  const news = queueNews(store);
  const subscriptions = new Set<Subscription>();
  const insert = createGroupPublisher(store, topics, {
    maxInFlight: store.kind === 'postgres' ? 2 : 1,
    ...options.groupCommit,
  });
  const worker: WorkerSettings = {
    store,
    topics,
    news,
    // An embedded store belongs to this process alone: it knows when rows become claimable.
    hinted: isEmbedded(store),
    pollIntervalMs: options.pollIntervalMs ?? 250,
    sweepMs: options.sweepMs ?? 5_000,
    leaseMs: options.leaseMs ?? 30_000,
    closeGraceMs: options.closeGraceMs ?? 10_000,
    onError: (error) => options.onError?.(error),
    onDeadLetter: (reason) => options.onDeadLetter?.(reason),
  };

  const bus: Bus = {
    kind: 'embedded',

    async publish(event, publishOptions) {
      const signal = publishOptions?.signal;
      const result = await guarded(signal, () => insert(event, signal));
      if (result === 'published') news.announce();
      return result;
    },

    async deadLetter(letter, publishOptions) {
      await guarded(publishOptions?.signal, () => insertDeadLetter(store, letter));
      options.onDeadLetter?.(letter.reason);
    },

    async subscribe(types, handler, subscribeOptions) {
      const subscription = startWorker(worker, types, handler, subscribeOptions);
      subscriptions.add(subscription);
      return {
        close: async () => {
          subscriptions.delete(subscription);
          await subscription.close();
        },
      };
    },

    listDeadLetters: (listOptions) => readDeadLetters(store, listOptions?.limit ?? 100),

    async redrive(selector) {
      const count = await redriveDeadLetters(store, topics, selector);
      if (count > 0) news.announce();
      return count;
    },

    listEvents: (filter) => listStoredEvents(store, filter?.limit ?? 100),

    findEvent: (eventId) => findStoredEvent(store, eventId),

    backlog: () => embeddedBacklog(store),

    async ping() {
      await store.query('SELECT 1');
    },

    async close() {
      await Promise.all([...subscriptions].map((s) => s.close()));
      subscriptions.clear();
    },
  };
  return bus;
}

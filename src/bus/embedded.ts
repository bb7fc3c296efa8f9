import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { busEventSchema, type BusEvent, type EventType } from '../domain/events.js';
import type { Topics } from '../domain/topics.js';
import { BusUnavailableError, PermanentError, describeError } from '../errors.js';
import { isDataException } from '../lib/error-codes.js';
import type { Store } from '../store/port.js';
import { readDeadLetters, redriveDeadLetters, insertDeadLetter } from './embedded-dead-letters.js';
import { createGroupPublisher, type GroupCommitOptions } from './embedded-publish.js';
import { decideFailure } from './failure-policy.js';
import { untilAborted } from './until-aborted.js';
import type { Bus, DeliveryHandler, NewDeadLetter, SubscribeOptions, Subscription } from './port.js';

export interface EmbeddedBusOptions {
  store: Store;
  topics: Topics;
  /** How often an idle subscriber looks for work published by other processes. Default 250 ms. */
  pollIntervalMs?: number;
  /** How long a claimed event stays leased to one worker without a heartbeat. Default 30 s. */
  leaseMs?: number;
  /** How long `close()` lets in-flight handlers finish before aborting them. Default 10 s. */
  closeGraceMs?: number;
  /** Called when a subscriber's loop hits an unexpected error (it keeps going). */
  onError?: (error: unknown) => void;
  /** Called for each dead letter stored (metrics). */
  onDeadLetter?: (reason: NewDeadLetter['reason']) => void;
  /**
   * Group commit of concurrent publishes (see `createGroupPublisher`). `maxInFlight` stays 1 by default:
   * overlapping statements on a Postgres pool (e.g. 3) showed no throughput or p99 gain on the shared
   * 2-core bench machine (Postgres itself was the bound there); measure before raising it.
   */
  groupCommit?: GroupCommitOptions;
}

interface ClaimedRow {
  seq: number;
  event_id: string;
  topic: string;
  key: string;
  payload: unknown;
  attempts: number;
}

/**
 * The default bus: a durable queue table in the store. A publish resolves once its row is committed
 * (the event id is unique, so a redelivered webhook is a duplicate); concurrent publishes share one
 * multi-row INSERT (group commit). Subscribers lease the oldest pending event of
 * each key (instanceId), so one site's events are handled in order, one at a time, across processes.
 */
export function createEmbeddedBus(options: EmbeddedBusOptions): Bus {
  const { store, topics } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  const leaseMs = options.leaseMs ?? 30_000;
  const closeGraceMs = options.closeGraceMs ?? 10_000;
  const wake = new EventEmitter();
  wake.setMaxListeners(0);
  const subscriptions = new Set<Subscription>();
  const insert = createGroupPublisher(store, topics, options.groupCommit);

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

  const bus: Bus = {
    kind: 'embedded',

    async publish(event, publishOptions) {
      const signal = publishOptions?.signal;
      const result = await guarded(signal, () => insert(event, signal));
      if (result === 'published') wake.emit('work');
      return result;
    },

    async deadLetter(letter, publishOptions) {
      await guarded(publishOptions?.signal, () => insertDeadLetter(store, letter));
      options.onDeadLetter?.(letter.reason);
    },

    async subscribe(types, handler, subscribeOptions) {
      const subscription = startWorker(types, handler, subscribeOptions);
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
      if (count > 0) wake.emit('work');
      return count;
    },

    async ping() {
      await store.query('SELECT 1');
    },

    async close() {
      await Promise.all([...subscriptions].map((s) => s.close()));
      subscriptions.clear();
    },
  };

  function startWorker(
    types: readonly EventType[],
    handler: DeliveryHandler,
    subscribeOptions: SubscribeOptions,
  ): Subscription {
    const workerId = randomUUID();
    const topicNames = types.map((t) => topics.forType(t));
    const concurrency = subscribeOptions.concurrency ?? 4;
    const inFlight = new Map<string, Promise<void>>(); // key -> running delivery
    const abort = new AbortController();
    let closing = false;
    let timer: NodeJS.Timeout | undefined;
    let pumping = false;
    let pumpAgain = false;

    const claim = async (limit: number): Promise<ClaimedRow[]> => {
      const { rows } = await store.query<ClaimedRow>(
        `UPDATE bus_events
            SET locked_by = $1, locked_until = now() + $2::integer * interval '1 millisecond', attempts = attempts + 1
          WHERE seq IN (
                SELECT seq FROM (
                  SELECT DISTINCT ON (key) seq, key, available_at, locked_until
                    FROM bus_events
                   WHERE status = 'pending' AND topic = ANY($3::text[])
                   ORDER BY key, seq) AS heads
                 WHERE available_at <= now()
                   AND (locked_until IS NULL OR locked_until < now())
                   AND NOT (key = ANY($4::text[]))
                 ORDER BY seq
                 LIMIT $5)
            AND status = 'pending' AND (locked_until IS NULL OR locked_until < now())
        RETURNING seq, event_id, topic, key, payload, attempts`,
        [workerId, leaseMs, topicNames, [...inFlight.keys()], limit],
      );
      return rows.sort((a, b) => Number(a.seq) - Number(b.seq));
    };

    const extendLease = async (seq: number) => {
      await store.query(
        `UPDATE bus_events SET locked_until = now() + $3::integer * interval '1 millisecond'
          WHERE seq = $1 AND locked_by = $2 AND status = 'pending'`,
        [seq, workerId, leaseMs],
      );
    };

    const finish = (seq: number) =>
      store.query(
        `UPDATE bus_events SET status = 'done', finished_at = now(), locked_by = NULL, locked_until = NULL
          WHERE seq = $1 AND locked_by = $2`,
        [seq, workerId],
      );

    const release = (seq: number, delayMs: number, error: string, countAttempt: boolean) =>
      store.query(
        `UPDATE bus_events
            SET locked_by = NULL, locked_until = NULL, last_error = $3,
                available_at = now() + $4::integer * interval '1 millisecond',
                attempts = attempts - $5
          WHERE seq = $1 AND locked_by = $2`,
        [seq, workerId, error, Math.round(delayMs), countAttempt ? 0 : 1],
      );

    const bury = (row: ClaimedRow, letter: NewDeadLetter) =>
      store
        .transaction(async (tx) => {
          const { rowCount } = await tx.query(
            `UPDATE bus_events SET status = 'dead', last_error = $3, finished_at = now(),
                  locked_by = NULL, locked_until = NULL
            WHERE seq = $1 AND locked_by = $2`,
            [row.seq, workerId, letter.error],
          );
          if (rowCount > 0) await insertDeadLetter(tx, letter);
          return rowCount > 0;
        })
        .then((stored) => {
          if (stored) options.onDeadLetter?.(letter.reason);
        });

    const deliver = async (row: ClaimedRow) => {
      const seq = Number(row.seq);
      const attempt = Number(row.attempts);
      const parsed = busEventSchema.safeParse(
        typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload,
      );
      if (!parsed.success) {
        await bury(row, {
          reason: 'unparsable',
          error: parsed.error.message.slice(0, 2000),
          attempts: attempt,
          eventId: row.event_id,
          instanceId: row.key,
          payload: row.payload,
          headers: { topic: row.topic },
        });
        return;
      }
      const event: BusEvent = parsed.data;
      // The claim has just set the lease: the first extension is due a beat from now, not at once.
      let lastBeat = Date.now();
      const heartbeat = async () => {
        if (Date.now() - lastBeat < Math.min(1000, leaseMs / 3)) return;
        lastBeat = Date.now();
        await extendLease(seq);
      };
      const beat = setInterval(() => void heartbeat().catch(() => {}), Math.max(50, leaseMs / 3));
      try {
        await handler({ event, attempt, signal: abort.signal, heartbeat });
        clearInterval(beat);
        await finish(seq);
      } catch (error) {
        clearInterval(beat);
        if (abort.signal.aborted) {
          // Shutting down: give the event back without counting this attempt.
          await release(seq, 0, describeError(error), false);
          return;
        }
        const decision = decideFailure(error, attempt, subscribeOptions);
        if (decision.action === 'retry') {
          await release(seq, decision.delayMs, decision.error, decision.counted);
        } else {
          await bury(row, {
            reason: decision.reason,
            error: decision.error,
            attempts: attempt,
            eventId: event.id,
            type: event.type,
            instanceId: event.instanceId,
            payload: event,
            headers: { topic: row.topic },
          });
        }
      }
    };

    const pump = async () => {
      if (pumping) {
        pumpAgain = true;
        return;
      }
      pumping = true;
      try {
        do {
          pumpAgain = false;
          while (!closing && inFlight.size < concurrency) {
            const rows = await claim(concurrency - inFlight.size);
            if (rows.length === 0) break;
            if (closing) {
              await Promise.all(rows.map((r) => release(Number(r.seq), 0, 'released at shutdown', false)));
              break;
            }
            for (const row of rows) {
              const run = deliver(row)
                .catch((error) => options.onError?.(error))
                .finally(() => {
                  inFlight.delete(row.key);
                  if (!closing) void pump();
                });
              inFlight.set(row.key, run);
            }
          }
        } while (pumpAgain && !closing);
      } catch (error) {
        options.onError?.(error);
      } finally {
        pumping = false;
      }
    };

    const schedule = () => {
      if (closing) return;
      timer = setTimeout(async () => {
        await pump();
        schedule();
      }, pollIntervalMs);
    };
    const onWake = () => void pump();
    wake.on('work', onWake);

    // The embedded store belongs to this process alone: leases left by a killed process can go now.
    const start =
      store.kind === 'pglite'
        ? store
            .query(`UPDATE bus_events SET locked_by = NULL, locked_until = NULL WHERE status = 'pending'`)
            .catch((error) => options.onError?.(error))
        : Promise.resolve();
    void start.then(() => {
      void pump();
      schedule();
    });

    return {
      async close() {
        if (closing) return;
        closing = true;
        wake.off('work', onWake);
        if (timer) clearTimeout(timer);
        const all = Promise.allSettled([...inFlight.values()]);
        const grace = setTimeout(() => abort.abort(new Error('subscription closing')), closeGraceMs);
        await all;
        clearTimeout(grace);
        // A pump may still be waiting on a claim; let it settle so nothing stays leased.
        while (pumping) await new Promise((r) => setTimeout(r, 5));
        await Promise.allSettled([...inFlight.values()]);
      },
    };
  }

  return bus;
}

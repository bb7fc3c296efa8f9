import { randomUUID } from 'node:crypto';
import { busEventSchema, type BusEvent, type EventType } from '../domain/events.js';
import type { Topics } from '../domain/topics.js';
import { BusUnavailableError, PermanentError, describeError } from '../errors.js';
import { isDataException } from '../lib/error-codes.js';
import { isEmbedded, sqlFor, type Store } from '../store/port.js';
import { SQLITE_NOW, sqliteInArray, sqliteNowPlusMs } from '../store/dialects.js';
import { readDeadLetters, redriveDeadLetters, insertDeadLetter } from './embedded-dead-letters.js';
import { queueNews } from './embedded-news.js';
import { createGroupPublisher, type GroupCommitOptions } from './embedded-publish.js';
import { decideFailure } from './failure-policy.js';
import { untilAborted } from '../lib/abortable.js';
import type { Bus, DeliveryHandler, NewDeadLetter, SubscribeOptions, Subscription } from './port.js';

export interface EmbeddedBusOptions {
  store: Store;
  topics: Topics;
  /** How often an idle subscriber looks for work published by other processes. Default 250 ms. */
  pollIntervalMs?: number;
  /**
   * Embedded store (SQLite, PGlite) only: how often an idle subscriber claims even though nothing in this process said
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

interface ClaimedRow {
  seq: number;
  event_id: string;
  topic: string;
  key: string;
  payload: unknown;
  attempts: number;
}

/**
 * Leases up to $5 rows to worker $1 for $2 ms: per key (instanceId) of the topics $3 only its oldest
 * pending row, available and not leased, keys in $4 (in flight here) left out, oldest first. Exported for
 * bench/pglite-statements.ts, so the benchmark times the statement the bus runs.
 */
export const claimSql = {
  postgres: `UPDATE bus_events
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
  // One writer at a time: the heads are read and leased by the same statement, nobody in between.
  sqlite: `UPDATE bus_events
            SET locked_by = $1, locked_until = ${sqliteNowPlusMs('$2')}, attempts = attempts + 1
          WHERE seq IN (
                SELECT h.seq FROM bus_events h
                 WHERE h.seq IN (SELECT min(seq) FROM bus_events
                                  WHERE status = 'pending' AND ${sqliteInArray('topic', '$3')}
                                  GROUP BY key)
                   AND h.available_at <= ${SQLITE_NOW}
                   AND (h.locked_until IS NULL OR h.locked_until < ${SQLITE_NOW})
                   AND NOT ${sqliteInArray('h.key', '$4')}
                 ORDER BY h.seq
                 LIMIT $5)
        RETURNING seq, event_id, topic, key, payload, attempts`,
};

const ASYNC_COMMIT = { asyncCommit: true } as const;

/** Marks row $1 done if worker $2 still holds it; returns whether its key has more pending rows. */
export const finishSql = {
  postgres: `UPDATE bus_events SET status = 'done', finished_at = now(), locked_by = NULL, locked_until = NULL
          WHERE seq = $1 AND locked_by = $2
        RETURNING EXISTS (SELECT 1 FROM bus_events n
                           WHERE n.status = 'pending' AND n.key = bus_events.key AND n.seq <> bus_events.seq) AS more`,
  sqlite: `UPDATE bus_events SET status = 'done', finished_at = ${SQLITE_NOW}, locked_by = NULL, locked_until = NULL
          WHERE seq = $1 AND locked_by = $2
        RETURNING EXISTS (SELECT 1 FROM bus_events n
                           WHERE n.status = 'pending' AND n.key = bus_events.key AND n.seq <> bus_events.seq) AS more`,
};

/** Extends worker $2's lease of row $1 by $3 ms from now. */
const extendSql = {
  postgres: `UPDATE bus_events SET locked_until = now() + $3::integer * interval '1 millisecond'
          WHERE seq = $1 AND locked_by = $2 AND status = 'pending'`,
  sqlite: `UPDATE bus_events SET locked_until = ${sqliteNowPlusMs('$3')}
          WHERE seq = $1 AND locked_by = $2 AND status = 'pending'`,
};

/** Gives worker $2's row $1 back with error $3, claimable $4 ms from now, taking $5 off its attempts. */
const releaseSql = {
  postgres: `UPDATE bus_events
            SET locked_by = NULL, locked_until = NULL, last_error = $3,
                available_at = now() + $4::integer * interval '1 millisecond',
                attempts = attempts - $5
          WHERE seq = $1 AND locked_by = $2`,
  sqlite: `UPDATE bus_events
            SET locked_by = NULL, locked_until = NULL, last_error = $3,
                available_at = ${sqliteNowPlusMs('$4')},
                attempts = attempts - $5
          WHERE seq = $1 AND locked_by = $2`,
};

/** Marks worker $2's row $1 dead with error $3. */
const burySql = {
  postgres: `UPDATE bus_events SET status = 'dead', last_error = $3, finished_at = now(),
                  locked_by = NULL, locked_until = NULL
            WHERE seq = $1 AND locked_by = $2`,
  sqlite: `UPDATE bus_events SET status = 'dead', last_error = $3, finished_at = ${SQLITE_NOW},
                  locked_by = NULL, locked_until = NULL
            WHERE seq = $1 AND locked_by = $2`,
};

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
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  const leaseMs = options.leaseMs ?? 30_000;
  const closeGraceMs = options.closeGraceMs ?? 10_000;
  const sweepMs = options.sweepMs ?? 5_000;
  const news = queueNews(store);
  // An embedded store belongs to this process alone: it knows when rows become claimable.
  const hinted = isEmbedded(store);
  const subscriptions = new Set<Subscription>();
  const insert = createGroupPublisher(store, topics, {
    maxInFlight: store.kind === 'postgres' ? 2 : 1,
    ...options.groupCommit,
  });

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
      if (result === 'published') news.announce();
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
      if (count > 0) news.announce();
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
    // Embedded store: the news generation at which a claim last came back short (nothing else claimable then),
    // and when this worker last claimed. A claim is worth a statement only after news, or at a sweep.
    let emptyAt = -1;
    let lastClaimAt = 0;
    const worthClaiming = () => !hinted || emptyAt !== news.generation || Date.now() - lastClaimAt >= sweepMs;

    // A claim and a finish commit asynchronously (see `CommitOptions`): a power cut loses them only
    // with what followed up to the next synced commit, and the event is then delivered again (the
    // consumer's synced mark of it as processed makes a lost finish harmless).
    const claim = async (limit: number): Promise<ClaimedRow[]> => {
      const { rows } = await store.query<ClaimedRow>(
        sqlFor(store, claimSql),
        [workerId, leaseMs, topicNames, [...inFlight.keys()], limit],
        ASYNC_COMMIT,
      );
      return rows.sort((a, b) => Number(a.seq) - Number(b.seq));
    };

    const extendLease = async (seq: number) => {
      await store.query(sqlFor(store, extendSql), [seq, workerId, leaseMs]);
    };

    /** Marks the row done; resolves whether its key has more pending rows (or the lease was lost). */
    const finish = async (seq: number): Promise<boolean> => {
      const { rows } = await store.query<{ more: boolean | number }>(
        sqlFor(store, finishSql),
        [seq, workerId],
        ASYNC_COMMIT,
      );
      // No row: the lease was lost, so look again. SQLite's EXISTS is 0 or 1.
      return rows[0] === undefined || Boolean(rows[0].more);
    };

    /**
     * Gives the row back, claimable after `delayMs`. Resolves whether it is claimable at once (news for the
     * caller to announce once the key is out of flight); a later time is announced when it comes.
     */
    const release = async (seq: number, delayMs: number, error: string, countAttempt: boolean) => {
      await store.query(sqlFor(store, releaseSql), [
        seq,
        workerId,
        error,
        Math.round(delayMs),
        countAttempt ? 0 : 1,
      ]);
      if (delayMs < 1) return true;
      news.announceIn(delayMs);
      return false;
    };

    const bury = (row: ClaimedRow, letter: NewDeadLetter) =>
      store
        .transaction(async (tx) => {
          const { rowCount } = await tx.query(sqlFor(tx, burySql), [row.seq, workerId, letter.error]);
          if (rowCount > 0) await insertDeadLetter(tx, letter);
          return rowCount > 0;
        })
        .then((stored) => {
          if (stored) options.onDeadLetter?.(letter.reason);
          // The key's next row (if any) is its head now.
          return true;
        });

    /** Runs one claimed row; resolves whether its key may have a row claimable now (news to announce). */
    const deliver = async (row: ClaimedRow): Promise<boolean> => {
      const seq = Number(row.seq);
      const attempt = Number(row.attempts);
      const parsed = busEventSchema.safeParse(
        typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload,
      );
      if (!parsed.success) {
        return bury(row, {
          reason: 'unparsable',
          error: parsed.error.message.slice(0, 2000),
          attempts: attempt,
          eventId: row.event_id,
          instanceId: row.key,
          payload: row.payload,
          headers: { topic: row.topic },
        });
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
        return await finish(seq);
      } catch (error) {
        clearInterval(beat);
        if (abort.signal.aborted) {
          // Shutting down: give the event back without counting this attempt.
          return release(seq, 0, describeError(error), false);
        }
        const decision = decideFailure(error, attempt, subscribeOptions);
        if (decision.action === 'retry') {
          return release(seq, decision.delayMs, decision.error, decision.counted);
        } else {
          return bury(row, {
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
          while (!closing && inFlight.size < concurrency && worthClaiming()) {
            const limit = concurrency - inFlight.size;
            const seen = news.generation;
            lastClaimAt = Date.now();
            const rows = await claim(limit);
            // An embedded store runs one statement at a time: a short claim left nothing claimable as of `seen`.
            if (rows.length < limit) emptyAt = seen;
            if (closing) {
              await Promise.all(rows.map((r) => release(Number(r.seq), 0, 'released at shutdown', false)));
              if (rows.length > 0) news.announce();
              break;
            }
            for (const row of rows) {
              const settled = (more: boolean) => {
                inFlight.delete(row.key);
                // Announced only now that the key is out of flight, so a claim it prompts can take the key.
                if (more) news.announce();
                if (!closing) void pump();
              };
              const run = deliver(row)
                .catch((error) => {
                  options.onError?.(error);
                  return true; // the row's state is not known: look again
                })
                .then(settled, () => settled(true));
              inFlight.set(row.key, run);
            }
            if (rows.length === 0 || (hinted && rows.length < limit)) break;
          }
        } while (pumpAgain && !closing);
      } catch (error) {
        emptyAt = -1; // a failed claim learnt nothing: the next poll tries again
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
    const stopListening = news.listen(() => void pump());

    // The embedded store belongs to this process alone: leases left by a killed process can go now.
    const start = isEmbedded(store)
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
        stopListening();
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

import { sqlFor, type Store } from '../store/port.js';
import { SQLITE_NOW, sqliteInArray, sqliteNowPlusMs } from '../store/dialects.js';
import { insertDeadLetter } from './embedded-dead-letters.js';
import type { QueueNews } from './embedded-news.js';
import type { NewDeadLetter } from './port.js';

/** A row of `bus_events` as a claim returns it. */
export interface ClaimedRow {
  seq: number;
  event_id: string;
  topic: string;
  key: string;
  payload: unknown;
  attempts: number;
}

/**
 * Leases up to $5 rows to worker $1 for $2 ms: per key (instanceId) of the topics $3 only its oldest
 * pending row, available and not leased, keys in $4 (in flight here) left out, oldest first.
 */
const claimSql = {
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

/** What a worker's leases need: the store and its news, the worker, its topics, the lease's length. */
export interface LeaseSettings {
  store: Store;
  news: QueueNews;
  workerId: string;
  topicNames: readonly string[];
  leaseMs: number;
  /** Called for each dead letter stored. */
  onDeadLetter(reason: NewDeadLetter['reason']): void;
}

/** The statements of one embedded-bus worker on its leased rows: claim, extend, finish, release, bury. */
export type WorkerLeases = ReturnType<typeof workerLeases>;

/** The leases of the worker `s.workerId` (see `WorkerLeases`). */
export function workerLeases(s: LeaseSettings) {
  const { store, news, workerId, topicNames, leaseMs } = s;
  return {
    // A claim and a finish commit asynchronously (see `CommitOptions`): a power cut loses them only
    // with what followed up to the next synced commit, and the event is then delivered again (the
    // consumer's synced mark of it as processed makes a lost finish harmless).
    /** Leases up to `limit` rows, none of the keys `keysInFlight`; oldest first. */
    async claim(limit: number, keysInFlight: string[]): Promise<ClaimedRow[]> {
      const { rows } = await store.query<ClaimedRow>(
        sqlFor(store, claimSql),
        [workerId, leaseMs, topicNames, keysInFlight, limit],
        ASYNC_COMMIT,
      );
      return rows.sort((a, b) => Number(a.seq) - Number(b.seq));
    },

    /** Extends the lease of row `seq` by `leaseMs` from now. */
    async extendLease(seq: number): Promise<void> {
      await store.query(sqlFor(store, extendSql), [seq, workerId, leaseMs]);
    },

    /** Marks the row done; resolves whether its key has more pending rows (or the lease was lost). */
    async finish(seq: number): Promise<boolean> {
      const { rows } = await store.query<{ more: boolean | number }>(
        sqlFor(store, finishSql),
        [seq, workerId],
        ASYNC_COMMIT,
      );
      // No row: the lease was lost, so look again. SQLite's EXISTS is 0 or 1.
      return rows[0] === undefined || Boolean(rows[0].more);
    },

    /**
     * Gives the row back, claimable after `delayMs`. Resolves whether it is claimable at once (news for the
     * caller to announce once the key is out of flight); a later time is announced when it comes.
     */
    async release(seq: number, delayMs: number, error: string, countAttempt: boolean): Promise<boolean> {
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
    },

    /** Marks the row dead and stores `letter`, if the lease still holds; resolves true (news for its key). */
    bury(row: ClaimedRow, letter: NewDeadLetter): Promise<boolean> {
      return store
        .transaction(async (tx) => {
          const { rowCount } = await tx.query(sqlFor(tx, burySql), [row.seq, workerId, letter.error]);
          if (rowCount > 0) await insertDeadLetter(tx, letter);
          return rowCount > 0;
        })
        .then((stored) => {
          if (stored) s.onDeadLetter(letter.reason);
          // The key's next row (if any) is its head now.
          return true;
        });
    },
  };
}

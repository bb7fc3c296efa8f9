import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { hasCode } from '../lib/error-codes.js';
import { inArray, nowPlusMsSql, nowSql, typed, type CommitOptions, type Queryable } from '../store/port.js';
import { COUNTED, toCall, type ToolCallRecord } from './audit.js';

/**
 * The process that sends a write. While a write is in flight its owner renews `owner_seen_at` every
 * `ttlMs / 3`; the owner is *alive* while `owner_seen_at` is younger than `ttlMs` (database clock, so
 * processes need not agree on time). Another run or process never resumes, parks or re-sends a write
 * whose owner is alive.
 */
export interface WriteOwner {
  /** `host:pid:random`, unique per process start (a restarted process is a new owner). */
  id: string;
  /** Default 30_000 (`WRITE_OWNER_TTL_MS`). */
  ttlMs: number;
}

export function newWriteOwner(ttlMs = 30_000): WriteOwner {
  return { id: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, ttlMs };
}

/** A journal row as a decision reads it: the record plus whether its owner is alive. */
export type JournalRow = ToolCallRecord & { ownerAlive: boolean };

/** How a sent write ended, as far as we know. */
export interface WriteOutcome {
  status: 'executed' | 'failed' | 'unknown';
  result?: unknown;
  error?: string;
  wixRequestId?: string | null;
  durationMs?: number;
  /** Who settled it: `system`, `reconcile`, or a person (approvals). */
  by?: string;
}

/** Statuses that hold a write's key: at most one such row per key (unique index). */
export const HOLDING = ['started', 'executed', 'simulated', 'pending', 'unknown', 'rejected'] as const;

/** SQL: the row's owner was seen within the TTL in `ttlParam` (ms). */
const alive = (db: Queryable, ttlParam: string) =>
  `(owner_seen_at IS NOT NULL AND owner_seen_at > ${nowPlusMsSql(db, ttlParam, -1)})`;

/** A unique index refused the row: Postgres SQLSTATE 23505, or SQLite's extended result code. */
function isUniqueViolation(error: unknown): boolean {
  return hasCode(error, '23505', 'SQLITE_CONSTRAINT_UNIQUE');
}

/**
 * The write journal: the `started` row written before a write goes to Wix, with its owner, and the
 * moves that settle it. It shares the `tool_calls` table with the audit trail (one row per call).
 */
/** The columns a new `started` row sets, in the order of `startedValues` ($1–$11) and the constants after. */
const STARTED_COLUMNS = `(id, run_id, seq, event_id, handler, instance_id, tool, access, arguments, result,
                          status, idempotency_key, owner, owner_seen_at, sent_at)`;

/** Parameters $1–$11 of a new `started` row: id, the call's facts, its arguments as JSON, key, owner. */
function startedValues(id: string, call: Omit<ToolCallRecord, JournalManaged>, ownerId: string): unknown[] {
  return [
    id,
    call.runId,
    call.seq,
    call.eventId,
    call.handler,
    call.instanceId,
    call.tool,
    call.access,
    JSON.stringify(call.arguments ?? null),
    call.idempotencyKey,
    ownerId,
  ];
}

export function createJournal(db: Queryable, owner: WriteOwner) {
  const ttl = owner.ttlMs;
  const now = nowSql(db);
  const t = (param: string, postgresType: string) => typed(db, param, postgresType);
  return {
    owner,

    /** The row holding this write key, with whether its owner is alive. */
    async find(key: string): Promise<JournalRow | undefined> {
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT *, ${alive(db, '$2')} AS owner_alive FROM tool_calls
          WHERE idempotency_key = $1 AND ${inArray(db, 'status', '$3')}`,
        [key, ttl, HOLDING],
      );
      // SQLite's comparison is 0 or 1.
      return rows[0] ? { ...toCall(rows[0]), ownerAlive: Boolean(rows[0].owner_alive) } : undefined;
    },

    /**
     * Records a write as `started` by this owner, before it is sent. Undefined when another row
     * already holds the key (a concurrent run got there first).
     */
    async start(call: Omit<ToolCallRecord, JournalManaged>): Promise<string | undefined> {
      const id = randomUUID();
      try {
        await db.query(
          `INSERT INTO tool_calls ${STARTED_COLUMNS}
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'null', 'started', $10, $11, ${now}, ${now})`,
          startedValues(id, call, owner.id),
        );
        return id;
      } catch (error) {
        if (isUniqueViolation(error)) return undefined;
        throw error;
      }
    },

    /**
     * `start` for the common case, in one statement: records the write as `started` by this owner only
     * if no row holds its key yet and this handler has journalled fewer than `allowed` writes of the
     * tool for the event (both facts `decideWrite` needs to say `execute`, checked where the row is
     * written). Undefined when either does not hold (or a concurrent run got there first): the caller
     * reads the facts (`find`, `Audit.countWrites`) and decides.
     */
    async startIfFree(
      call: Omit<ToolCallRecord, JournalManaged>,
      allowed: number,
    ): Promise<string | undefined> {
      const id = randomUUID();
      try {
        const { rows } = await db.query<{ id: string }>(
          `INSERT INTO tool_calls ${STARTED_COLUMNS}
           SELECT ${t('$1', 'text')}, ${t('$2', 'text')}, ${t('$3', 'integer')}, ${t('$4', 'text')}, ${t('$5', 'text')},
                  ${t('$6', 'text')}, ${t('$7', 'text')}, ${t('$8', 'text')}, ${t('$9', 'jsonb')},
                  ${t(`'null'`, 'jsonb')}, 'started', ${t('$10', 'text')}, ${t('$11', 'text')}, ${now}, ${now}
            WHERE (SELECT count(*) FROM tool_calls
                    WHERE event_id = $4 AND handler = $5 AND tool = $7 AND ${inArray(db, 'status', '$13')}) < $12
           ON CONFLICT (idempotency_key) WHERE status IN (${HOLDING.map((h) => `'${h}'`).join(', ')}) DO NOTHING
           RETURNING id`,
          [...startedValues(id, call, owner.id), allowed, COUNTED],
        );
        return rows[0]?.id;
      } catch (error) {
        if (isUniqueViolation(error)) return undefined;
        throw error;
      }
    },

    /**
     * Takes a row over to send or settle it: from `pending` (approved) or `unknown` (a person re-sends),
     * or from `started` when its owner is no longer alive. False when someone else moved it first or
     * its owner is alive.
     */
    async claim(id: string, from: 'pending' | 'unknown' | 'started', by?: string): Promise<boolean> {
      const set = `status = 'started', owner = $2, owner_seen_at = ${now}, sent_at = ${now},
                decided_by = COALESCE($3, decided_by),
                decided_at = CASE WHEN ${t('$3', 'text')} IS NULL THEN decided_at ELSE ${now} END`;
      const { rowCount } =
        from === 'started'
          ? await db.query(
              `UPDATE tool_calls SET ${set} WHERE id = $1 AND status = 'started' AND NOT ${alive(db, '$4')}`,
              [id, owner.id, by ?? null, ttl],
            )
          : await db.query(`UPDATE tool_calls SET ${set} WHERE id = $1 AND status = $4`, [
              id,
              owner.id,
              by ?? null,
              from,
            ]);
      return rowCount > 0;
    },

    /** Keeps this owner alive on a write in flight. */
    async renew(id: string): Promise<void> {
      await db.query(
        `UPDATE tool_calls SET owner_seen_at = ${now} WHERE id = $1 AND owner = $2 AND status = 'started'`,
        [id, owner.id],
      );
    },

    /**
     * Records how this owner's write ended. A known outcome (executed, failed) that arrives late still
     * lands on a row parked as `unknown` meanwhile, by any process (the truth beats the guess). False
     * when the row is no longer this owner's to settle (taken over, settled, or decided by a person):
     * the caller logs and counts it, never silently. `options`: how it commits (see `CommitOptions`;
     * a lost outcome leaves the row `started`, settled later as a crash's would be).
     */
    async finish(id: string, outcome: WriteOutcome, options?: CommitOptions): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE tool_calls SET status = $3, result = $4, error = $5, wix_request_id = COALESCE($6, wix_request_id),
                duration_ms = COALESCE($7, duration_ms), decided_by = COALESCE($8, decided_by),
                decided_at = CASE WHEN ${t('$8', 'text')} IS NULL THEN decided_at ELSE ${now} END
          WHERE id = $1 AND ((owner = $2 AND status IN ('started', 'unknown'))
                             OR (status = 'unknown' AND $3 <> 'unknown'))`,
        [
          id,
          owner.id,
          outcome.status,
          JSON.stringify(outcome.result ?? null),
          outcome.error ?? null,
          outcome.wixRequestId ?? null,
          outcome.durationMs ?? null,
          outcome.by ?? null,
        ],
        options,
      );
      return rowCount > 0;
    },

    /** `started` writes whose owner is not alive: a crash or a lost process left them in flight. */
    async orphans(limit = 50): Promise<JournalRow[]> {
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT * FROM tool_calls WHERE status = 'started' AND NOT ${alive(db, '$1')} ORDER BY created_at LIMIT $2`,
        [ttl, limit],
      );
      return rows.map((r) => ({ ...toCall(r), ownerAlive: false }));
    },
  };
}
export type Journal = ReturnType<typeof createJournal>;

/** Fields the journal fills itself. */
type JournalManaged =
  | 'id'
  | 'createdAt'
  | 'decidedBy'
  | 'decidedAt'
  | 'wixRequestId'
  | 'durationMs'
  | 'error'
  | 'result'
  | 'status'
  | 'owner'
  | 'ownerSeenAt'
  | 'sentAt';

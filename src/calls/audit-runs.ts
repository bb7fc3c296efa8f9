import { randomUUID } from 'node:crypto';
import { inArray, nowSql, type CommitOptions, type Queryable } from '../store/port.js';
import type { RunRecord, WriteCounts } from './audit-records.js';
import type { NewToolCall } from './audit-calls.js';

/** A call recorded with its run's end (`Audit.finishRun`): `createdAt` is when it happened (ISO 8601). */
export type DeferredToolCall = NewToolCall & { createdAt: string };

/** The `tool_calls` columns `finishRun` fills from a `jsonb_to_recordset` of `DeferredToolCall`s. */
const DEFERRED_COLUMNS = `id text, run_id text, seq integer, event_id text, handler text, instance_id text, tool text,
       access text, arguments jsonb, result jsonb, status text, idempotency_key text, wix_request_id text,
       duration_ms integer, error text, created_at timestamptz`;

/** SQLite: the `tool_calls` rows of a JSON array of `deferredRow`s ($1). */
const DEFERRED_INSERT_SQLITE = `INSERT INTO tool_calls (id, run_id, seq, event_id, handler, instance_id, tool, access,
                                 arguments, result, status, idempotency_key, wix_request_id, duration_ms, error, created_at)
  SELECT value->>'id', value->>'run_id', value->>'seq', value->>'event_id', value->>'handler', value->>'instance_id',
         value->>'tool', value->>'access', COALESCE(value->'arguments', 'null'), COALESCE(value->'result', 'null'),
         value->>'status', value->>'idempotency_key', value->>'wix_request_id', value->>'duration_ms',
         value->>'error', value->>'created_at'
    FROM json_each($1)`;

const deferredRow = (c: DeferredToolCall) => ({
  id: randomUUID(),
  run_id: c.runId,
  seq: c.seq,
  event_id: c.eventId,
  handler: c.handler,
  instance_id: c.instanceId,
  tool: c.tool,
  access: c.access,
  arguments: c.arguments ?? null,
  result: c.result ?? null,
  status: c.status,
  idempotency_key: c.idempotencyKey,
  wix_request_id: c.wixRequestId ?? null,
  duration_ms: c.durationMs ?? null,
  error: c.error ?? null,
  created_at: c.createdAt,
});

/** How a run ended: what `Audit.finishRun` records of it. */
export type RunEnd = Pick<
  RunRecord,
  | 'status'
  | 'steps'
  | 'inputTokens'
  | 'outputTokens'
  | 'toolCalls'
  | 'durationMs'
  | 'error'
  | 'summary'
  | 'counts'
>;

/** The parameters of `runEndSql`: run `id` ($1), then how it ended ($2–$15). */
function runEndValues(id: string, r: RunEnd) {
  const c = r.counts;
  return [
    id,
    r.status,
    r.steps,
    r.inputTokens,
    r.outputTokens,
    r.toolCalls,
    r.durationMs,
    r.error,
    r.summary,
    c.writesExecuted,
    c.writesSimulated,
    c.writesParked,
    c.writesUnknown,
    c.writesRefused,
    c.writesFailed,
  ];
}

/** Ends run $1 with the values of `runEndValues`. */
function runEndSql(db: Queryable): string {
  return `UPDATE agent_runs SET status = $2, steps = $3, input_tokens = $4, output_tokens = $5, tool_calls = $6,
                duration_ms = $7, error = $8, summary = $9, finished_at = ${nowSql(db)}, writes_executed = $10,
                writes_simulated = $11, writes_parked = $12, writes_unknown = $13, writes_refused = $14,
                writes_failed = $15
          WHERE id = $1`;
}

/** Postgres: the `WITH` inserting the deferred calls ($16: JSON `deferredRow`s) with the run's end. */
const DEFERRED_WITH_POSTGRES = `WITH calls AS (
             INSERT INTO tool_calls (id, run_id, seq, event_id, handler, instance_id, tool, access, arguments, result,
                                     status, idempotency_key, wix_request_id, duration_ms, error, created_at)
             SELECT id, run_id, seq, event_id, handler, instance_id, tool, access, COALESCE(arguments, 'null'),
                    COALESCE(result, 'null'), status, idempotency_key, wix_request_id, duration_ms, error, created_at
               FROM jsonb_to_recordset($16::jsonb) AS c(${DEFERRED_COLUMNS}))
           `;

/** The audit trail's run records: a run's start, its end (with its reads), what its writes came to. */
export function auditRuns(db: Queryable) {
  return {
    /** Records a run as `running`; returns its id. `options`: how it commits (see `CommitOptions`). */
    async startRun(
      run: Pick<RunRecord, 'eventId' | 'eventType' | 'instanceId' | 'handler' | 'model' | 'mode' | 'attempt'>,
      options?: CommitOptions,
    ) {
      const id = randomUUID();
      await db.query(
        `INSERT INTO agent_runs (id, event_id, event_type, instance_id, handler, model, mode, attempt, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'running')`,
        [id, run.eventId, run.eventType, run.instanceId, run.handler, run.model, run.mode, run.attempt],
        options,
      );
      return id;
    },

    /**
     * Records how a run ended. `deferred` calls (a run's reads, which have no side effect) are inserted
     * by the same statement, so they appear with the run's end; a run that never ends (its process
     * died) stays `running` without them. `options`: how it commits (see `CommitOptions`).
     */
    async finishRun(
      id: string,
      r: RunEnd,
      deferred: readonly DeferredToolCall[] = [],
      options?: CommitOptions,
    ) {
      const end = runEndValues(id, r);
      const update = runEndSql(db);
      const rows = deferred.length ? JSON.stringify(deferred.map(deferredRow)) : undefined;
      if (db.dialect === 'sqlite') {
        // SQLite has no data-modifying WITH: the calls go first, so a run seen ended has them all.
        if (rows) await db.query(DEFERRED_INSERT_SQLITE, [rows], options);
        await db.query(update, end, options);
        return;
      }
      // Postgres runs a data-modifying WITH whether or not the statement reads it.
      const calls = rows ? DEFERRED_WITH_POSTGRES : '';
      await db.query(`${calls}${update}`, rows ? [...end, rows] : end, options);
    },

    /**
     * What this run's write calls came to, from the rows as they stand now. A deduplicated call counts
     * as what the call it repeated came to (executed, parked, unknown...).
     */
    async writeCounts(runId: string): Promise<WriteCounts> {
      // Most runs repeat no earlier write: their rows count as they are, by the simpler statement.
      const plain = await db.query<{ status: string; n: number }>(
        `SELECT status, count(*) AS n FROM tool_calls WHERE run_id = $1 AND access = 'write' GROUP BY status`,
        [runId],
      );
      const { rows } = !plain.rows.some((r) => r.status === 'deduplicated')
        ? plain
        : await db.query<{ status: string; n: number }>(
            `SELECT CASE WHEN c.status = 'deduplicated' THEN COALESCE(orig.status, 'executed') ELSE c.status END AS status,
                count(*) AS n
           FROM tool_calls c
           LEFT JOIN tool_calls orig ON c.status = 'deduplicated' AND orig.idempotency_key = c.idempotency_key
                AND orig.id <> c.id AND ${inArray(db, 'orig.status', '$2')}
          WHERE c.run_id = $1 AND c.access = 'write'
          GROUP BY 1`,
            [runId, ['started', 'executed', 'simulated', 'pending', 'unknown', 'rejected']],
          );
      const n = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
      return {
        writesExecuted: n('executed'),
        writesSimulated: n('simulated'),
        writesParked: n('pending'),
        writesUnknown: n('unknown') + n('started'),
        writesRefused: n('refused') + n('rejected'),
        writesFailed: n('failed'),
      };
    },
  };
}

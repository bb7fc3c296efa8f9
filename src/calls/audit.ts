import { randomUUID } from 'node:crypto';
import { inArray, nowSql, type CommitOptions, type Queryable } from '../store/port.js';
import {
  COUNTED,
  toCall,
  toRun,
  type RunRecord,
  type ToolCallRecord,
  type ToolCallStatus,
  type WriteCounts,
} from './audit-records.js';

export * from './audit-records.js';

/** A tool call to record: what `Audit.recordCall` takes. */
export type NewToolCall = Omit<
  ToolCallRecord,
  | 'id'
  | 'createdAt'
  | 'decidedBy'
  | 'decidedAt'
  | 'wixRequestId'
  | 'durationMs'
  | 'error'
  | 'owner'
  | 'ownerSeenAt'
  | 'sentAt'
> &
  Partial<Pick<ToolCallRecord, 'wixRequestId' | 'durationMs' | 'error'>>;

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

/** Reads and writes the audit trail: agent runs and the tool calls inside them. */
export function createAudit(db: Queryable) {
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
      r: Pick<
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
      >,
      deferred: readonly DeferredToolCall[] = [],
      options?: CommitOptions,
    ) {
      const c = r.counts;
      const end = [
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
      const update = `UPDATE agent_runs SET status = $2, steps = $3, input_tokens = $4, output_tokens = $5, tool_calls = $6,
                duration_ms = $7, error = $8, summary = $9, finished_at = ${nowSql(db)}, writes_executed = $10,
                writes_simulated = $11, writes_parked = $12, writes_unknown = $13, writes_refused = $14,
                writes_failed = $15
          WHERE id = $1`;
      const rows = deferred.length ? JSON.stringify(deferred.map(deferredRow)) : undefined;
      if (db.dialect === 'sqlite') {
        // SQLite has no data-modifying WITH: the calls go first, so a run seen ended has them all.
        if (rows) await db.query(DEFERRED_INSERT_SQLITE, [rows], options);
        await db.query(update, end, options);
        return;
      }
      // Postgres runs a data-modifying WITH whether or not the statement reads it.
      const calls = rows
        ? `WITH calls AS (
             INSERT INTO tool_calls (id, run_id, seq, event_id, handler, instance_id, tool, access, arguments, result,
                                     status, idempotency_key, wix_request_id, duration_ms, error, created_at)
             SELECT id, run_id, seq, event_id, handler, instance_id, tool, access, COALESCE(arguments, 'null'),
                    COALESCE(result, 'null'), status, idempotency_key, wix_request_id, duration_ms, error, created_at
               FROM jsonb_to_recordset($16::jsonb) AS c(${DEFERRED_COLUMNS}))
           `
        : '';
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

    async recordCall(c: NewToolCall): Promise<string> {
      const id = randomUUID();
      await db.query(
        `INSERT INTO tool_calls (id, run_id, seq, event_id, handler, instance_id, tool, access, arguments, result, status,
                                 idempotency_key, wix_request_id, duration_ms, error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [
          id,
          c.runId,
          c.seq,
          c.eventId,
          c.handler,
          c.instanceId,
          c.tool,
          c.access,
          JSON.stringify(c.arguments ?? null),
          JSON.stringify(c.result ?? null),
          c.status,
          c.idempotencyKey,
          c.wixRequestId ?? null,
          c.durationMs ?? null,
          c.error ?? null,
        ],
      );
      return id;
    },

    /** Writes of `tool` that this handler made (or parked) for this event, across all its runs. */
    async countWrites(eventId: string, handler: string, tool: string): Promise<number> {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*) AS n FROM tool_calls
          WHERE event_id = $1 AND handler = $2 AND tool = $3 AND ${inArray(db, 'status', '$4')}`,
        [eventId, handler, tool, COUNTED],
      );
      return Number(rows[0]?.n ?? 0);
    },

    async listRuns(options: { limit?: number; eventId?: string } = {}): Promise<RunRecord[]> {
      const { rows } = await db.query<Record<string, unknown>>(
        options.eventId
          ? `SELECT * FROM agent_runs WHERE event_id = $2 ORDER BY started_at DESC LIMIT $1`
          : `SELECT * FROM agent_runs ORDER BY started_at DESC LIMIT $1`,
        options.eventId ? [options.limit ?? 50, options.eventId] : [options.limit ?? 50],
      );
      return rows.map(toRun);
    },

    async getRun(id: string): Promise<(RunRecord & { calls: ToolCallRecord[] }) | undefined> {
      const { rows } = await db.query<Record<string, unknown>>(`SELECT * FROM agent_runs WHERE id = $1`, [
        id,
      ]);
      if (!rows[0]) return undefined;
      const calls = await db.query<Record<string, unknown>>(
        `SELECT * FROM tool_calls WHERE run_id = $1 ORDER BY seq`,
        [id],
      );
      return { ...toRun(rows[0]), calls: calls.rows.map(toCall) };
    },

    /** Tool calls, oldest first; `status` may be one status or several (e.g. `['pending', 'unknown']`). */
    async listCalls(
      options: { status?: ToolCallStatus | ToolCallStatus[]; eventId?: string; limit?: number } = {},
    ): Promise<ToolCallRecord[]> {
      const where: string[] = [];
      const params: unknown[] = [options.limit ?? 100];
      if (options.status) {
        const statuses = Array.isArray(options.status) ? options.status : [options.status];
        where.push(inArray(db, 'status', `$${params.push(statuses)}`));
      }
      if (options.eventId) where.push(`event_id = $${params.push(options.eventId)}`);
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT * FROM tool_calls ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, seq LIMIT $1`,
        params,
      );
      return rows.map(toCall);
    },

    /** Writes waiting for a person: pending approval or outcome unknown. */
    async countPending(): Promise<number> {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*) AS n FROM tool_calls WHERE status IN ('pending', 'unknown')`,
      );
      return Number(rows[0]?.n ?? 0);
    },

    async getCall(id: string): Promise<ToolCallRecord | undefined> {
      const { rows } = await db.query<Record<string, unknown>>(`SELECT * FROM tool_calls WHERE id = $1`, [
        id,
      ]);
      return rows[0] ? toCall(rows[0]) : undefined;
    },

    /**
     * A person's decision on a waiting call (pending → rejected; unknown → executed (done) | rejected);
     * false when someone else moved it first.
     */
    async transition(
      id: string,
      from: ToolCallStatus,
      update: { status: ToolCallStatus; by: string; result?: unknown; error?: string; wixRequestId?: string },
    ): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE tool_calls SET status = $2, decided_by = $3, decided_at = ${nowSql(db)}, result = COALESCE($4, result),
                error = $5, wix_request_id = COALESCE($6, wix_request_id)
          WHERE id = $1 AND status = $7`,
        [
          id,
          update.status,
          update.by,
          update.result === undefined ? null : JSON.stringify(update.result),
          update.error ?? null,
          update.wixRequestId ?? null,
          from,
        ],
      );
      return rowCount > 0;
    },
  };
}
export type Audit = ReturnType<typeof createAudit>;

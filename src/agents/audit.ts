import { randomUUID } from 'node:crypto';
import type { Queryable } from '../store/port.js';

/** See src/agents/README.md, "Run status". */
export type RunStatus =
  | 'running'
  | 'succeeded'
  | 'succeeded_with_refusals'
  | 'writes_failed'
  | 'needs_attention'
  | 'limited'
  | 'failed';

/** See src/agents/README.md, "Tool call status". */
export type ToolCallStatus =
  | 'started'
  | 'executed'
  | 'simulated'
  | 'pending'
  | 'unknown'
  | 'rejected'
  | 'failed'
  | 'refused'
  | 'deduplicated';

/** What a run's writes came to (each a count of tool calls). */
export interface WriteCounts {
  writesExecuted: number;
  writesSimulated: number;
  /** Parked for approval. */
  writesParked: number;
  /** Outcome unknown, parked for a person. */
  writesUnknown: number;
  writesRefused: number;
  writesFailed: number;
}

export interface RunRecord {
  id: string;
  eventId: string;
  eventType: string;
  instanceId: string;
  handler: string;
  model: string;
  mode: string;
  attempt: number;
  status: RunStatus;
  steps: number;
  inputTokens: number;
  outputTokens: number;
  toolCalls: number;
  durationMs: number | null;
  error: string | null;
  summary: string | null;
  startedAt: string;
  finishedAt: string | null;
  counts: WriteCounts;
}

export interface ToolCallRecord {
  id: string;
  runId: string;
  seq: number;
  eventId: string;
  handler: string;
  instanceId: string;
  tool: string;
  access: 'read' | 'write' | 'unknown';
  arguments: unknown;
  result: unknown;
  status: ToolCallStatus;
  idempotencyKey: string | null;
  wixRequestId: string | null;
  durationMs: number | null;
  error: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  createdAt: string;
  /** The process that sends (or sent) the write; see `WriteOwner`. */
  owner: string | null;
  ownerSeenAt: string | null;
  /** When the write was sent to Wix. */
  sentAt: string | null;
}

const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());

function toRun(r: Record<string, unknown>): RunRecord {
  return {
    id: String(r.id),
    eventId: String(r.event_id),
    eventType: String(r.event_type),
    instanceId: String(r.instance_id),
    handler: String(r.handler),
    model: String(r.model),
    mode: String(r.mode),
    attempt: Number(r.attempt),
    status: r.status as RunStatus,
    steps: Number(r.steps),
    inputTokens: Number(r.input_tokens),
    outputTokens: Number(r.output_tokens),
    toolCalls: Number(r.tool_calls),
    durationMs: r.duration_ms == null ? null : Number(r.duration_ms),
    error: (r.error as string | null) ?? null,
    summary: (r.summary as string | null) ?? null,
    startedAt: iso(r.started_at)!,
    finishedAt: iso(r.finished_at),
    counts: {
      writesExecuted: Number(r.writes_executed ?? 0),
      writesSimulated: Number(r.writes_simulated ?? 0),
      writesParked: Number(r.writes_parked ?? 0),
      writesUnknown: Number(r.writes_unknown ?? 0),
      writesRefused: Number(r.writes_refused ?? 0),
      writesFailed: Number(r.writes_failed ?? 0),
    },
  };
}

export function toCall(r: Record<string, unknown>): ToolCallRecord {
  return {
    id: String(r.id),
    runId: String(r.run_id),
    seq: Number(r.seq),
    eventId: String(r.event_id),
    handler: String(r.handler),
    instanceId: String(r.instance_id),
    tool: String(r.tool),
    access: r.access as ToolCallRecord['access'],
    arguments: r.arguments ?? null,
    result: r.result ?? null,
    status: r.status as ToolCallStatus,
    idempotencyKey: (r.idempotency_key as string | null) ?? null,
    wixRequestId: (r.wix_request_id as string | null) ?? null,
    durationMs: r.duration_ms == null ? null : Number(r.duration_ms),
    error: (r.error as string | null) ?? null,
    decidedBy: (r.decided_by as string | null) ?? null,
    decidedAt: iso(r.decided_at),
    createdAt: iso(r.created_at)!,
    owner: (r.owner as string | null) ?? null,
    ownerSeenAt: iso(r.owner_seen_at),
    sentAt: iso(r.sent_at),
  };
}

/** Reads and writes the audit trail: agent runs and the tool calls inside them. */
export function createAudit(db: Queryable) {
  return {
    async startRun(
      run: Pick<RunRecord, 'eventId' | 'eventType' | 'instanceId' | 'handler' | 'model' | 'mode' | 'attempt'>,
    ) {
      const id = randomUUID();
      await db.query(
        `INSERT INTO agent_runs (id, event_id, event_type, instance_id, handler, model, mode, attempt, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'running')`,
        [id, run.eventId, run.eventType, run.instanceId, run.handler, run.model, run.mode, run.attempt],
      );
      return id;
    },

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
    ) {
      const c = r.counts;
      await db.query(
        `UPDATE agent_runs SET status = $2, steps = $3, input_tokens = $4, output_tokens = $5, tool_calls = $6,
                duration_ms = $7, error = $8, summary = $9, finished_at = now(), writes_executed = $10,
                writes_simulated = $11, writes_parked = $12, writes_unknown = $13, writes_refused = $14,
                writes_failed = $15
          WHERE id = $1`,
        [
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
        ],
      );
    },

    /**
     * What this run's write calls came to, from the rows as they stand now. A deduplicated call counts
     * as what the call it repeated came to (executed, parked, unknown...).
     */
    async writeCounts(runId: string): Promise<WriteCounts> {
      const { rows } = await db.query<{ status: string; n: number }>(
        `SELECT CASE WHEN c.status = 'deduplicated' THEN COALESCE(orig.status, 'executed') ELSE c.status END AS status,
                count(*) AS n
           FROM tool_calls c
           LEFT JOIN tool_calls orig ON c.status = 'deduplicated' AND orig.idempotency_key = c.idempotency_key
                AND orig.id <> c.id AND orig.status = ANY($2::text[])
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

    async recordCall(
      c: Omit<
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
        Partial<Pick<ToolCallRecord, 'wixRequestId' | 'durationMs' | 'error'>>,
    ): Promise<string> {
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
          WHERE event_id = $1 AND handler = $2 AND tool = $3 AND status IN ('started', 'executed', 'simulated', 'pending', 'unknown')`,
        [eventId, handler, tool],
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
        where.push(`status = ANY($${params.push(statuses)}::text[])`);
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
        `UPDATE tool_calls SET status = $2, decided_by = $3, decided_at = now(), result = COALESCE($4, result),
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

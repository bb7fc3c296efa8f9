import { randomUUID } from 'node:crypto';
import { inArray, nowSql, type Queryable } from '../store/port.js';
import { COUNTED, type ToolCallRecord, type ToolCallStatus } from './audit-records.js';

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

/** The audit trail's tool-call records: a call recorded, a write counted, a person's decision on one. */
export function auditCalls(db: Queryable) {
  return {
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

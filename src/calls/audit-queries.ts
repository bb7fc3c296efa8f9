import { inArray, type Queryable } from '../store/port.js';
import { toCall, toRun, type RunRecord, type ToolCallRecord, type ToolCallStatus } from './audit-records.js';

/** Reads of the audit trail: runs with their calls, calls by status or event, what waits for a person. */
export function auditQueries(db: Queryable) {
  return {
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
  };
}

import { auditCalls } from './audit-calls.js';
import { auditQueries } from './audit-queries.js';
import { auditRuns } from './audit-runs.js';
import type { Queryable } from '../store/port.js';

export * from './audit-records.js';
export type { NewToolCall } from './audit-calls.js';
export type { DeferredToolCall } from './audit-runs.js';

/**
 * Reads and writes the audit trail: agent runs and the tool calls inside them. Its parts live by
 * concern: run records (audit-runs.ts), tool-call records (audit-calls.ts), queries (audit-queries.ts).
 */
export function createAudit(db: Queryable) {
  return { ...auditRuns(db), ...auditCalls(db), ...auditQueries(db) };
}
export type Audit = ReturnType<typeof createAudit>;

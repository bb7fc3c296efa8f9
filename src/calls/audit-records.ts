/** The rows of the audit trail (`agent_runs`, `tool_calls`) as the code reads them. */
/** See src/calls/README.md, "Run status". */
export type RunStatus =
  | 'running'
  | 'succeeded'
  | 'succeeded_with_refusals'
  | 'writes_failed'
  | 'needs_attention'
  | 'limited'
  | 'failed';

/** See src/calls/README.md, "Tool call status". */
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
  /** The process that sends (or sent) the write; see `WriteOwner`. Null for reads and unsent writes. */
  owner?: string | null;
  ownerSeenAt?: string | null;
  /** When the write was sent to Wix. */
  sentAt?: string | null;
}

const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());

export function toRun(r: Record<string, unknown>): RunRecord {
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

/** Statuses that count against a handler's writes of a tool for an event (`Audit.countWrites`, `Journal.startIfFree`). */
export const COUNTED = ['started', 'executed', 'simulated', 'pending', 'unknown'] as const;

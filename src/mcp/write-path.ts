/**
 * The adapter from an MCP call to the call path every tool call takes (`calls/decide.ts` +
 * `calls/run-call.ts` + `calls/journal.ts`): the same write keys, journalled `started` row with its owner, dry-run /
 * approval parking, dedupe, at-most-once sending and settling of unknown outcomes that handler writes
 * get. No second executor: an MCP call is presented to `runCall` as a one-call run of a handler named
 * `mcp:<token name>` on a synthetic event whose id is the call's idempotency basis.
 */
import type { Logger } from 'pino';
import type { AgentMode } from '../domain/modes.js';
import type { BusEvent } from '../domain/events.js';
import { defaultLimits, type AgentLimits } from '../domain/limits.js';
import type { BoundHandler } from '../handlers/load.js';
import type { Audit } from '../calls/audit.js';
import { RunBudget } from '../calls/budget.js';
import type { RunContext } from '../calls/context.js';
import type { Journal } from '../calls/journal.js';
import type { AgentMetrics } from '../calls/metrics.js';
import { runCall, writeKey } from '../calls/run-call.js';
import type { WixRequester } from '../wix/request.js';
import type { AnyWixTool } from '../wix/tools/tool.js';

/** Writes of one tool one token may make (or park) within one idempotency window. */
export const WRITES_PER_WINDOW = 50;

export interface GuardedCall {
  runId: string;
  /** `mcp:<token name>`: the actor recorded on every tool call. */
  actor: string;
  /** Stable basis of the idempotency key (`mcp:<token id>:<window or client key>`). */
  basis: string;
  instanceId: string;
  tool: AnyWixTool;
  /** Parsed, valid input. */
  input: Record<string, unknown>;
  /** The token's mode, already capped by `AGENT_MODE` (see `scope.ts` `toolMode`). */
  mode: AgentMode;
  audit: Audit;
  /** The write journal of this process (the same one the agents' runs and approvals use). */
  journal: Journal;
  client: WixRequester;
  signal: AbortSignal;
  /** Epoch ms. */
  deadline: number;
  metrics?: AgentMetrics;
  logger?: Logger;
}

/** What the path answered: the model-facing result, or the failure it must not show (429 past the deadline, 5xx, a write in flight elsewhere). */
export type GuardedOutcome = { result: unknown } | { fatal: unknown };

function syntheticEvent(call: GuardedCall): BusEvent {
  const now = new Date().toISOString();
  return {
    v: 1,
    id: call.basis,
    type: 'order_created',
    eventType: 'mcp.tool_call',
    instanceId: call.instanceId,
    entityFqdn: 'mcp',
    slug: 'call',
    entityId: call.tool.name,
    eventTime: now,
    receivedAt: now,
    identity: null,
    entity: {},
  };
}

/** Runs one call through the agents' runner; never throws for Wix failures (see `GuardedOutcome`). */
export async function runGuardedCall(call: GuardedCall): Promise<GuardedOutcome> {
  const handler: BoundHandler = {
    name: call.actor,
    on: 'order_created',
    tools: [call.tool],
    instructions: '',
    data: () => ({}),
    mode: call.mode,
    settings: {},
    source: 'mcp',
  };
  const limits: AgentLimits = {
    ...defaultLimits,
    maxToolCalls: 1,
    deadlineMs: Math.max(0, call.deadline - Date.now()),
    writesPerTool: { [call.tool.name]: WRITES_PER_WINDOW },
  };
  const budget = new RunBudget(limits);
  const ctx: RunContext = {
    runId: call.runId,
    event: syntheticEvent(call),
    handler,
    mode: call.mode,
    limits,
    audit: call.audit,
    deferredReads: null, // one call, not a run: its row is written at once
    journal: call.journal,
    client: call.client,
    signal: AbortSignal.any([call.signal, budget.signal]),
    deadline: call.deadline,
    budget,
    heartbeat: async () => {},
    ...(call.metrics ? { metrics: call.metrics } : {}),
    ...(call.logger ? { logger: call.logger } : {}),
  };
  try {
    return { result: await runCall(ctx, call.tool, call.input) };
  } catch (error) {
    return { fatal: budget.failure?.error ?? error };
  }
}

/** The write key the path derives for this call (to look for the same write in an earlier window). */
export function keyOf(actor: string, basis: string, tool: AnyWixTool, input: unknown): string {
  return writeKey(basis, actor, tool.name, input);
}

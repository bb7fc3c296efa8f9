/**
 * The adapter from an MCP call to the agents' guarded call path (`agents/policy.ts`): the same
 * idempotency keys, write-ahead `started` record, dry-run / approval parking, dedupe and audit that
 * handlers get. An MCP call is presented to it as a one-call run of a handler named `mcp:<token name>`
 * on a synthetic event whose id is the call's idempotency basis. When the write path is split into a
 * decision module and a runner, only this file needs re-pointing.
 */
import type { AgentMode } from '../config/load.js';
import type { BusEvent } from '../domain/events.js';
import { defaultLimits } from '../handlers/define.js';
import type { BoundHandler } from '../handlers/load.js';
import type { Audit } from '../agents/audit.js';
import { policyTools, writeKey, type RunState } from '../agents/policy.js';
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
  mode: AgentMode;
  audit: Audit;
  client: WixRequester;
  signal: AbortSignal;
  /** Epoch ms. */
  deadline: number;
}

/** What the path answered: the model-facing result, or the failure it must not show (429 past the deadline, 5xx). */
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

/** Runs one call through the policy; never throws for Wix failures (see `GuardedOutcome`). */
export async function runGuardedCall(call: GuardedCall): Promise<GuardedOutcome> {
  const event = syntheticEvent(call);
  const handler: BoundHandler = {
    name: call.actor,
    on: 'order_created',
    tools: [call.tool],
    instructions: '',
    data: () => ({}),
    settings: {},
    source: 'mcp',
  };
  const state: RunState = { seq: 0, calls: 0, budgetExhausted: false };
  const fatal = new AbortController();
  const tools = policyTools({
    runId: call.runId,
    event,
    handler,
    mode: call.mode,
    limits: {
      ...defaultLimits,
      maxToolCalls: 1,
      deadlineMs: Math.max(0, call.deadline - Date.now()),
      writesPerTool: { [call.tool.name]: WRITES_PER_WINDOW },
    },
    audit: call.audit,
    client: call.client,
    signal: AbortSignal.any([call.signal, fatal.signal]),
    deadline: call.deadline,
    state,
    abort: (reason) => fatal.abort(reason),
    heartbeat: async () => {},
  });
  try {
    const result: unknown = await tools[call.tool.name]!.execute!(call.input, {
      toolCallId: call.runId,
      messages: [],
    });
    return { result };
  } catch (error) {
    return { fatal: state.fatal ?? error };
  }
}

/** The idempotency key the path derives for this call (to look for the same write in an earlier window). */
export function keyOf(actor: string, basis: string, tool: AnyWixTool, input: unknown): string {
  return writeKey(basis, actor, tool.name, input);
}

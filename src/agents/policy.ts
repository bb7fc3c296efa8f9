import { createHash } from 'node:crypto';
import { tool, zodSchema, type Schema, type ToolSet } from 'ai';
import type { z } from 'zod';
import type { AgentMode } from '../config/load.js';
import type { BusEvent } from '../domain/events.js';
import { describeError } from '../errors.js';
import type { AgentLimits } from '../handlers/define.js';
import type { BoundHandler } from '../handlers/load.js';
import { observeRequests, type WixRequester } from '../wix/client.js';
import { modelVisibleError, type AnyWixTool } from '../wix/tools/tool.js';
import type { Audit, ToolCallRecord } from './audit.js';

/** Mutable bookkeeping of one run, shared by its tools and the loop. */
export interface RunState {
  seq: number;
  /** Calls that reached a tool (allowed or refused by policy). */
  calls: number;
  /** A failure the model must not see (429 past the deadline, 5xx after retries): the run stops. */
  fatal?: unknown;
  budgetExhausted: boolean;
}

export interface PolicyContext {
  runId: string;
  event: BusEvent;
  handler: BoundHandler;
  mode: AgentMode;
  limits: AgentLimits;
  audit: Audit;
  client: WixRequester;
  signal: AbortSignal;
  deadline: number;
  state: RunState;
  /** Aborts the run (a fatal tool failure). */
  abort(reason: unknown): void;
  heartbeat(): Promise<void>;
  onCall?(call: { tool: string; status: string }): void;
}

/** JSON with sorted keys, so equal arguments give equal idempotency keys. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The idempotency key of a write: the same event, handler, tool and arguments always give the same key. */
export function writeKey(eventId: string, handler: string, toolName: string, input: unknown): string {
  return createHash('sha256')
    .update(`${eventId}\n${handler}\n${toolName}\n${canonicalJson(input)}`)
    .digest('hex');
}

function previousOutcome(call: ToolCallRecord): unknown {
  switch (call.status) {
    case 'pending':
    case 'approved':
      return {
        status: 'pending_approval',
        approvalId: call.id,
        note: 'already awaiting approval; not sent again',
      };
    case 'rejected':
      return { status: 'rejected', note: 'a person rejected this write; do not retry it' };
    default:
      return call.result;
  }
}

/**
 * The tools offered to the model: only the handler's, each wrapped in the policy. Reads run at once.
 * Writes are deduplicated by idempotency key, checked by the handler's guard and per-event write
 * budget, then executed (live), recorded as simulated (dry-run) or parked for a person (approval).
 * Every call lands in the audit trail. Errors reach the model as short messages; retryable Wix
 * failures never do: they abort the run so the event is retried as a whole.
 */
/** Each tool's JSON Schema is built once, not on every model step (it cost ~1.3 ms per run). */
const schemas = new WeakMap<AnyWixTool, Schema<Record<string, unknown>>>();
function schemaOf(wixTool: AnyWixTool): Schema<Record<string, unknown>> {
  let schema = schemas.get(wixTool);
  if (!schema) {
    schema = zodSchema(wixTool.input as z.ZodType<Record<string, unknown>>);
    schemas.set(wixTool, schema);
  }
  return schema;
}

export function policyTools(ctx: PolicyContext): ToolSet {
  const set: ToolSet = {};
  // A model may ask for several writes in one step; they run one at a time so that the dedupe and
  // write-budget checks of one see the records of the others. Reads run concurrently.
  let writes: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const next = writes.then(work, work);
    writes = next.catch(() => {});
    return next;
  };
  for (const wixTool of ctx.handler.tools) {
    set[wixTool.name] = tool({
      description: wixTool.description,
      inputSchema: schemaOf(wixTool),
      execute: (input: Record<string, unknown>) =>
        wixTool.access === 'write'
          ? serialized(() => callTool(ctx, wixTool, input))
          : callTool(ctx, wixTool, input),
    });
  }
  return set;
}

async function callTool(
  ctx: PolicyContext,
  wixTool: AnyWixTool,
  input: Record<string, unknown>,
): Promise<unknown> {
  const { state, audit, event, handler } = ctx;
  const seq = ++state.seq;
  state.calls++;
  const base: CallBase = {
    runId: ctx.runId,
    seq,
    eventId: event.id,
    handler: handler.name,
    instanceId: event.instanceId,
    tool: wixTool.name,
    access: wixTool.access,
    arguments: input,
  };
  const refuse = async (reason: string, key: string | null = null) => {
    await audit.recordCall({ ...base, result: null, status: 'refused', idempotencyKey: key, error: reason });
    ctx.onCall?.({ tool: wixTool.name, status: 'refused' });
    return { error: { code: 'REFUSED', message: reason } };
  };

  if (state.calls > ctx.limits.maxToolCalls) {
    state.budgetExhausted = true;
    return refuse(`tool call budget of ${ctx.limits.maxToolCalls} per run is used up; finish now`);
  }
  await ctx.heartbeat();

  let key: string | null = null;
  if (wixTool.access === 'write') {
    key = writeKey(event.id, handler.name, wixTool.name, input);
    const previous = await audit.findWrite(key);
    if (previous?.status === 'started') return resumeStarted(ctx, wixTool, input, previous, base);
    if (previous) {
      await audit.recordCall({
        ...base,
        result: previous.result,
        status: 'deduplicated',
        idempotencyKey: null,
      });
      ctx.onCall?.({ tool: wixTool.name, status: 'deduplicated' });
      return previousOutcome(previous);
    }
    const reason = handler.guard?.({ tool: wixTool.name, input }, event);
    if (reason) return refuse(reason);
    const allowed = ctx.limits.writesPerTool[wixTool.name] ?? 1;
    if ((await audit.countWrites(event.id, handler.name, wixTool.name)) >= allowed) {
      return refuse(`${wixTool.name} was already used ${allowed} time(s) for this event; no more allowed`);
    }
    if (ctx.mode === 'dry-run') {
      const result = { status: 'simulated', note: 'dry-run mode: nothing was written to Wix' };
      await audit.recordCall({ ...base, result, status: 'simulated', idempotencyKey: key });
      ctx.onCall?.({ tool: wixTool.name, status: 'simulated' });
      return result;
    }
    if (ctx.mode === 'approval') {
      const id = await audit.recordCall({ ...base, result: null, status: 'pending', idempotencyKey: key });
      ctx.onCall?.({ tool: wixTool.name, status: 'pending' });
      return {
        status: 'pending_approval',
        approvalId: id,
        note: 'parked until a person approves it; not written yet',
      };
    }
  }

  // Write-ahead: the write is recorded as started before it goes to Wix, so a crash in between leaves
  // a trace and a later run never repeats it blindly (see `resumeStarted`).
  const startedId =
    key !== null
      ? await audit.recordCall({ ...base, result: null, status: 'started', idempotencyKey: key })
      : undefined;
  return execute(ctx, wixTool, input, base, key, startedId);
}

/**
 * A write found `started` by a later run: the process stopped while it was in flight, so whether Wix
 * applied it is unknown. A write that is harmless to repeat (labels) is sent again; one whose effect can be
 * looked up in Wix (an order note) is looked up, and sent only if absent; any other (a task, a message)
 * is parked for a person to check Wix and approve or reject, never repeated blindly.
 */
async function resumeStarted(
  ctx: PolicyContext,
  wixTool: AnyWixTool,
  input: Record<string, unknown>,
  previous: ToolCallRecord,
  base: CallBase,
) {
  if (wixTool.repeatable) return execute(ctx, wixTool, input, base, previous.idempotencyKey, previous.id);
  if (wixTool.reconcile) {
    const toolCtx = {
      client: ctx.client,
      instanceId: ctx.event.instanceId,
      signal: ctx.signal,
      deadline: ctx.deadline,
    };
    let found: unknown;
    try {
      found = await wixTool.reconcile(toolCtx, input);
    } catch (error) {
      if (!modelVisibleError(error)) {
        ctx.state.fatal = error;
        ctx.abort(error);
        throw error;
      }
    }
    if (found !== undefined) {
      await ctx.audit.complete(previous.id, { status: 'executed', result: found, durationMs: 0 });
      await ctx.audit.recordCall({ ...base, result: found, status: 'deduplicated', idempotencyKey: null });
      ctx.onCall?.({ tool: wixTool.name, status: 'deduplicated' });
      return found;
    }
    return execute(ctx, wixTool, input, base, previous.idempotencyKey, previous.id);
  }
  await ctx.audit.transition(previous.id, 'started', {
    status: 'pending',
    by: 'system',
    error:
      'outcome unknown: the process stopped while this write was in flight; check Wix, then approve to send it again or reject',
  });
  await ctx.audit.recordCall({ ...base, result: null, status: 'deduplicated', idempotencyKey: null });
  ctx.onCall?.({ tool: wixTool.name, status: 'pending' });
  return {
    status: 'pending_approval',
    approvalId: previous.id,
    note: 'a person will check whether this write was applied',
  };
}

type CallBase = Omit<Parameters<Audit['recordCall']>[0], 'result' | 'status' | 'idempotencyKey'>;

async function execute(
  ctx: PolicyContext,
  wixTool: AnyWixTool,
  input: Record<string, unknown>,
  base: CallBase,
  key: string | null,
  startedId: string | undefined,
): Promise<unknown> {
  const { audit, event, state } = ctx;
  let requestId: string | undefined;
  const client = observeRequests(ctx.client, (r) => (requestId = r.requestId ?? requestId));
  const started = performance.now();
  try {
    const result = await wixTool.execute(
      {
        client,
        instanceId: event.instanceId,
        signal: ctx.signal,
        deadline: ctx.deadline,
        ...(key ? { idempotencyKey: key } : {}),
      },
      input,
    );
    const outcome = {
      result,
      wixRequestId: requestId ?? null,
      durationMs: Math.round(performance.now() - started),
    };
    if (startedId) await audit.complete(startedId, { status: 'executed', ...outcome });
    else await audit.recordCall({ ...base, ...outcome, status: 'executed', idempotencyKey: key });
    ctx.onCall?.({ tool: wixTool.name, status: 'executed' });
    return result;
  } catch (error) {
    const outcome = {
      wixRequestId: requestId ?? null,
      durationMs: Math.round(performance.now() - started),
      error: describeError(error),
    };
    if (startedId) await audit.complete(startedId, { status: 'failed', ...outcome });
    else
      await audit.recordCall({ ...base, ...outcome, result: null, status: 'failed', idempotencyKey: null });
    ctx.onCall?.({ tool: wixTool.name, status: 'failed' });
    const visible = modelVisibleError(error);
    if (visible) return visible;
    state.fatal = error;
    ctx.abort(error);
    throw error;
  }
}

import { createHash } from 'node:crypto';
import { describeError } from '../errors.js';
import { observeRequests } from '../wix/client.js';
import { WixApiError } from '../wix/errors.js';
import { modelVisibleError, runTool, type AnyWixTool } from '../wix/tools/tool.js';
import type { Audit, ToolCallRecord } from './audit.js';
import type { RunContext } from './context.js';
import { decideRead, decideWrite, type WriteDecision } from './decide.js';
import { RetryRunError } from './errors.js';
import type { JournalRow } from './journal.js';
import { sendWrite, settle, type JournalledWrite, type SendDeps, type Sent } from './send.js';

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

/** The key of a write: the same event, handler, tool and arguments always give the same key. */
export function writeKey(eventId: string, handler: string, toolName: string, input: unknown): string {
  return createHash('sha256')
    .update(`${eventId}\n${handler}\n${toolName}\n${canonicalJson(input)}`)
    .digest('hex');
}

/** The short reference of a write that tools may put in what they write (see `ToolContext.writeRef`). */
export const writeRefOf = (key: string) => `wea-${key.slice(0, 12)}`;

type CallBase = Parameters<Audit['recordCall']>[0];

/** What the model is told about a write recorded earlier under the same key. */
export function replayOutcome(call: Pick<ToolCallRecord, 'id' | 'status' | 'result'>): unknown {
  switch (call.status) {
    case 'pending':
      return {
        status: 'pending_approval',
        approvalId: call.id,
        note: 'already awaiting approval; not sent again',
      };
    case 'unknown':
    case 'started':
      return unknownOutcome(call.id);
    case 'rejected':
      return { status: 'rejected', note: 'a person rejected this write; do not retry it' };
    default:
      return call.result;
  }
}

const unknownOutcome = (id: string) => ({
  status: 'outcome_unknown',
  callId: id,
  note: 'Wix may or may not have applied this write; a person will check. Do not retry it.',
});

/** Records a call's row with `status`: a read's waits for the run's end, a write's is written now. */
type Recorder = (status: CallBase['status'], extra?: Partial<CallBase>) => Promise<void>;

/** One tool call under way: its run, tool and arguments, the fixed part of its audit row, its recorder. */
interface Call {
  ctx: RunContext;
  tool: AnyWixTool;
  input: Record<string, unknown>;
  base: Omit<CallBase, 'result' | 'status' | 'idempotencyKey'>;
  record: Recorder;
}

/**
 * Runs one tool call of a run: decides (see `decide.ts`), then carries the decision out and journals
 * it. Reads run at once. Errors the model may see come back as `{error}`; failures it must not see
 * (Wix unavailable, deadline) fail the run through its budget, so the event is retried as a whole.
 */
export async function runCall(ctx: RunContext, tool: AnyWixTool, input: Record<string, unknown>) {
  const call = openCall(ctx, tool, input);
  const withinBudget = ctx.budget.takeCall();
  const maxToolCalls = ctx.limits.maxToolCalls;
  // The model may ask for several writes in one step; they run one after the other (see tools.ts). Once
  // the run has stopped (another write in flight elsewhere, Wix unavailable, deadline, shutdown), the
  // rest are not started: no journal row that would block another run, no request to Wix.
  if (ctx.signal.aborted) return refuse(call.record, stoppedReason(ctx));

  if (tool.access === 'read') {
    const decision = decideRead({ withinBudget, maxToolCalls });
    if (decision.kind === 'refuse') return refuse(call.record, decision.reason);
    await ctx.heartbeat();
    return runRead(ctx, tool, input, call.record);
  }
  return runWrite(call, withinBudget);
}

/** Numbers the call in its run and fixes its audit row but for the outcome. */
function openCall(ctx: RunContext, tool: AnyWixTool, input: Record<string, unknown>): Call {
  const seq = ctx.budget.nextSeq();
  const base: Call['base'] = {
    runId: ctx.runId,
    seq,
    eventId: ctx.event.id,
    handler: ctx.handler.name,
    instanceId: ctx.event.instanceId,
    tool: tool.name,
    access: tool.access,
    arguments: input,
  };
  const record: Recorder = async (status, extra = {}) => {
    const call: CallBase = { ...base, result: null, idempotencyKey: null, status, ...extra };
    // A read's row waits for the run's end (see `RunContext.deferredReads`); a write's is written now.
    if (tool.access === 'read' && ctx.deferredReads) {
      ctx.deferredReads.push({ ...call, createdAt: new Date().toISOString() });
    } else await ctx.audit.recordCall(call);
    ctx.metrics?.toolCalls.inc({ tool: tool.name, status });
  };
  return { ctx, tool, input, base, record };
}

/** Decides a write call on the facts journalled under its key, then carries the decision out. */
async function runWrite(call: Call, withinBudget: boolean): Promise<unknown> {
  const { ctx, tool, input, base } = call;
  await ctx.heartbeat();
  const key = writeKey(ctx.event.id, ctx.handler.name, tool.name, input);
  const allowed = ctx.limits.writesPerTool[tool.name] ?? 1;
  const facts = {
    mode: ctx.mode,
    withinBudget,
    maxToolCalls: ctx.limits.maxToolCalls,
    tool: tool.name,
    allowed,
  };
  // The guard's answer counts only for a write not asked for before (a repeat is replayed whatever it says).
  const guardReason = withinBudget ? ctx.handler.guard?.({ tool: tool.name, input }, ctx.event) : undefined;
  // The common case in one statement: if the write would be executed were nothing journalled under its key
  // and the tool's count not reached, journal it now on exactly those two conditions.
  //
  // So a write not journalled here is decided twice: on those assumed facts, then on the facts read
  // below. The first answer cannot stand unless the statement confirmed the assumption: a row under the
  // key is replayed, waited for or settled whatever the guard, the count and the mode say (`decideWrite`
  // weighs it first), and a failed statement does not tell which fact was false. Deciding once would
  // mean reading both facts before every write (the two queries the statement saves), or copying
  // `decideWrite`'s rules here, where they could drift from it.
  if (decideWrite({ ...facts, guardReason, used: 0 }).kind === 'execute' && !ctx.signal.aborted) {
    const id = await ctx.journal.startIfFree({ ...base, idempotencyKey: key }, allowed);
    if (id) return execute(ctx, tool, input, key, id);
  }
  const previous = withinBudget ? await ctx.journal.find(key) : undefined;
  const decision: WriteDecision = decideWrite({
    ...facts,
    ...(previous
      ? { previous: { status: previous.status, ownerAlive: previous.ownerAlive } }
      : { guardReason }),
    used:
      previous || !withinBudget ? 0 : await ctx.audit.countWrites(ctx.event.id, ctx.handler.name, tool.name),
  });
  return carryOut(call, key, decision, previous);
}

/** Carries out a write's decision; `previous` is the row already under its key, if any. */
async function carryOut(
  call: Call,
  key: string,
  decision: WriteDecision,
  previous: JournalRow | undefined,
): Promise<unknown> {
  const { ctx, tool, input, base, record } = call;
  switch (decision.kind) {
    case 'refuse':
      return refuse(record, decision.reason);
    case 'replay':
      await record('deduplicated', { result: previous!.result, idempotencyKey: key });
      return replayOutcome(previous!);
    case 'wait':
      return inFlightElsewhere(ctx, previous!);
    case 'simulate': {
      const result = { status: 'simulated', note: 'dry-run mode: nothing was written to Wix' };
      await record('simulated', { result, idempotencyKey: key });
      return result;
    }
    case 'park': {
      const id = await ctx.audit.recordCall({
        ...base,
        result: null,
        status: 'pending',
        idempotencyKey: key,
      });
      ctx.metrics?.toolCalls.inc({ tool: tool.name, status: 'pending' });
      return {
        status: 'pending_approval',
        approvalId: id,
        note: 'parked until a person approves it; not written yet',
      };
    }
    case 'settle': {
      if (ctx.signal.aborted) return refuse(record, stoppedReason(ctx));
      // Its owner is gone: take it over (or stop if another run just did), then settle it.
      if (!(await ctx.journal.claim(previous!.id, 'started'))) return inFlightElsewhere(ctx, previous!);
      const sent = await settle(
        sendDeps(ctx),
        journalled(ctx, tool, input, key, previous!.id),
        { signal: ctx.signal, deadline: ctx.deadline },
        'its process stopped while it was in flight',
      );
      await record('deduplicated', {
        idempotencyKey: key,
        result: sent.kind === 'executed' ? sent.result : null,
      });
      return toModel(ctx, previous!.id, sent);
    }
    case 'execute': {
      if (ctx.signal.aborted) return refuse(record, stoppedReason(ctx));
      const id = await ctx.journal.start({ ...base, idempotencyKey: key });
      if (!id) return inFlightElsewhere(ctx, (await ctx.journal.find(key)) ?? previous);
      return execute(ctx, tool, input, key, id);
    }
  }
}

const sendDeps = (ctx: RunContext): SendDeps => ({
  journal: ctx.journal,
  client: ctx.client,
  ...(ctx.runRecords ? { outcomes: ctx.runRecords } : {}),
  ...(ctx.logger ? { logger: ctx.logger } : {}),
  ...(ctx.metrics ? { metrics: ctx.metrics } : {}),
});

const journalled = (
  ctx: RunContext,
  tool: AnyWixTool,
  input: Record<string, unknown>,
  key: string,
  id: string,
): JournalledWrite => ({ id, tool, input, instanceId: ctx.event.instanceId, writeRef: writeRefOf(key) });

/** Sends a write this run has just journalled as `started` (row `id`). */
async function execute(
  ctx: RunContext,
  tool: AnyWixTool,
  input: Record<string, unknown>,
  key: string,
  id: string,
) {
  const scope = { signal: ctx.signal, deadline: ctx.deadline };
  const sent = await sendWrite(sendDeps(ctx), journalled(ctx, tool, input, key, id), scope);
  ctx.metrics?.toolCalls.inc({ tool: tool.name, status: sent.kind });
  return toModel(ctx, id, sent);
}

/** Why a call was not started: the run stopped before it (the reason the run stopped). */
function stoppedReason(ctx: RunContext): string {
  const why = ctx.budget.failure?.error ?? ctx.signal.reason;
  return `not attempted: the run stopped before this call (${describeError(why)})`;
}

async function refuse(record: (status: 'refused', extra: object) => Promise<void>, reason: string) {
  await record('refused', { error: reason });
  return { error: { code: 'REFUSED', message: reason } };
}

async function runRead(
  ctx: RunContext,
  tool: AnyWixTool,
  input: Record<string, unknown>,
  record: (status: 'executed' | 'failed', extra: object) => Promise<void>,
) {
  const started = performance.now();
  // The Wix request id goes on the audit row, so a read can be traced in Wix's logs too.
  let requestId: string | undefined;
  const client = observeRequests(ctx.client, (r) => (requestId = r.requestId ?? requestId));
  try {
    const result = await runTool(
      tool,
      { client, instanceId: ctx.event.instanceId, signal: ctx.signal, deadline: ctx.deadline },
      input,
    );
    await record('executed', {
      result,
      wixRequestId: requestId ?? null,
      durationMs: Math.round(performance.now() - started),
    });
    return result;
  } catch (error) {
    await record('failed', {
      error: String((error as Error)?.message ?? error),
      wixRequestId: (error instanceof WixApiError ? error.requestId : undefined) ?? requestId ?? null,
      durationMs: Math.round(performance.now() - started),
    });
    return visibleOrFail(ctx, error);
  }
}

function toModel(ctx: RunContext, id: string, sent: Sent): unknown {
  if (sent.kind === 'executed') return sent.result;
  if (sent.kind === 'unknown') return unknownOutcome(id);
  return visibleOrFail(ctx, sent.error);
}

/** A failure the model may see is returned to it; any other fails the run (retried later as a whole). */
function visibleOrFail(ctx: RunContext, error: unknown) {
  const visible = modelVisibleError(error);
  if (visible) return visible;
  ctx.budget.fail(error);
  throw error;
}

/** The write is in flight in a live process (or was just taken over by one): stop; retry the event later. */
function inFlightElsewhere(ctx: RunContext, row: JournalRow | undefined): never {
  const error = new RetryRunError(
    `write ${row?.id ?? ''} (${row?.tool ?? 'unknown tool'}) is in flight in another process (${row?.owner ?? 'unknown owner'}); retrying later`,
    // Not the event's fault, and bound to end: the owner finishes, or stops renewing the row and the
    // next attempt settles it (its renewals stop at its own deadline, see send.ts). So waiting does not
    // use one of the event's attempts: a slow owner never gets the event dead-lettered.
    { code: 'WRITE_IN_FLIGHT', retryAfterMs: ctx.journal.owner.ttlMs, countsAsAttempt: false },
  );
  ctx.budget.fail(error);
  throw error;
}

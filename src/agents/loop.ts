import {
  APICallError,
  generateText,
  stepCountIs,
  type LanguageModel,
  type StepResult,
  type ToolSet,
} from 'ai';
import type { HandlerContext } from '../consumers/event-handler.js';
import type { AgentMode } from '../domain/modes.js';
import type { BusEvent } from '../domain/events.js';
import { PermanentError, describeError, isRetryable } from '../errors.js';
import { defaultLimits, type AgentLimits } from '../domain/limits.js';
import type { BoundHandler } from '../handlers/load.js';
import type { CommitOptions } from '../store/port.js';
import { abortable } from '../lib/abortable.js';
import type { WixRequester } from '../wix/client.js';
import type { Audit, RunStatus, WriteCounts } from '../calls/audit.js';
import { RunBudget } from '../calls/budget.js';
import type { RunContext } from '../calls/context.js';
import { RetryRunError } from '../calls/errors.js';
import type { Journal } from '../calls/journal.js';
import type { AgentMetrics } from '../calls/metrics.js';
import { eventPrompt, systemPrompt } from './prompt.js';
import { offeredTools } from './tools.js';

export { RetryRunError } from '../calls/errors.js';

export interface AgentDeps {
  model: LanguageModel;
  /** Shown in the audit trail and logs, e.g. `sandbox model (scripted)` or `openai:gpt-4.1-mini`. */
  modelName: string;
  /** Headers for the handler's model calls: a stand-in model's only (see `ModelChoice.headersFor`). */
  headersFor?: (handler: string) => Record<string, string>;
  audit: Audit;
  /** The write journal, owned by this process. */
  journal: Journal;
  client: WixRequester;
  metrics?: AgentMetrics;
  /**
   * How a run's own records commit: its start, its end (with its reads) and the outcome of each of its
   * writes. Default: synced. The consumer passes `{ asyncCommit: true }`: it marks the event processed
   * in a synced commit before the event is acknowledged, and that commit makes them durable; until then
   * a power cut loses them only as a crash would (the event runs again; a write in flight is looked up
   * or parked). A write's journal row is always synced before the write is sent. See `CommitOptions`.
   */
  runRecords?: CommitOptions;
  /** Hears of each run once its end is recorded (the service announces it as its `run` event). */
  onRunFinished?: (run: RunFinished) => void;
}

/** A run whose end is recorded: which, of what, how it ended (`failed` with its error when it threw). */
export interface RunFinished {
  runId: string;
  eventId: string;
  handler: string;
  mode: AgentMode;
  status: RunStatus;
  steps: number;
  toolCalls: number;
  durationMs: number;
  error: string | null;
}

export interface RunOutcome {
  runId: string;
  status: RunStatus;
  summary: string;
  steps: number;
  toolCalls: number;
  counts: WriteCounts;
}

/**
 * The status a person reads (src/calls/README.md, "Run status"), from how the run ended and what its
 * writes came to. Precedence: needs_attention > limited > writes_failed > succeeded_with_refusals > succeeded.
 */
export function runStatus(limited: boolean, c: WriteCounts, undeclaredCalls: number): RunStatus {
  if (c.writesUnknown > 0) return 'needs_attention';
  if (limited) return 'limited';
  const tookEffect = c.writesExecuted + c.writesSimulated + c.writesParked;
  const refused = c.writesRefused + c.writesFailed;
  if (refused > 0 && tookEffect === 0) return 'writes_failed';
  if (refused > 0 || undeclaredCalls > 0) return 'succeeded_with_refusals';
  return 'succeeded';
}

/** The handler's limits over the defaults; each write tool once per event unless the handler says more. */
export function limitsOf(handler: BoundHandler): AgentLimits {
  const writes = Object.fromEntries(
    handler.tools.filter((t) => t.access === 'write').map((t) => [t.name, 1]),
  );
  return {
    ...defaultLimits,
    ...handler.limits,
    writesPerTool: { ...writes, ...handler.limits?.writesPerTool },
  };
}

/** Calls the model made that never reached a tool: names not offered, arguments that did not validate. */
function refusedByParser(steps: StepResult<ToolSet>[]) {
  return steps.flatMap((step) =>
    step.content
      .filter((part) => part.type === 'tool-error' && (part as { dynamic?: boolean }).dynamic === true)
      .map((part) => {
        const p = part as { toolName: string; input: unknown; error: unknown };
        return { tool: String(p.toolName).slice(0, 100), input: p.input, error: describeError(p.error) };
      }),
  );
}

/**
 * Runs one handler's agent on one event: the model gets the handler's instructions, the event as data,
 * and the handler's tools behind the policy. Bounded by steps, tool calls, tokens and a deadline.
 * Resolves with the outcome (a run stopped by a limit is `limited`, not retried); throws a retryable
 * error when the run should be tried again later (Wix throttling past the deadline, model unavailable).
 */
export async function runAgent(
  deps: AgentDeps,
  handler: BoundHandler,
  event: BusEvent,
  ctx: HandlerContext,
): Promise<RunOutcome> {
  const agentRun = await openRun(deps, handler, event, ctx);
  try {
    return await completeRun(deps, agentRun, ctx);
  } catch (error) {
    const failure = await recordFailure(deps, agentRun, ctx, error);
    if (ctx.signal.aborted) throw error;
    throw retryOrGiveUp(deps, agentRun.run, ctx, failure);
  }
}

/** A run under way: its context, and what its end needs to know about its start. */
interface AgentRun {
  run: RunContext;
  /** `performance.now()` before the run's start was recorded. */
  started: number;
  /** Aborts when the run's deadline passes. */
  deadlineSignal: AbortSignal;
}

/** How a run ended, as `recordEnd` records it (besides its status and write counts). */
interface RunEnd {
  steps: number;
  input: number;
  output: number;
  summary: string | null;
  error: string | null;
}

/** Records the run's start and builds its context: budget, deadline, and the signal bounding it all. */
async function openRun(
  deps: AgentDeps,
  handler: BoundHandler,
  event: BusEvent,
  ctx: HandlerContext,
): Promise<AgentRun> {
  const { mode } = handler;
  const limits = limitsOf(handler);
  const started = performance.now();
  const runId = await deps.audit.startRun(
    {
      eventId: event.id,
      eventType: event.type,
      instanceId: event.instanceId,
      handler: handler.name,
      model: deps.modelName,
      mode,
      attempt: ctx.attempt,
    },
    deps.runRecords,
  );
  const budget = new RunBudget(limits);
  const deadline = Date.now() + limits.deadlineMs;
  const deadlineSignal = AbortSignal.timeout(limits.deadlineMs);
  const signal = AbortSignal.any([ctx.signal, budget.signal, deadlineSignal]);
  const run: RunContext = {
    runId,
    event,
    handler,
    mode,
    limits,
    audit: deps.audit,
    deferredReads: [],
    journal: deps.journal,
    client: deps.client,
    signal,
    deadline,
    budget,
    heartbeat: ctx.heartbeat,
    ...(deps.runRecords ? { runRecords: deps.runRecords } : {}),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    logger: ctx.logger,
  };
  return { run, started, deadlineSignal };
}

/** Lets the model work through the run, then records how it ended and what its writes came to. */
async function completeRun(deps: AgentDeps, agentRun: AgentRun, ctx: HandlerContext): Promise<RunOutcome> {
  const { run } = agentRun;
  const { runId, handler, budget, limits, signal } = run;
  const headers = deps.headersFor?.(handler.name);
  // The deadline bounds the whole run, even a tool call stuck in a wait that ignores the signal.
  const result = await abortable(
    generateText({
      model: deps.model,
      ...(headers ? { headers } : {}),
      system: systemPrompt(handler, run.mode),
      prompt: eventPrompt(handler, run.event),
      tools: offeredTools(run),
      temperature: 0,
      maxOutputTokens: 2000,
      maxRetries: 2,
      abortSignal: signal,
      stopWhen: [stepCountIs(limits.maxSteps), () => budget.spent()],
      onStepFinish: async (step) => {
        budget.addTokens(
          step.usage.totalTokens ?? (step.usage.inputTokens ?? 0) + (step.usage.outputTokens ?? 0),
        );
        await ctx.heartbeat();
      },
    }),
    signal,
  );
  const undeclared = await recordParserRefusals(deps, run, result.steps);
  const steps = result.steps.length;
  const limited = budget.limited(steps, result.steps.at(-1)?.finishReason);
  const counts = await deps.audit.writeCounts(runId);
  const status = runStatus(limited, counts, undeclared);
  const summary = result.text.trim().slice(0, 4000) || (limited ? 'stopped by a run limit' : '');
  await recordEnd(
    deps,
    agentRun,
    status,
    {
      steps,
      input: result.totalUsage.inputTokens ?? 0,
      output: result.totalUsage.outputTokens ?? 0,
      summary,
      error: limited ? budget.describe(steps) : null,
    },
    counts,
  );
  return { runId, status, summary, steps, toolCalls: budget.calls, counts };
}

/** Records the run's end with its reads, then its metrics; if the end fails, keeps the reads and throws. */
async function recordEnd(
  deps: AgentDeps,
  { run, started }: AgentRun,
  status: RunStatus,
  r: RunEnd,
  counts: WriteCounts,
): Promise<void> {
  const handler = run.handler.name;
  const durationMs = Math.round(performance.now() - started);
  // The reads' rows go with the run's end, in one statement. From here on a read still finishing (a
  // tool call the deadline left behind) is recorded at once; if the statement fails, nothing of it was
  // written and the reads wait for the next try (the `failed` end below).
  const reads = run.deferredReads ?? [];
  run.deferredReads = null;
  const end = deps.audit.finishRun(
    run.runId,
    {
      status,
      steps: r.steps,
      inputTokens: r.input,
      outputTokens: r.output,
      toolCalls: run.budget.calls,
      durationMs,
      error: r.error,
      summary: r.summary,
      counts,
    },
    reads,
    deps.runRecords,
  );
  await end.catch((error: unknown) => {
    run.deferredReads = reads;
    throw error;
  });
  deps.metrics?.runs.inc({ handler, outcome: status });
  deps.metrics?.steps.observe({ handler }, r.steps);
  deps.metrics?.tokens.inc({ handler, kind: 'input' }, r.input);
  deps.metrics?.tokens.inc({ handler, kind: 'output' }, r.output);
  deps.metrics?.duration.observe({ handler }, durationMs / 1000);
  deps.onRunFinished?.({
    runId: run.runId,
    eventId: run.event.id,
    handler,
    mode: run.mode,
    status,
    steps: r.steps,
    toolCalls: run.budget.calls,
    durationMs,
    error: r.error,
  });
}

/** Why a run failed, as `recordFailure` found it. */
interface RunFailure {
  /** What failed the run: the budget's fatal error if one failed it, else the error thrown. */
  cause: unknown;
  /** True when the budget failed the run (Wix unavailable). */
  fatal: boolean;
  /** True when the run's own deadline stopped it (not shutdown, not the budget). */
  timedOut: boolean;
  message: string;
}

/** Records the `failed` end of a run that threw `error` (best effort), and says why it failed. */
async function recordFailure(
  deps: AgentDeps,
  agentRun: AgentRun,
  ctx: HandlerContext,
  error: unknown,
): Promise<RunFailure> {
  const { runId, budget, limits } = agentRun.run;
  const fatal = budget.failure;
  const cause = fatal?.error ?? error;
  const timedOut = !ctx.signal.aborted && !fatal && agentRun.deadlineSignal.aborted;
  const message = timedOut ? `run deadline of ${limits.deadlineMs} ms passed` : describeError(cause);
  const counts = await deps.audit.writeCounts(runId).catch(() => emptyCounts);
  await recordEnd(
    deps,
    agentRun,
    'failed',
    { steps: 0, input: 0, output: budget.tokensUsed, summary: null, error: message },
    counts,
  ).catch(() => {});
  return { cause, fatal: Boolean(fatal), timedOut, message };
}

/**
 * The error a failed run (not stopped by shutdown) throws: a RetryRunError when trying again later may
 * help, a PermanentError when the model refused the request itself, else the cause when not retryable.
 */
function retryOrGiveUp(deps: AgentDeps, run: RunContext, ctx: HandlerContext, f: RunFailure): unknown {
  const { cause, message } = f;
  if (f.timedOut) {
    deps.metrics?.runDeadlines.inc({ handler: run.handler.name });
    ctx.logger.warn(
      { runId: run.runId, handler: run.handler.name, deadlineMs: run.limits.deadlineMs },
      'agent run deadline passed; retrying later',
    );
    return new RetryRunError(message, { code: 'AGENT_DEADLINE', cause });
  }
  if (cause instanceof RetryRunError) return cause;
  if (f.fatal) {
    const retryAfterMs = (cause as { retryAfterMs?: number }).retryAfterMs;
    return new RetryRunError(`Wix unavailable: ${message}`, {
      code: 'WIX_RETRY_LATER',
      cause,
      ...(retryAfterMs ? { retryAfterMs } : {}),
    });
  }
  if (APICallError.isInstance(cause) && cause.statusCode === 400) {
    // The model refused the request itself (e.g. the sandbox has no script for this handler): a retry
    // cannot help, so the event is dead-lettered at once with the reason.
    return new PermanentError(`model refused the request: ${message}`, { code: 'MODEL_REFUSED', cause });
  }
  if (APICallError.isInstance(cause)) {
    return new RetryRunError(`model call failed: ${message}`, { code: 'MODEL_UNAVAILABLE', cause });
  }
  if (!isRetryable(cause)) return cause;
  return new RetryRunError(message, { code: 'AGENT_FAILED', cause });
}

const emptyCounts: WriteCounts = {
  writesExecuted: 0,
  writesSimulated: 0,
  writesParked: 0,
  writesUnknown: 0,
  writesRefused: 0,
  writesFailed: 0,
};

/** Audits the calls the AI SDK refused before any tool ran; returns how many named an undeclared tool. */
async function recordParserRefusals(
  deps: AgentDeps,
  run: RunContext,
  steps: StepResult<ToolSet>[],
): Promise<number> {
  let undeclared = 0;
  for (const refused of refusedByParser(steps)) {
    const declared = run.handler.tools.find((t) => t.name === refused.tool);
    if (!declared) undeclared += 1;
    await deps.audit.recordCall({
      runId: run.runId,
      seq: run.budget.nextSeq(),
      eventId: run.event.id,
      handler: run.handler.name,
      instanceId: run.event.instanceId,
      tool: refused.tool,
      access: declared ? declared.access : 'unknown',
      arguments: refused.input ?? null,
      result: null,
      status: 'refused',
      idempotencyKey: null,
      error: declared ? `invalid arguments: ${refused.error}` : `not a tool of ${run.handler.name}`,
    });
    deps.metrics?.toolCalls.inc({ tool: declared ? refused.tool : 'undeclared', status: 'refused' });
  }
  return undeclared;
}

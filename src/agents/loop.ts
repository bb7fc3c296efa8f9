import {
  APICallError,
  generateText,
  stepCountIs,
  type LanguageModel,
  type StepResult,
  type ToolSet,
} from 'ai';
import type { AgentMode } from '../config/load.js';
import type { HandlerContext } from '../consumers/handler.js';
import type { BusEvent } from '../domain/events.js';
import { AppError, PermanentError, describeError, isRetryable } from '../errors.js';
import { defaultLimits, type AgentLimits } from '../handlers/define.js';
import type { BoundHandler } from '../handlers/load.js';
import type { WixRequester } from '../wix/client.js';
import type { Audit, RunStatus } from './audit.js';
import type { AgentMetrics } from './metrics.js';
import { policyTools, type RunState } from './policy.js';
import { eventPrompt, systemPrompt } from './prompt.js';

export interface AgentDeps {
  model: LanguageModel;
  /** Shown in the audit trail and logs, e.g. `sandbox model (scripted)` or `openai:gpt-4.1-mini`. */
  modelName: string;
  audit: Audit;
  client: WixRequester;
  metrics?: AgentMetrics;
}

export interface RunOutcome {
  runId: string;
  status: RunStatus;
  summary: string;
  steps: number;
  toolCalls: number;
}

/** A run that must be retried later as a whole (the bus backs off and redelivers the event). */
export class RetryRunError extends AppError {
  constructor(message: string, options: { code: string; retryAfterMs?: number; cause?: unknown }) {
    super(message, { ...options, retryable: true });
  }
}

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
  mode: AgentMode,
): Promise<RunOutcome> {
  const limits = limitsOf(handler);
  const started = performance.now();
  const runId = await deps.audit.startRun({
    eventId: event.id,
    eventType: event.type,
    instanceId: event.instanceId,
    handler: handler.name,
    model: deps.modelName,
    mode,
    attempt: ctx.attempt,
  });
  const state: RunState = { seq: 0, calls: 0, budgetExhausted: false };
  const fatal = new AbortController();
  const deadline = Date.now() + limits.deadlineMs;
  const signal = AbortSignal.any([ctx.signal, fatal.signal, AbortSignal.timeout(limits.deadlineMs)]);
  const tools = policyTools({
    runId,
    event,
    handler,
    mode,
    limits,
    audit: deps.audit,
    client: deps.client,
    signal,
    deadline,
    state,
    abort: (reason) => fatal.abort(reason),
    heartbeat: ctx.heartbeat,
    onCall: (c) => deps.metrics?.toolCalls.inc({ tool: c.tool, status: c.status }),
  });

  let tokens = 0;
  const finish = async (
    status: RunStatus,
    r: { steps: number; input: number; output: number; summary: string | null; error: string | null },
  ) => {
    const durationMs = Math.round(performance.now() - started);
    await deps.audit.finishRun(runId, {
      status,
      steps: r.steps,
      inputTokens: r.input,
      outputTokens: r.output,
      toolCalls: state.seq,
      durationMs,
      error: r.error,
      summary: r.summary,
    });
    deps.metrics?.runs.inc({ handler: handler.name, outcome: status });
    deps.metrics?.steps.observe({ handler: handler.name }, r.steps);
    deps.metrics?.tokens.inc({ handler: handler.name, kind: 'input' }, r.input);
    deps.metrics?.tokens.inc({ handler: handler.name, kind: 'output' }, r.output);
    deps.metrics?.duration.observe({ handler: handler.name }, durationMs / 1000);
  };

  try {
    const result = await generateText({
      model: deps.model,
      system: systemPrompt(handler, mode),
      prompt: eventPrompt(handler, event),
      tools,
      temperature: 0,
      maxOutputTokens: 2000,
      maxRetries: 2,
      abortSignal: signal,
      stopWhen: [
        stepCountIs(limits.maxSteps),
        () => state.budgetExhausted || tokens >= limits.maxTokens || state.seq >= limits.maxToolCalls,
      ],
      onStepFinish: async (step) => {
        tokens += step.usage.totalTokens ?? (step.usage.inputTokens ?? 0) + (step.usage.outputTokens ?? 0);
        await ctx.heartbeat();
      },
    });
    for (const refused of refusedByParser(result.steps)) {
      const seq = ++state.seq;
      const declared = handler.tools.find((t) => t.name === refused.tool);
      await deps.audit.recordCall({
        runId,
        seq,
        eventId: event.id,
        handler: handler.name,
        instanceId: event.instanceId,
        tool: refused.tool,
        access: declared ? declared.access : 'unknown',
        arguments: refused.input ?? null,
        result: null,
        status: 'refused',
        idempotencyKey: null,
        error: declared ? `invalid arguments: ${refused.error}` : `not a tool of ${handler.name}`,
      });
      deps.metrics?.toolCalls.inc({ tool: declared ? refused.tool : 'undeclared', status: 'refused' });
    }
    const last = result.steps.at(-1);
    const limited =
      state.budgetExhausted ||
      tokens >= limits.maxTokens ||
      state.seq >= limits.maxToolCalls ||
      (result.steps.length >= limits.maxSteps && last?.finishReason === 'tool-calls');
    const summary = result.text.trim().slice(0, 4000) || (limited ? 'stopped by a run limit' : '');
    const status: RunStatus = limited ? 'limited' : 'succeeded';
    await finish(status, {
      steps: result.steps.length,
      input: result.totalUsage.inputTokens ?? 0,
      output: result.totalUsage.outputTokens ?? 0,
      summary,
      error: limited
        ? `run limit reached (steps ${result.steps.length}/${limits.maxSteps}, tool calls ${state.seq}/${limits.maxToolCalls}, tokens ${tokens}/${limits.maxTokens})`
        : null,
    });
    return { runId, status, summary, steps: result.steps.length, toolCalls: state.seq };
  } catch (error) {
    const cause = state.fatal ?? error;
    const timedOut = !ctx.signal.aborted && !state.fatal && signal.aborted;
    const message = timedOut ? `run deadline of ${limits.deadlineMs} ms passed` : describeError(cause);
    await finish('failed', { steps: 0, input: 0, output: tokens, summary: null, error: message }).catch(
      () => {},
    );
    if (ctx.signal.aborted) throw error;
    if (timedOut) throw new RetryRunError(message, { code: 'AGENT_DEADLINE', cause });
    if (state.fatal) {
      const retryAfterMs = (state.fatal as { retryAfterMs?: number }).retryAfterMs;
      throw new RetryRunError(`Wix unavailable: ${message}`, {
        code: 'WIX_RETRY_LATER',
        cause,
        ...(retryAfterMs ? { retryAfterMs } : {}),
      });
    }
    if (APICallError.isInstance(cause) && cause.statusCode === 400) {
      // The model refused the request itself (e.g. the sandbox has no script for this handler): a retry
      // cannot help, so the event is dead-lettered at once with the reason.
      throw new PermanentError(`model refused the request: ${message}`, { code: 'MODEL_REFUSED', cause });
    }
    if (APICallError.isInstance(cause)) {
      throw new RetryRunError(`model call failed: ${message}`, { code: 'MODEL_UNAVAILABLE', cause });
    }
    if (!isRetryable(cause)) throw cause;
    throw new RetryRunError(message, { code: 'AGENT_FAILED', cause });
  }
}

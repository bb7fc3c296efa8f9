import type { Logger } from 'pino';
import type { AgentMode } from '../domain/modes.js';
import type { Audit } from '../calls/audit.js';
import { RetryRunError } from '../calls/errors.js';
import type { Journal } from '../calls/journal.js';
import { runStatus } from '../agents/loop.js';
import type { AgentMetrics } from '../calls/metrics.js';
import { describeError } from '../errors.js';
import { WixApiError } from '../wix/errors.js';
import type { WixRequester } from '../wix/request.js';
import type { AnyWixTool } from '../wix/tools/tool.js';
import { toolMode, inScope, missingScope, type TokenScope } from './scope.js';
import { clampLimit } from './schema.js';
import { keyOf, runGuardedCall } from './write-path.js';

/** The token a call is made with (scope plus identity). */
export interface CallerToken extends TokenScope {
  id: string;
  name: string;
}

export interface McpCallDeps {
  audit: Audit;
  /**
   * The write journal of this process, shared with the agents' runs and approvals: MCP writes are
   * journalled, sent at most once and settled exactly as handler writes are.
   */
  journal: Journal;
  client: WixRequester;
  metrics?: AgentMetrics;
  logger?: Logger;
  /** `AGENT_MODE`: no token is looser than this. */
  ceiling: AgentMode;
  /** How long one call may take, waits for the site's limiter and Wix's 429s included. Default 25_000 ms. */
  callDeadlineMs?: number;
  /** Length of the window in which an identical write by one token is not sent again. Default 600_000 ms. */
  dedupeWindowMs?: number;
  now?: () => number;
}

/** Answer to a client: data, or a short actionable message (`isError`). */
export type McpCallResult = { ok: true; data: unknown } | { ok: false; message: string };

/** The argument naming the site, added to every tool's MCP schema. */
export const SITE_ARG = 'siteId';

/** Model-facing results that report a failure (`{error:{message}}` from the policy or a tool). */
function failureOf(result: unknown): string | undefined {
  if (!result || typeof result !== 'object' || !('error' in result)) return undefined;
  const error = (result as { error: { code?: string; message?: string } }).error;
  return `${error.code ? `${error.code}: ` : ''}${error.message ?? 'failed'}`;
}

/** A failure the handlers' model never sees, told to an MCP client as what to do next. */
export function retryMessage(error: unknown): string {
  if (error instanceof RetryRunError && error.code === 'WRITE_IN_FLIGHT') {
    const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 30_000) / 1000));
    return `the same write is in flight in another process: retry after ${seconds} s to get its outcome`;
  }
  if (error instanceof WixApiError) {
    const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000));
    if (error.code === 'DEADLINE' || error.code === 'RATE_LIMITED' || error.status === 429) {
      return `rate limited by Wix for this site: retry after ${seconds} s`;
    }
    if (error.retryable) return `Wix is unavailable (${error.code}): retry after ${seconds} s`;
    return error.message.slice(0, 500);
  }
  if (error instanceof Error && error.name === 'AbortError') return 'the call was cancelled';
  return `the call failed: ${describeError(error).slice(0, 300)}`;
}

/**
 * One MCP tool call with the guarantees handlers have: scope and site checked before any Wix
 * request, arguments validated (a `limit` above the tool's page is lowered to one page), every
 * request through the site's limiter within a per-call deadline, writes in the token's mode (never
 * looser than `AGENT_MODE`) with an idempotency key, and every call in the audit with
 * `mcp:<token name>` as the actor.
 *
 * Idempotency: the key is derived from the token, the tool, the arguments and either the client's
 * key (`clientKey`) or the current `dedupeWindowMs` window; an identical write in this or the
 * previous window returns the recorded outcome instead of writing again.
 */
export async function callToolForToken(
  deps: McpCallDeps,
  token: CallerToken,
  tool: AnyWixTool,
  rawArgs: Record<string, unknown> | undefined,
  options: { signal?: AbortSignal; clientKey?: string } = {},
): Promise<McpCallResult> {
  const now = deps.now ?? Date.now;
  const actor = `mcp:${token.name}`;
  const { [SITE_ARG]: siteArg, ...args } = rawArgs ?? {};
  const siteMissing = siteArg === undefined && token.sites.length > 1;
  const instanceId = siteArg === undefined ? (siteMissing ? '(none)' : token.sites[0]!) : String(siteArg);
  const mode = toolMode(tool, token.mode, deps.ceiling);
  const window = Math.floor(now() / (deps.dedupeWindowMs ?? 600_000));
  const basisOf = (w: number | string) =>
    `mcp:${token.id}:${options.clientKey ? `key:${options.clientKey}` : w}`;

  // Validated before the run starts: the write key (and so the window it belongs to) needs the parsed input.
  const { args: clamped, note } = clampLimit(tool, args);
  const parsed = tool.input.safeParse(clamped);
  const input = parsed.success ? (parsed.data as Record<string, unknown>) : undefined;
  // An identical write journalled in the previous window is the same write: the call joins that
  // window, so the runner's decision answers it (replay, wait, or settle), never a second send.
  let basis = basisOf(window);
  if (tool.access === 'write' && input && !options.clientKey) {
    const earlier = basisOf(window - 1);
    if (await deps.journal.find(keyOf(actor, earlier, tool, input))) basis = earlier;
  }

  const runId = await deps.audit.startRun({
    eventId: basis,
    eventType: 'mcp_call',
    instanceId: instanceId.slice(0, 100),
    handler: actor,
    model: 'mcp client',
    mode,
    attempt: 1,
  });
  const started = performance.now();
  const finish = async (failure: { message: string; fatal: boolean } | undefined) => {
    const counts = await deps.audit.writeCounts(runId);
    const status =
      failure?.fatal || (failure && tool.access === 'read') ? 'failed' : runStatus(false, counts, 0);
    await deps.audit.finishRun(runId, {
      status,
      steps: 1,
      inputTokens: 0,
      outputTokens: 0,
      toolCalls: 1,
      durationMs: Math.round(performance.now() - started),
      error: failure?.message ?? null,
      summary: null,
      counts,
    });
    // One line per call, as the HTTP access log has one per request (stdio has no other).
    deps.logger?.info(
      {
        tool: tool.name,
        actor,
        instanceId: instanceId.slice(0, 100),
        runId,
        status,
        ...(failure ? { error: failure.message } : {}),
      },
      'mcp tool call',
    );
  };
  const refuse = async (message: string): Promise<McpCallResult> => {
    await deps.audit.recordCall({
      runId,
      seq: 1,
      eventId: basis,
      handler: actor,
      instanceId: instanceId.slice(0, 100),
      tool: tool.name,
      access: tool.access,
      arguments: rawArgs ?? null,
      result: null,
      status: 'refused',
      idempotencyKey: null,
      error: message,
    });
    await finish({ message, fatal: false });
    return { ok: false, message };
  };

  if (!inScope(tool, token)) return refuse(`out of scope: ${missingScope(tool, token)}`);
  if (siteMissing) return refuse(`give ${SITE_ARG}: one of ${token.sites.join(', ')}`);
  if (!token.sites.includes(instanceId)) {
    return refuse(
      `site ${instanceId.slice(0, 100)} is not one of this token's sites (${token.sites.join(', ')})`,
    );
  }
  if (!parsed.success || !input) {
    const issues = (parsed.error?.issues ?? []).map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`);
    return refuse(`invalid arguments for ${tool.name}: ${issues.join('; ')}`);
  }

  const deadline = now() + (deps.callDeadlineMs ?? 25_000);
  const signal = options.signal
    ? AbortSignal.any([options.signal, AbortSignal.timeout(deps.callDeadlineMs ?? 25_000)])
    : AbortSignal.timeout(deps.callDeadlineMs ?? 25_000);
  const outcome = await runGuardedCall({
    runId,
    actor,
    basis,
    instanceId,
    tool,
    input,
    mode,
    audit: deps.audit,
    journal: deps.journal,
    client: deps.client,
    signal,
    deadline,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  if ('fatal' in outcome) {
    const message = retryMessage(outcome.fatal);
    await finish({ message, fatal: true });
    return { ok: false, message };
  }
  const failure = failureOf(outcome.result);
  await finish(failure ? { message: failure, fatal: false } : undefined);
  if (failure) return { ok: false, message: failure };
  return { ok: true, data: note ? { ...(outcome.result as object), note } : outcome.result };
}

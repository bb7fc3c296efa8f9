import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { WixRequester } from '../request.js';
import { WixApiError } from '../errors.js';
import type { CallScope, WriteScope } from '../resources/scope.js';

/** What a tool call runs with. Built by the agent loop for each call. */
export interface ToolContext {
  /** The Wix client (auth, limiter, retries), or a wrapper of it such as `observeRequests`. */
  client: WixRequester;
  /** The site the event came from; tools act on this site only. */
  instanceId: string;
  /** Aborts the call (run cancelled, shutdown). */
  signal?: AbortSignal;
  /** Epoch ms the run must finish by; Wix waits that would pass it fail with a retryable DEADLINE error. */
  deadline?: number;
  /** Write tools send it (one derived key per Wix request) so the client may retry them safely. */
  idempotencyKey?: string;
}

/**
 * A capability offered to a model. `input` validates and documents the arguments (zod `.describe()`
 * is what the model reads); `execute` receives parsed input and returns compact JSON for the model.
 * Failures are thrown: `WixApiError` (see `modelVisibleError`) or `ToolInputError`.
 */
export interface WixTool<S extends z.ZodType = z.ZodType, R = unknown, N extends string = string> {
  /** Stable snake_case name the model calls it by; its literal type keys handler guards. */
  name: N;
  description: string;
  input: S;
  access: 'read' | 'write';
  tags: string[];
  execute(ctx: ToolContext, input: z.output<S>): Promise<R>;
  /** A write that can be sent again with no further effect (e.g. adding labels, a set). Default false. */
  repeatable?: boolean;
  /**
   * For a write whose outcome a crash made unknown: looks in Wix for its effect. Returns the result when
   * the write was applied, undefined when it was not (then it may be sent).
   */
  reconcile?(ctx: ToolContext, input: z.output<S>): Promise<R | undefined>;
}

/** Any tool, for lists. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyWixTool = WixTool<z.ZodType, any, string>;

/** Defines a tool; its name stays a literal type, so guards can be typed by tool name. */
export function defineTool<S extends z.ZodType, R, const N extends string>(
  tool: WixTool<S, R, N>,
): WixTool<S, R, N> {
  return tool;
}

/** Arguments that do not match the tool's input schema. Not retryable: the model must fix them. */
export class ToolInputError extends AppError {
  constructor(
    readonly tool: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(
      `invalid arguments for ${tool}: ${issues.map((i) => `${i.path || '(input)'}: ${i.message}`).join('; ')}`,
      {
        code: 'INVALID_TOOL_INPUT',
        retryable: false,
      },
    );
  }
}

/** Validates raw arguments (e.g. from a model) and runs the tool. */
export async function runTool<S extends z.ZodType, R>(
  tool: WixTool<S, R>,
  ctx: ToolContext,
  raw: unknown,
): Promise<R> {
  const parsed = tool.input.safeParse(raw);
  if (!parsed.success) {
    throw new ToolInputError(
      tool.name,
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  return tool.execute(ctx, parsed.data);
}

/**
 * What a model may be shown about a failed call, or undefined when the error must not reach it:
 * retryable failures (429, 5xx, DEADLINE) end the run so the event is retried later as a whole.
 */
export function modelVisibleError(
  error: unknown,
): { error: { code: string; status?: number; message: string; fields?: string[] } } | undefined {
  if (error instanceof ToolInputError) return { error: { code: error.code, message: error.message } };
  if (!(error instanceof WixApiError) || error.retryable) return undefined;
  return {
    error: {
      code: error.code,
      status: error.status,
      message: error.message.slice(0, 500),
      ...(error.fieldViolations.length ? { fields: error.fieldViolations.map((v) => v.field) } : {}),
    },
  };
}

export function scopeOf(ctx: ToolContext): CallScope {
  return { instanceId: ctx.instanceId, signal: ctx.signal, deadline: ctx.deadline };
}

/** Scope of one write request inside a tool call: the call's key, suffixed per step so each request has its own. */
export function writeScope(ctx: ToolContext, step: string): WriteScope {
  return {
    ...scopeOf(ctx),
    idempotencyKey: ctx.idempotencyKey ? `${ctx.idempotencyKey}:${step}` : undefined,
  };
}

/** A Wix entity id (GUID and similar): letters, digits, dashes, underscores. */
export const wixId = z
  .string()
  .trim()
  .max(64)
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a Wix id (letters, digits, - and _; at most 64)');

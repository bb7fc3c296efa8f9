import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { WixRequester } from '../request.js';
import { WixApiError } from '../errors.js';
import type { RequestScope, WriteScope } from '../resources/scope.js';
import { withoutNulls } from './nulls.js';
import type { DescribeContext, ToolPhrase } from './phrase.js';

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
  /**
   * A short reference of this write (derived from its key), for a tool that can put it in what it
   * writes (e.g. a task description) and find it again in `reconcile`. Absent for reads.
   */
  writeRef?: string;
}

/**
 * How a write whose outcome is unknown is settled: sent and its answer lost, or answered 2xx (applied)
 * and then the tool failed, e.g. on an answer without the fields it reads (see `sendWrite`):
 * - `repeat`: applying it twice has no further effect (e.g. adding labels, a set): it is sent again,
 *   once; still unknown after that, it is parked.
 * - `reconcile`: `reconcile` looks it up in Wix; found → done; not found → parked for a person.
 * - `park`: parked as "outcome unknown" for a person to check Wix, then mark done or send again.
 */
export type SettlePolicy = 'repeat' | 'reconcile' | 'park';

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
  /**
   * The Wix permission of the tool's main call: its `@permissionId` in the `@wix/auto_sdk_*` typings
   * (e.g. `ECOM.READ_ORDERS`), or, where no typings give an id, the name Wix's REST reference shows (e.g.
   * `Read Data Items`). A tool's other calls (lookups, a V1 fallback) may need more; the tool file names
   * them. An app gets permissions through permission scopes (e.g. `SCOPE.DC-STORES.READ-ORDERS`), each
   * granting several. Shown to MCP clients and in token listings.
   */
  permission?: string;
  /** A write that removes or cancels something (MCP `destructiveHint`); MCP parks it for approval by default. */
  destructive?: boolean;
  /**
   * Runs the tool. A write tool that makes several write requests must make every one before its last
   * safe to repeat (get-or-create, as label_contact's label): a refused write request (4xx) ends the
   * call as `failed`, which may be asked for again. Anything failing after a write was applied makes
   * the outcome unknown, settled as `settle` says (see `sendWrite`).
   */
  execute(ctx: ToolContext, input: z.output<S>): Promise<R>;
  /**
   * The call in plain English for people (console timeline and approval cards, CLI approvals listing,
   * demo report), from its parsed input: `todo` is the action not (yet) done ("label the buyer's contact
   * “vip”"), `did` the same done ("labelled …"). Short: a verb, what it acts on, customer text quoted and
   * clipped (see `phrase.ts`). `about` names the event's own contact and order ("the buyer's contact").
   * Every catalog tool has one (test/wix/tool-phrases.test.ts); a tool without it is shown as
   * `call the tool <name> <compact arguments>` (`fallbackPhrase`). Read through `describeToolCall`.
   */
  describe?(input: z.output<S>, about: DescribeContext): ToolPhrase;
  /** Writes: how an unknown outcome is settled. Default `reconcile` when `reconcile` is given, else `park`. */
  settle?: SettlePolicy;
  /**
   * For a write whose outcome is unknown: looks in Wix for its effect. Returns the result when the write
   * was applied, undefined when it was not found.
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

/**
 * Validates raw arguments (e.g. from a model or an MCP client) and runs the tool. `null` for an
 * optional argument means absent (strict-mode models send it for "not given"): see `withoutNulls`.
 */
export async function runTool<S extends z.ZodType, R>(
  tool: WixTool<S, R>,
  ctx: ToolContext,
  raw: unknown,
): Promise<R> {
  const parsed = tool.input.safeParse(withoutNulls(tool.input, raw));
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

export function scopeOf(ctx: ToolContext): RequestScope {
  return { instanceId: ctx.instanceId, signal: ctx.signal, deadline: ctx.deadline };
}

/** Scope of one write request inside a tool call (no idempotency key: Wix honours none). */
export function writeScope(ctx: ToolContext): WriteScope {
  return scopeOf(ctx);
}

/** A Wix entity id (GUID and similar): letters, digits, dashes, underscores. */
export const wixId = z
  .string()
  .trim()
  .max(64)
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a Wix id (letters, digits, - and _; at most 64)');

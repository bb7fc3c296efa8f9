/**
 * Helpers of the built-in handlers' `sandbox` scripts (what the sandbox model does for them): loose
 * readers of JSON of unknown shape and of the calls so far. Written against `../api.ts` only, as helpers
 * in a user's own handlers repository would be.
 */
import type { ScriptCall, ScriptContext } from '../api.js';

type Json = Record<string, unknown>;

/** `v` as an object, `{}` when it is not one. */
export const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
/** `v` as a string, undefined when it is not one. */
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** `v` as an array, `[]` when it is not one. */
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The results of the earlier calls to `tool`, oldest first. */
export function resultsOf(context: ScriptContext, tool: string): unknown[] {
  return context.results.filter((r) => r.tool === tool).map((r) => r.result);
}

/** True once any of `tools` was called. */
export function calledAny(context: ScriptContext, tools: readonly string[]): boolean {
  return context.results.some((r) => tools.includes(r.tool));
}

/** The calls among `calls` to offered tools (falsy entries dropped): a model asks for nothing else. */
export function offeredCalls(
  context: ScriptContext,
  calls: readonly (ScriptCall | false | undefined | null | '')[],
): ScriptCall[] {
  return calls.filter((c): c is ScriptCall => Boolean(c) && context.offered.includes((c as ScriptCall).tool));
}

/** `what`, saying so when the write was simulated (dry-run), parked for approval, or failed. */
export function describeWrite(result: unknown, what: string): string {
  const r = obj(result);
  if (r.status === 'simulated') return `${what} (simulated, dry-run)`;
  if (r.status === 'pending_approval') return `${what} (awaiting approval)`;
  if (r.error) return `${what} failed: ${str(obj(r.error).message) ?? 'error'}`;
  return what;
}

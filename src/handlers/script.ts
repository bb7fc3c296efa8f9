/**
 * Scripts for stand-in models: what a "model" does, turn by turn, for one handler. The sandbox model
 * (`LLM_PROVIDER=sandbox`, the demo) follows a handler's `sandbox` script, and the testing kit's scripted
 * model follows the script a test gives. Not an LLM: a script never reads customer text as instructions.
 */

/**
 * The request header that tells a stand-in model (the sandbox model, the testing kit's) which handler a
 * call is for. Sent only to stand-ins (see `standInHeaders`); a real model's requests never carry it, and
 * the prompt does not name the handler for them.
 */
export const HANDLER_HEADER = 'x-wix-event-agent-handler';

/** The headers of a stand-in model's call for `handler`. */
export function standInHeaders(handler: string): Record<string, string> {
  return { [HANDLER_HEADER]: handler };
}

/** One tool call the scripted model makes. */
export interface ScriptCall {
  tool: string;
  input: Record<string, unknown>;
}

/** One model turn: tool calls (the loop runs them and asks again), or final text (the run ends). */
export type ScriptTurn = { calls: readonly ScriptCall[] } | { text: string };

/** What a script step may look at: what a model sees of the call. */
export interface ScriptContext {
  /** The handler's data block (what `data(event)` returned), as the model sees it. */
  data: Record<string, unknown>;
  /** The system prompt: the handler's instructions (its settings applied) and the rules every agent runs under. */
  system: string;
  /** The names of the tools offered on this call (the handler's, less those its settings switch off). */
  offered: readonly string[];
  /** Every tool call so far with its result (including refusals and simulated writes). */
  results: { tool: string; input: Record<string, unknown>; result: unknown }[];
  /** 0 on the first model call of the run. */
  turn: number;
}

export type ScriptStep = ScriptTurn | ((context: ScriptContext) => ScriptTurn);

/**
 * A script: a list of steps, one per model call (after the last, the model answers `done`), or one
 * function called for every turn.
 */
export type SandboxScript = readonly ScriptStep[] | ((context: ScriptContext) => ScriptTurn);

/** The turn a script gives at `context.turn`. */
export function scriptTurn(script: SandboxScript, context: ScriptContext): ScriptTurn {
  if (typeof script === 'function') return script(context);
  const step = script[context.turn];
  if (step === undefined) return { text: 'done' };
  return typeof step === 'function' ? step(context) : step;
}

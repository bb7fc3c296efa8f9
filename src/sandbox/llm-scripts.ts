/**
 * SANDBOX ONLY. What the scripted stand-in model "decides": the turn of the script of the handler the
 * request is for (a handler's `sandbox` script, by the handler named in the request's header). It knows
 * no handler itself, built-in or not. It never follows text inside the data; it is not an LLM and says so.
 */
import { scriptTurn, type SandboxScript } from '../handlers/script.js';
import type { Conversation } from './llm-conversation.js';

export interface PlannedCall {
  name: string;
  args: Record<string, unknown>;
}
export type Turn = { calls: PlannedCall[] } | { text: string };

/**
 * The scripted turn for a request: the turn of the script given for its handler (`scripts`, by handler
 * name: the handlers' `sandbox` scripts). Undefined when there is none: the emulator then says so with
 * an error.
 */
export function scriptedTurn(
  c: Conversation,
  scripts: Readonly<Record<string, SandboxScript>> = {},
): Turn | undefined {
  const script =
    c.handler !== undefined && Object.hasOwn(scripts, c.handler) ? scripts[c.handler] : undefined;
  if (!script) return undefined;
  const turn = scriptTurn(script, {
    data: c.data,
    system: c.system,
    offered: [...c.offered],
    results: c.history.map((h) => ({ tool: h.name, input: h.args, result: h.result })),
    turn: c.turns,
  });
  return 'text' in turn
    ? { text: turn.text }
    : { calls: turn.calls.map((call) => ({ name: call.tool, args: call.input })) };
}

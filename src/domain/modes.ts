/**
 * Write modes and the `AGENT_MODE` ceiling: the one rule every room that writes shares (agent runs,
 * approvals, MCP tokens). A mode says what happens to a write: `live` sends it, `approval` parks it
 * for a person, `dry-run` records it as simulated.
 */

/** The write modes, loosest first. */
export const agentModes = ['live', 'dry-run', 'approval'] as const;

/** `live` | `dry-run` | `approval`. */
export type AgentMode = (typeof agentModes)[number];

/** Strictness of a mode: dry-run > approval > live. */
const strictness: Record<AgentMode, number> = { live: 0, approval: 1, 'dry-run': 2 };

/**
 * `AGENT_MODE` is a ceiling: the mode a write runs in is the strictest of the ceiling and whatever
 * else asks (a handler's file, its `AGENT_MODE_OVERRIDES` entry, an MCP token, a destructive tool).
 * Anything can only make it stricter; `undefined` asks for nothing.
 */
export function effectiveMode(ceiling: AgentMode, ...requested: (AgentMode | undefined)[]): AgentMode {
  let mode = ceiling;
  for (const m of requested) if (m && strictness[m] > strictness[mode]) mode = m;
  return mode;
}

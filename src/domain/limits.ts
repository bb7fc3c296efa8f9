/** The bounds of one agent run, shared by the handler contract, the run and its tool calls. */

/** Bounds of one agent run. Defaults in `defaultLimits`. */
export interface AgentLimits {
  /** Model calls (steps) per run. Default 8. */
  maxSteps: number;
  /** Tool calls per run, allowed or not. Default 16. */
  maxToolCalls: number;
  /** Input + output tokens per run. Default 30,000. */
  maxTokens: number;
  /** Wall-clock budget of a run, ms. Default 120,000. */
  deadlineMs: number;
  /** Writes per tool for one event, across all runs of this handler (e.g. one order note). Default: 1 each. */
  writesPerTool: Record<string, number>;
}

export const defaultLimits: Omit<AgentLimits, 'writesPerTool'> = {
  maxSteps: 8,
  maxToolCalls: 16,
  maxTokens: 30_000,
  deadlineMs: 120_000,
};

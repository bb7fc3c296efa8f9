import type { AgentMode } from '../config/load.js';
import type { BusEvent, EventType } from '../domain/events.js';
import type { AnyWixTool } from '../wix/tools/tool.js';

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

/** A write the model asked for, as the guard sees it. */
export interface WriteRequest {
  tool: string;
  input: Record<string, unknown>;
}

/** Settings a handler may read (from the environment, via the config). */
export interface HandlerSettings {
  vipLifetimeSpend: number;
  [key: string]: unknown;
}

/**
 * A handler: an agent with instructions and a least-privilege set of tools, run on one event type.
 * It can only call the tools it declares; `guard` keeps each write within the handler's purpose.
 */
export interface HandlerDefinition<T extends EventType = EventType> {
  /** Stable name (audit, idempotency keys, per-handler mode). */
  name: string;
  on: T;
  /** The only tools the model is offered and may call. */
  tools: readonly AnyWixTool[];
  /** What the agent should do, in words a site owner can read and adapt. */
  instructions: string | ((settings: HandlerSettings) => string);
  /**
   * The facts of the event the model sees, as JSON data. Customer text in it stays data: it is shown
   * inside a delimited block the instructions declare to be data.
   */
  data(event: BusEvent): Record<string, unknown>;
  /** Refuses a write outside the handler's purpose: return a short reason, or undefined to allow. */
  guard?(write: WriteRequest, event: BusEvent): string | undefined;
  /** Overrides `AGENT_MODE` for this handler. */
  mode?: AgentMode;
  limits?: Partial<AgentLimits>;
  /** False to leave the handler out unless enabled (e.g. by a setting). Default true. */
  enabled?: boolean | ((settings: HandlerSettings) => boolean);
}

export function defineHandler<T extends EventType>(definition: HandlerDefinition<T>): HandlerDefinition<T> {
  const names = definition.tools.map((t) => t.name);
  if (new Set(names).size !== names.length) throw new Error(`${definition.name}: a tool is declared twice`);
  return definition;
}

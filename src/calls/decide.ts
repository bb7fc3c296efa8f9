import type { AgentMode } from '../domain/modes.js';
import type { ToolCallStatus } from './audit.js';

/** What a write call comes to. The runner carries it out; this module only decides. */
export type WriteDecision =
  /** Not allowed: budget used up, outside the handler's purpose, or over the per-event write count. */
  | { kind: 'refuse'; reason: string }
  /** Asked before (same event, handler, tool, arguments): answer with what happened then. */
  | { kind: 'replay' }
  /** In flight in a live process: this run stops and is retried later, never touches it. */
  | { kind: 'wait' }
  /** Left `started` by an owner that is gone: look it up in Wix, or park it for a person. */
  | { kind: 'settle' }
  /** dry-run: record it, tell the model it was simulated. */
  | { kind: 'simulate' }
  /** approval: park it until a person approves or rejects it. */
  | { kind: 'park' }
  /** live: journal it as started, then send it. */
  | { kind: 'execute' };

/** The facts a write decision rests on (all read before deciding; nothing here does I/O). */
export interface WriteFacts {
  mode: AgentMode;
  /** False when this call is over the run's tool-call budget. */
  withinBudget: boolean;
  maxToolCalls: number;
  /** The journal row already holding this write's key, if any. */
  previous?: { status: ToolCallStatus; ownerAlive: boolean };
  /** The handler guard's refusal, if it refused. */
  guardReason?: string;
  tool: string;
  /** Writes of this tool already made (or parked) for this event by this handler, and how many are allowed. */
  used: number;
  allowed: number;
}

/**
 * Decides a write call. Order matters: the budget first (a spent run does nothing), then what is
 * already journalled under the key (a repeat is never a second write), then the handler's guard and
 * write count, then the mode.
 */
export function decideWrite(f: WriteFacts): WriteDecision {
  if (!f.withinBudget) return refuseBudget(f.maxToolCalls);
  if (f.previous) {
    if (f.previous.status !== 'started') return { kind: 'replay' };
    return f.previous.ownerAlive ? { kind: 'wait' } : { kind: 'settle' };
  }
  if (f.guardReason) return { kind: 'refuse', reason: f.guardReason };
  if (f.used >= f.allowed) {
    return {
      kind: 'refuse',
      reason: `${f.tool} was already used ${f.allowed} time(s) for this event; no more allowed`,
    };
  }
  if (f.mode === 'dry-run') return { kind: 'simulate' };
  if (f.mode === 'approval') return { kind: 'park' };
  return { kind: 'execute' };
}

/** A read runs unless the budget is spent. */
export function decideRead(f: { withinBudget: boolean; maxToolCalls: number }): WriteDecision {
  return f.withinBudget ? { kind: 'execute' } : refuseBudget(f.maxToolCalls);
}

function refuseBudget(max: number): WriteDecision {
  return { kind: 'refuse', reason: `tool call budget of ${max} per run is used up; finish now` };
}

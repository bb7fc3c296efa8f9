import type { Logger } from 'pino';
import type { AgentMode } from '../domain/modes.js';
import type { BusEvent } from '../domain/events.js';
import type { AgentLimits } from '../domain/limits.js';
import type { BoundHandler } from '../handlers/load.js';
import type { CommitOptions } from '../store/port.js';
import type { WixRequester } from '../wix/request.js';
import type { Audit, DeferredToolCall } from './audit.js';
import type { RunBudget } from './budget.js';
import type { Journal } from './journal.js';
import type { AgentMetrics } from './metrics.js';

/**
 * Everything one agent run works with: the event and handler, the effective mode, the ports (audit,
 * journal, Wix client) and the run's bounds (signal, deadline, budget). One type from the loop down
 * to the tool call; tools themselves receive only the slice they need (`ToolContext`).
 */
export interface RunContext {
  runId: string;
  event: BusEvent;
  handler: BoundHandler;
  /** The effective mode, already capped by `AGENT_MODE` (see `effectiveMode`). */
  mode: AgentMode;
  limits: AgentLimits;
  audit: Audit;
  /**
   * Read calls made so far, recorded with the run's end (`Audit.finishRun`) in the same statement:
   * reads have no side effect, so one statement per run instead of one per call. Writes are never
   * here. Null when reads are recorded at once: a single call (MCP), or a read finishing after the
   * run's end was recorded.
   */
  deferredReads: DeferredToolCall[] | null;
  journal: Journal;
  client: WixRequester;
  /** Aborted at shutdown, at the deadline, or when the budget fails the run. */
  signal: AbortSignal;
  /** Epoch ms the run must finish by. */
  deadline: number;
  budget: RunBudget;
  /** Keeps the event leased during long work. */
  heartbeat(): Promise<void>;
  /**
   * How the run's own records commit (its start and end, its writes' outcomes; never a write's journal
   * row, which is synced before the write is sent): see `AgentDeps.runRecords`.
   */
  runRecords?: CommitOptions;
  metrics?: AgentMetrics;
  logger?: Logger;
}

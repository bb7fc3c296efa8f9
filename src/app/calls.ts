/**
 * Every tool call's shared parts, built once per process: the audit trail, the write journal this
 * process owns, the agents' metrics and the approvals. Agent runs, approvals, MCP (HTTP and stdio) and
 * the CLI's decisions all send through these, with the same logger and metrics.
 */
import { createApprovals, type Approvals } from '../calls/approvals.js';
import type { Audit } from '../calls/audit.js';
import { createJournal, newWriteOwner, type Journal } from '../calls/journal.js';
import { createAgentMetrics, type AgentMetrics } from '../calls/metrics.js';
import type { Config } from '../config/load.js';
import type { Logger } from '../observability/logger.js';
import type { Registry } from '../observability/metrics.js';
import type { Store } from '../store/port.js';
import type { WixRequester } from '../wix/request.js';
import type { AnyWixTool } from '../wix/tools/tool.js';
import { wixTools } from '../wix/tools/index.js';

export interface Calls {
  audit: Audit;
  /** The write journal this process owns (agent runs, approvals and MCP calls send through it). */
  journal: Journal;
  metrics: AgentMetrics;
  approvals: Approvals;
  /** Stops the sweep of orphaned writes, if one runs. */
  close(): void;
}

/** What the call path is built from. */
export interface CallParts {
  store: Store;
  /** The process's audit trail (built once, in createService or the command). */
  audit: Audit;
  client: WixRequester;
  /** The loaded handlers: an approved call runs the tool of the handler that parked it. */
  handlers: readonly { name: string; tools: readonly AnyWixTool[] }[];
  logger: Logger;
  registry: Registry;
  /**
   * Settle writes left in flight by a process that is gone, now and every `WRITE_OWNER_TTL`: the
   * service's worker does; one-shot commands (the CLI's decisions, MCP stdio) leave it to the service.
   */
  sweepOrphans?: boolean;
}

/** Builds the call path's shared parts from `WRITE_OWNER_TTL` and the process's store and client. */
export function buildCalls(config: Pick<Config, 'writeOwnerTtlMs'>, parts: CallParts): Calls {
  const { audit, logger } = parts;
  const journal = createJournal(parts.store, newWriteOwner(config.writeOwnerTtlMs));
  const metrics = createAgentMetrics(parts.registry, () => audit.countPending());
  const approvals = createApprovals({
    audit,
    journal,
    client: parts.client,
    tools: wixTools,
    handlers: parts.handlers,
    logger: logger.child({ component: 'approvals' }),
    metrics,
  });
  let sweep: NodeJS.Timeout | undefined;
  if (parts.sweepOrphans) {
    // Writes left in flight by a process that is gone (crash mid-write, in a run or an approval) are
    // settled now and then every owner TTL: looked up in Wix or parked as outcome unknown.
    const recover = () =>
      approvals
        .recoverOrphans()
        .then(
          (n) => n > 0 && logger.warn({ settled: n }, 'settled writes left in flight by a stopped process'),
        )
        .catch((error: unknown) => logger.warn({ err: error }, 'could not settle orphaned writes'));
    void recover();
    sweep = setInterval(() => void recover(), config.writeOwnerTtlMs);
    sweep.unref();
  }
  return { audit, journal, metrics, approvals, close: () => clearInterval(sweep) };
}

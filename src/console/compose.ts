import type { Router } from 'express';
import type { Approvals } from '../calls/approvals.js';
import type { Audit } from '../calls/audit.js';
import type { Bus } from '../bus/port.js';
import type { Logger } from '../observability/logger.js';
import type { Registry } from '../observability/metrics.js';
import type { Store } from '../store/port.js';
import type { SiteLimiterStats } from '../wix/limiter/observed.js';
import { createArrivalsLog, type ArrivalsLog } from './arrivals.js';
import type { McpTokenAdmin } from './deps.js';
import { createHealth } from './health.js';
import { consoleOffRouter, consoleRouter } from './router.js';

export interface ConsoleParts {
  /** Mount at `/console`. */
  router: Router;
  /** The arrivals log the ingress records into, when the console is on. */
  arrivals: ArrivalsLog | undefined;
}

/**
 * The console's slice of the composition root: on with an admin token (sign-in, pages, actions),
 * otherwise a page saying how to turn it on. Nothing here opens a connection of its own.
 */
export function composeConsole(o: {
  adminToken: string | undefined;
  store: Store;
  bus: Bus;
  audit: Audit;
  approvals?: Approvals | undefined;
  limiterStats?: (() => SiteLimiterStats[]) | undefined;
  /** The MCP token store, where the service runs an MCP server: adds the MCP tokens page. */
  mcpTokens?: McpTokenAdmin | undefined;
  registry: Registry;
  logger: Logger;
  /** Shown on the health page as they are. */
  facts: Record<string, string>;
}): ConsoleParts {
  if (!o.adminToken) return { router: consoleOffRouter(), arrivals: undefined };
  // The embedded bus keeps each published event in the same store: the log need not copy it.
  const arrivals = createArrivalsLog(o.store, { eventsOnBus: o.bus.kind === 'embedded', bus: o.bus });
  const health = createHealth({
    checks: [
      { name: `store (${o.store.kind})`, check: async () => void (await o.store.query('SELECT 1')) },
      { name: `bus (${o.bus.kind})`, check: () => o.bus.ping() },
    ],
    registry: o.registry,
    busKind: o.bus.kind,
    backlog: () => o.bus.backlog(),
    limiter: o.limiterStats,
    facts: o.facts,
  });
  const router = consoleRouter({
    adminToken: o.adminToken,
    audit: o.audit,
    arrivals,
    bus: o.bus,
    approvals: o.approvals,
    mcpTokens: o.mcpTokens,
    health,
    logger: o.logger.child({ component: 'console' }),
  });
  return { router, arrivals };
}

import { createAudit } from '../../src/calls/audit.js';
import { createArrivalsLog } from '../../src/console/arrivals.js';
import type { ConsoleDeps, McpTokenAdmin } from '../../src/console/deps.js';
import { createLogger } from '../../src/observability/logger.js';
import type { Store } from '../../src/store/port.js';

/**
 * What the console needs, on `store`, for tests of its pages: admin token `tok`, an embedded bus with no
 * dead letters, an empty health report, silent logs; the MCP tokens page on with `mcpTokens`.
 */
export function consoleDepsOn(store: Store, mcpTokens?: McpTokenAdmin): ConsoleDeps {
  return {
    adminToken: 'tok',
    audit: createAudit(store),
    arrivals: createArrivalsLog(store),
    bus: { kind: 'embedded', listDeadLetters: async () => [], redrive: async () => 0 },
    health: async () => ({
      checks: [],
      bus: { kind: 'embedded' },
      limiter: undefined,
      webhooks: {},
      facts: {},
    }),
    logger: createLogger({ level: 'silent' }),
    mcpTokens,
  };
}

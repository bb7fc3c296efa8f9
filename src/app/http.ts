/**
 * The HTTP side of a service: the console, `/api` (with an admin token), `/mcp` (where the Wix client
 * is), health and metrics, and the webhook route. Built from parts the service already opened.
 */
import type { Bus } from '../bus/port.js';
import type { Audit } from '../calls/audit.js';
import type { Config } from '../config/load.js';
import { composeConsole } from '../console/compose.js';
import { arrivalsRecorder } from '../console/record-arrivals.js';
import { apiRouter } from '../http/api.js';
import { createApp, type HttpApp } from '../http/app.js';
import { withTimeout } from '../lib/with-timeout.js';
import { createTokenStore } from '../mcp/tokens.js';
import { createDependencyState } from '../observability/dependency-state.js';
import type { Logger } from '../observability/logger.js';
import type { CoreMetrics, Registry } from '../observability/metrics.js';
import type { Store } from '../store/port.js';
import type { IngestResult } from '../webhooks/ingest.js';
import { wixTools } from '../wix/tools/index.js';
import type { AgentRuntime } from './agents.js';
import type { ServiceEvents } from './events.js';

/** What the HTTP side is built from. */
export interface HttpParts {
  role: string;
  store: Store;
  bus: Bus;
  audit: Audit;
  agents: AgentRuntime | undefined;
  ingest: ((rawBody: string) => Promise<IngestResult>) | undefined;
  events: ServiceEvents;
  logger: Logger;
  registry: Registry;
  metrics: CoreMetrics;
  /** MCP calls: deadline of one call in ms (default 25_000). */
  mcpCallDeadlineMs?: number;
}

/** Builds the service's HTTP app (no `listen()`). */
export async function buildHttp(config: Config, parts: HttpParts): Promise<HttpApp> {
  const { store, bus, agents, logger, registry } = parts;
  // MCP: tokens live in the store (managed over /api, the console and the CLI); /mcp is served where the Wix client is.
  const mcpTokens = createTokenStore(store, { catalog: wixTools });
  const operatorConsole = composeConsole({
    adminToken: config.adminToken,
    store,
    bus,
    audit: parts.audit,
    approvals: agents?.approvals,
    limiterStats: agents?.wix.limiterStats,
    mcpTokens: agents ? mcpTokens : undefined,
    registry,
    logger,
    facts: consoleFacts(config, parts),
  });
  if (operatorConsole.arrivals) {
    parts.events.on(
      'webhook',
      arrivalsRecorder(operatorConsole.arrivals, {
        onError: (error) => logger.warn({ err: error }, 'arrivals log: could not record a webhook'),
      }),
    );
  }
  const mcpApiRouter = config.adminToken ? (await import('../mcp/api.js')).mcpApiRouter : undefined;
  const mcpRouter = agents ? (await import('../mcp/http.js')).mcpRouter : undefined;
  return createApp({
    logger,
    registry,
    metrics: parts.metrics,
    maxBytes: config.webhook.maxBytes,
    maxInFlight: config.webhook.maxInFlight,
    ...(parts.ingest ? { ingest: parts.ingest } : {}),
    readiness: readiness(config, parts),
    ...(config.adminToken && mcpApiRouter
      ? {
          api: apiRouter({
            adminToken: config.adminToken,
            audit: parts.audit,
            store,
            bus,
            ...(agents ? { approvals: agents.approvals } : {}),
            extra: mcpApiRouter({ tokens: mcpTokens, catalog: wixTools }),
          }),
        }
      : {}),
    ...(agents && mcpRouter
      ? {
          mcp: mcpRouter({
            tokens: mcpTokens,
            catalog: wixTools,
            audit: agents.audit,
            journal: agents.journal,
            metrics: agents.metrics,
            client: agents.wix.client,
            ceiling: config.agentMode,
            logger,
            ...(parts.mcpCallDeadlineMs ? { callDeadlineMs: parts.mcpCallDeadlineMs } : {}),
          }),
        }
      : {}),
    console: operatorConsole.router,
  });
}

/** `/readyz`: the store and the bus answer, and the limiter's Redis where there is one. */
function readiness(config: Config, parts: HttpParts): () => Promise<void> {
  const { store, bus, agents, logger, registry } = parts;
  const storeState = createDependencyState('store', {
    logger,
    registry,
    variable: config.databaseUrl ? 'DATABASE_URL' : 'DATA_DIR',
  });
  const busState = createDependencyState('bus', {
    logger,
    registry,
    ...(config.kafka ? { variable: 'KAFKA_BROKERS' } : {}),
  });
  return async () => {
    // Each dependency's state is logged once per change, not on every probe.
    await storeState.check(() => withTimeout(store.query('SELECT 1'), 5000));
    await busState.check(() => withTimeout(bus.ping(), 5000));
    // A limiter backend (Redis) that does not answer makes every Wix call wait: not ready.
    if (agents && config.redisUrl) await withTimeout(agents.wix.ready(), 5000);
  };
}

/** What the console's health page shows as facts. */
function consoleFacts(config: Config, parts: HttpParts): Record<string, string> {
  const { agents } = parts;
  return {
    role: parts.role,
    store: parts.store.kind,
    bus: parts.bus.kind,
    model: agents
      ? `${agents.model.name}${agents.model.sandbox ? ' (sandbox, not an LLM)' : ''}`
      : 'none here',
    'agent mode (ceiling)': config.agentMode,
    'Wix API': config.wix.apiBaseUrl,
    'rate limit': `${config.wix.rateLimitPerMinute}/min per site (${config.redisUrl ? 'Redis, shared' : 'in process'})`,
  };
}

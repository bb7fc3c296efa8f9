/**
 * The parts the CLI's commands work with, built here as the service builds them (same builders, same
 * logger and metrics wiring): the bus and the audit trail of a deployment, approvals decided from the
 * command line, the MCP token store, and MCP over stdio.
 */
import type { Bus } from '../bus/port.js';
import { createAudit, type Audit } from '../calls/audit.js';
import type { Config } from '../config/load.js';
import { eventTypes } from '../domain/events.js';
import { topicsFor } from '../domain/topics.js';
import type { BoundHandler } from '../handlers/load.js';
import type { McpCallDeps } from '../mcp/call.js';
import { createTokenStore, type TokenStore } from '../mcp/tokens.js';
import type { Logger } from '../observability/logger.js';
import { createCoreMetrics, createRegistry, type Registry } from '../observability/metrics.js';
import type { Store } from '../store/port.js';
import { wixTools } from '../wix/tools/index.js';
import type { AnyWixTool } from '../wix/tools/tool.js';
import { openBus } from './bus.js';
import { buildCalls, type Calls } from './calls.js';
import { openExistingStore, openStore } from './store.js';
import { openWix } from './wix.js';

/**
 * Runs `fn` with the store of the configured deployment, then closes it. `mustExist` (default true):
 * an embedded store that does not exist is an error, not a new empty one.
 */
export async function withStore<T>(
  config: Config,
  fn: (store: Store) => Promise<T>,
  options: { mustExist?: boolean } = {},
): Promise<T> {
  const store = options.mustExist === false ? await openStore(config) : await openExistingStore(config);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Runs `fn` with the bus of the configured deployment, then closes it and its store. */
export async function withBus<T>(config: Config, logger: Logger, fn: (bus: Bus) => Promise<T>): Promise<T> {
  return withStore(config, async (store) => {
    const registry = createRegistry({ defaultMetrics: false });
    const topics = topicsFor(config.topicPrefix, eventTypes);
    const bus = await openBus(config, {
      store,
      topics,
      logger,
      registry,
      metrics: createCoreMetrics(registry),
    });
    try {
      return await fn(bus);
    } finally {
      await bus.close();
    }
  });
}

/** Runs `fn` with the audit trail of the configured deployment. */
export function withAudit<T>(config: Config, fn: (audit: Audit) => Promise<T>): Promise<T> {
  return withStore(config, (store) => fn(createAudit(store)));
}

/** Runs `fn` with the MCP token store of the configured deployment. */
export function withTokens<T>(config: Config, fn: (tokens: TokenStore) => Promise<T>): Promise<T> {
  return withStore(config, (store) => fn(createTokenStore(store, { catalog: wixTools })), {
    mustExist: false,
  });
}

/**
 * Runs `fn` with the call path (audit, journal, approvals) of the configured deployment and a Wix
 * client, as the service builds them, logging to `logger`; or returns the reason there is no Wix client.
 */
export async function withCalls<T>(
  config: Config,
  parts: { logger: Logger; handlers: readonly BoundHandler[]; registry?: Registry; mustExist?: boolean },
  fn: (calls: Calls, more: { store: Store; client: McpCallDeps['client'] }) => Promise<T>,
): Promise<T | { missing: string }> {
  const registry = parts.registry ?? createRegistry({ defaultMetrics: false });
  return withStore(
    config,
    async (store) => {
      const opened = await openWix(config, { logger: parts.logger, registry });
      if ('missing' in opened) return opened;
      try {
        const calls = buildCalls(config, {
          store,
          audit: createAudit(store),
          client: opened.wix.client,
          handlers: parts.handlers,
          logger: parts.logger,
          registry,
        });
        return await fn(calls, { store, client: opened.wix.client });
      } finally {
        await opened.wix.close();
      }
    },
    { mustExist: parts.mustExist ?? true },
  );
}

/**
 * What `mcp` (stdio) serves with: the token store, the catalog and the call path of the deployment,
 * counted in `registry` and logged to `logger` as the HTTP MCP server's calls are.
 */
export function mcpStdioDeps(
  config: Config,
  calls: Calls,
  more: { store: Store; client: McpCallDeps['client']; logger: Logger },
): McpCallDeps & { tokens: TokenStore; catalog: readonly AnyWixTool[] } {
  return {
    tokens: createTokenStore(more.store, { catalog: wixTools }),
    catalog: wixTools,
    audit: calls.audit,
    // This process is the owner of the writes it sends; the service settles any it leaves in flight.
    journal: calls.journal,
    client: more.client,
    metrics: calls.metrics,
    logger: more.logger,
    ceiling: config.agentMode,
  };
}

/**
 * `createService`: THE composition root. Builds every real part from the configuration (store, bus,
 * ingress, worker, HTTP) once, through the small builders beside it, and announces what happens
 * (`Service.events`) instead of being wrapped.
 */
import type { Express } from 'express';
import type { ModelChoice } from '../agents/model.js';
import type { Bus, Subscription } from '../bus/port.js';
import { createAudit } from '../calls/audit.js';
import type { Config } from '../config/load.js';
import { secretValues } from '../config/secrets.js';
import type { EventHandler } from '../consumers/event-handler.js';
import { eventTypes, isBuiltInEventType } from '../domain/events.js';
import { topicsFor } from '../domain/topics.js';
import type { AnyHandler } from '../handlers/define.js';
import { listen, type RunningServer } from '../lib/http-server.js';
import { closingOnError } from '../lib/closing-on-error.js';
import { duringStartup } from '../lib/startup-error.js';
import { createLogger, type Logger } from '../observability/logger.js';
import {
  createCoreMetrics,
  createRegistry,
  type CoreMetrics,
  type Registry,
} from '../observability/metrics.js';
import type { Store } from '../store/port.js';
import { startRetention } from '../store/retention.js';
import type { AgentRuntime } from './agents.js';
import { openBus, type BusParts } from './bus.js';
import { createServiceEvents, type ServiceEvents } from './events.js';
import { loadServiceHandlers } from './handlers.js';
import { buildHttp } from './http.js';
import { buildIngress } from './ingress.js';
import { openStore } from './store.js';
import { openWorker, startWorker } from './worker.js';

export type { ModelChoice } from '../agents/model.js';
export { openBus } from './bus.js';
export { openStore } from './store.js';

export type Role = 'all' | 'ingress' | 'worker';

export interface ServiceOptions {
  role?: Role;
  /** Plain handlers the worker runs instead of the agents (tests). */
  handlers?: readonly EventHandler[];
  /** Agent handler definitions instead of the built-in ones (`HANDLERS`). */
  definitions?: readonly AnyHandler[];
  /**
   * A module exporting your handlers (`serve --handlers`); default `HANDLERS_MODULE` (the config).
   * With one, the built-ins run only when named in `HANDLERS`.
   */
  handlersModule?: string;
  /** The environment handlers read their own settings from. Default `{}` (their defaults). */
  env?: Record<string, string | undefined>;
  /** A model instead of the configured one (the testing kit's scripted model). */
  model?: ModelChoice;
  logger?: Logger;
  registry?: Registry;
  /**
   * A bus instead of the configured one, built from the same parts (metrics included): tests that hold
   * publishes back, benchmarks that measure a variant. The service's own wiring never uses it.
   */
  bus?: (parts: BusParts) => Promise<Bus> | Bus;
  /** Embedded bus poll interval (ms). */
  pollIntervalMs?: number;
  /** MCP calls: deadline of one call in ms (default 25_000). */
  mcp?: { callDeadlineMs?: number };
}

export interface Service {
  config: Config;
  role: Role;
  app: Express;
  store: Store;
  bus: Bus;
  logger: Logger;
  registry: Registry;
  metrics: CoreMetrics;
  /** What the service announces: webhooks answered, events published, deliveries settled, dead letters. */
  events: ServiceEvents;
  /** The agents (worker role with Wix credentials), when they run. */
  agents: AgentRuntime | undefined;
  /** Listens (ingress) and starts consuming (worker). */
  start(): Promise<{ url?: string }>;
  /** Stops accepting webhooks, drains, stops consuming, closes the bus and the store. */
  stop(): Promise<void>;
}

/** Builds the service from the configuration; throws StartupError or ConfigError naming the variable. */
export async function createService(config: Config, options: ServiceOptions = {}): Promise<Service> {
  const role = options.role ?? 'all';
  const logger = options.logger ?? createLogger({ level: config.logLevel, secrets: secretValues(config) });
  const registry = options.registry ?? createRegistry();
  const metrics = createCoreMetrics(registry);
  const events = createServiceEvents((error, name) =>
    logger.warn({ err: error, event: name }, 'a service event listener failed'),
  );
  // Loaded by every role: the ingress publishes the Wix event types they subscribe to.
  const definitions = await loadServiceHandlers(config, {
    env: options.env ?? {},
    ...(options.definitions ? { definitions: options.definitions } : {}),
    ...((options.handlersModule ?? config.handlersModule)
      ? { module: (options.handlersModule ?? config.handlersModule)! }
      : {}),
  });
  const subscribed = new Set(definitions.map((d) => d.on).filter((t) => !isBuiltInEventType(t)));
  const topics = topicsFor(config.topicPrefix, [...eventTypes, ...subscribed]);
  const store = await openStore(config, logger);
  const onDeadLetter = (reason: string) => events.emit('dead_lettered', { reason });
  const busParts: BusParts = { store, topics, logger, registry, metrics, onDeadLetter, ...poll(options) };
  const bus = options.bus ? await options.bus(busParts) : await openBus(config, busParts);
  const audit = createAudit(store);
  const ingest =
    role !== 'worker' ? await buildIngress(config, { bus, subscribed, logger, metrics, events }) : undefined;
  const worker =
    role !== 'ingress'
      ? await closingOnError([bus, store], () =>
          openWorker(config, { store, audit, registry, logger, definitions, events, ...only(options) }),
        )
      : undefined;
  const agents = worker?.agents;
  const parts = { role, store, bus, audit, agents, ingest, events, logger, registry, metrics };
  const { app, listener } = await buildHttp(config, { ...parts, ...mcpDeadline(options) });
  warnShortDedupe(config, logger);

  let server: RunningServer | undefined;
  let consumers: Subscription | undefined;
  let retention: ReturnType<typeof startRetention> | undefined;
  let stopped = false;
  return {
    config,
    role,
    app,
    store,
    bus,
    logger,
    registry,
    metrics,
    events,
    agents,
    async start() {
      server = await duringStartup('PORT', () => listen(listener, config.port, config.host), {
        target: `${config.host}:${config.port}`,
      });
      if (worker) consumers = await startWorker(config, { ...parts, handlers: worker.handlers });
      retention = startRetention({ store, policy: config.retention, ...retentionParts(config, parts) });
      logStarted(config, { ...parts, url: server.url });
      return { url: server.url };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await server?.close(5000);
      await consumers?.close();
      await retention?.stop();
      await agents?.close();
      await bus.close();
      await store.close();
      logger.info('stopped');
    },
  };
}

const retentionParts = (config: Config, p: { logger: Logger; registry: Registry }) => ({
  intervalMs: config.retention.intervalMs,
  logger: p.logger,
  registry: p.registry,
});
const poll = (o: ServiceOptions) => (o.pollIntervalMs ? { pollIntervalMs: o.pollIntervalMs } : {});
const mcpDeadline = (o: ServiceOptions) =>
  o.mcp?.callDeadlineMs ? { mcpCallDeadlineMs: o.mcp.callDeadlineMs } : {};
const only = (o: ServiceOptions) => ({
  ...(o.handlers ? { handlers: o.handlers } : {}),
  ...(o.model ? { model: o.model } : {}),
});

function warnShortDedupe(config: Config, logger: Logger) {
  if (config.retention.dedupeMs < 48 * 3_600_000) {
    logger.warn(
      { dedupeHours: config.retention.dedupeMs / 3_600_000 },
      "RETENTION_DEDUPE is shorter than Wix's redelivery window (~47 h): a late redelivery would be handled again",
    );
  }
}

function logStarted(
  config: Config,
  s: { url: string; role: Role; store: Store; bus: Bus; logger: Logger; ingest: unknown },
) {
  s.logger.info(
    {
      url: s.url,
      role: s.role,
      store: s.store.kind,
      bus: s.bus.kind,
      dataDir: s.store.kind !== 'postgres' ? config.dataDir : undefined,
    },
    `wix-event-agent listening on ${s.url}${s.ingest ? ' (POST /webhooks/wix)' : ''}`,
  );
}

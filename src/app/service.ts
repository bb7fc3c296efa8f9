import type { Express } from 'express';
import { createEmbeddedBus } from '../bus/embedded.js';
import type { Bus, Subscription } from '../bus/port.js';
import type { Config } from '../config/load.js';
import { startConsumers } from '../consumers/run.js';
import type { EventHandler } from '../consumers/event-handler.js';
import { eventTypes, isBuiltInEventType } from '../domain/events.js';
import { topicsFor, type Topics } from '../domain/topics.js';
import { createAudit } from '../calls/audit.js';
import type { AgentRuntime } from './agents.js';
import type { ModelChoice } from '../agents/model.js';
import { composeConsole } from '../console/compose.js';
import { recordArrivals } from '../console/record-arrivals.js';
import type { AnyHandler } from '../handlers/define.js';
import { handlerMode } from '../handlers/load.js';
import { loadServiceHandlers } from './handlers.js';
import { apiRouter } from '../http/api.js';
import { createApp } from '../http/app.js';
import { listen, type RunningServer } from '../lib/http-server.js';
import { createTokenStore } from '../mcp/tokens.js';
import { wixTools } from '../wix/tools/index.js';
import { secretValues } from '../config/secrets.js';
import { describeError } from '../errors.js';
import { duringStartup, urlTarget } from '../lib/startup-error.js';
import { withTimeout } from '../lib/with-timeout.js';
import { createDependencyState } from '../observability/dependency-state.js';
import { createLogger, type Logger } from '../observability/logger.js';
import {
  createCoreMetrics,
  createRegistry,
  type CoreMetrics,
  type Registry,
} from '../observability/metrics.js';
import { migrate } from '../store/migrate.js';
import type { Store } from '../store/port.js';
import { startRetention } from '../store/retention.js';
import { ingestWebhook } from '../webhooks/ingest.js';
import { acceptedAlgorithms, importWebhookKeys } from '../webhooks/verify.js';

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
  /** Replaces the bus chosen from the config (tests wrap the real one). */
  bus?: (defaults: {
    store: Store;
    topics: Topics;
    logger: Logger;
    registry: Registry;
  }) => Promise<Bus> | Bus;
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
  /** The agents (worker role with Wix credentials), when they run. */
  agents: AgentRuntime | undefined;
  /** Listens (ingress) and starts consuming (worker). */
  start(): Promise<{ url?: string }>;
  /** Stops accepting webhooks, drains, stops consuming, closes the bus and the store. */
  stop(): Promise<void>;
}

/**
 * Opens and migrates the configured store; a failure is a StartupError naming DATABASE_URL or DATA_DIR.
 * `logger` hears of the embedded SQLite store's background checkpoints failing (it then checkpoints inline).
 */
export async function openStore(config: Config, logger?: Pick<Logger, 'warn'>): Promise<Store> {
  const open = async (store: Store) => {
    try {
      await migrate(store);
      return store;
    } catch (error) {
      await store.close().catch(() => {});
      throw error;
    }
  };
  const url = config.databaseUrl;
  if (url) {
    // Loaded only when asked for (like Kafka, Redis, the model providers and MCP): `serve` on the
    // embedded defaults never imports the clients it does not use (memory at rest).
    const { effectiveSchema, ensureSchema, openPostgresStore } = await import('../store/postgres.js');
    const schema = effectiveSchema(url, config.databaseSchema);
    return duringStartup(
      'DATABASE_URL',
      async () => {
        const store = openPostgresStore(url, schema ? { schema } : {});
        if (schema)
          await ensureSchema(store, schema).catch(async (error: unknown) => {
            await store.close().catch(() => {});
            throw error;
          });
        return open(store);
      },
      { target: urlTarget(url) },
    );
  }
  // SQLite in DATA_DIR (store/embedded.ts), loaded only here: a process on Postgres never holds libsql.
  const { openEmbeddedStore } = await import('../store/embedded.js');
  return duringStartup(
    'DATA_DIR',
    async () =>
      open(
        await openEmbeddedStore(config.dataDir, {
          sqliteSync: config.sqliteSync,
          onCheckpointError: (error) =>
            logger?.warn({ err: error }, 'SQLite background checkpoints stopped: checkpointing inline'),
        }),
      ),
    {
      target: config.dataDir,
      timeoutMs: 60_000,
    },
  );
}

export async function openBus(
  config: Config,
  store: Store,
  topics: Topics,
  options: { pollIntervalMs?: number; logger: Logger; registry: Registry; metrics?: CoreMetrics },
): Promise<Bus> {
  const kafka = config.kafka;
  const onDeadLetter = (reason: string) => options.metrics?.deadLetters.inc({ reason });
  if (kafka) {
    return duringStartup(
      'KAFKA_BROKERS',
      async () =>
        (await import('../bus/kafka.js')).createKafkaBus({
          kafka,
          topics,
          logger: options.logger,
          registry: options.registry,
          store,
          onDeadLetter,
        }),
      { target: kafka.brokers.join(','), timeoutMs: 30_000 },
    );
  }
  return createEmbeddedBus({
    store,
    topics,
    ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
    onDeadLetter,
    onError: loopErrorReporter(options.logger, options.metrics),
  });
}

/**
 * The embedded bus's loop errors (it keeps going after each): counted in `wix_bus_loop_errors_total`,
 * logged as described errors — the first of a kind, then at most once a minute while they repeat.
 */
function loopErrorReporter(logger: Logger, metrics: CoreMetrics | undefined): (error: unknown) => void {
  let last = '';
  let lastAt = 0;
  return (error) => {
    metrics?.busLoopErrors.inc({ bus: 'embedded' });
    const text = describeError(error);
    const now = Date.now();
    if (text === last && now - lastAt < 60_000) return;
    last = text;
    lastAt = now;
    logger.error({ component: 'embedded-bus', error: text }, 'embedded bus loop error (it keeps going)');
  };
}

/** The composition root: builds the real parts from the config. Nothing else constructs adapters. */
export async function createService(config: Config, options: ServiceOptions = {}): Promise<Service> {
  const role = options.role ?? 'all';
  const logger = options.logger ?? createLogger({ level: config.logLevel, secrets: secretValues(config) });
  const registry = options.registry ?? createRegistry();
  const metrics = createCoreMetrics(registry);
  const env = options.env ?? {};
  const handlersModule = options.handlersModule ?? config.handlersModule;
  // Loaded by every role: the ingress publishes the Wix event types they subscribe to.
  const definitions = await loadServiceHandlers(config, {
    env,
    ...(options.definitions ? { definitions: options.definitions } : {}),
    ...(handlersModule ? { module: handlersModule } : {}),
  });
  const subscribed = new Set(definitions.map((d) => d.on).filter((t) => !isBuiltInEventType(t)));
  const topics = topicsFor(config.topicPrefix, [...eventTypes, ...subscribed]);

  const store = await openStore(config, logger);
  const bus = options.bus
    ? await options.bus({ store, topics, logger, registry })
    : await openBus(config, store, topics, {
        logger,
        registry,
        metrics,
        ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
      });

  const keys = await importWebhookKeys({
    publicKeyPem: config.webhook.publicKeyPem,
    hs256Secret: config.webhook.hs256Secret,
  });
  const algorithms = acceptedAlgorithms(keys);
  const ingress = role !== 'worker';
  if (ingress) {
    if (algorithms.length === 0) {
      logger.warn(
        "no webhook key configured: every webhook is refused with 401. Set WIX_PUBLIC_KEY to the app's public key " +
          '(Wix app dashboard → Webhooks → Get Public Key); WIX_WEBHOOK_HS256_SECRET only for setups that sign HS256',
      );
    } else {
      logger.info({ algorithms }, `webhook verification ready: accepting ${algorithms.join(', ')}`);
    }
  }

  let agents: AgentRuntime | undefined;
  let handlers: readonly EventHandler[] = options.handlers ?? [];
  if (role !== 'ingress' && !options.handlers) {
    const { openAgents } = await import('./agents.js');
    const opened = await openAgents(config, {
      store,
      registry,
      logger,
      definitions,
      ...(options.model ? { model: options.model } : {}),
    });
    if ('missing' in opened) {
      logger.warn(
        `handlers not started: ${opened.missing}. Events stay queued until a worker with credentials runs.`,
      );
    } else {
      agents = opened;
      handlers = opened.handlers;
      if (config.redisUrl) {
        await duringStartup('REDIS_URL', () => opened.wix.ready(), {
          target: urlTarget(config.redisUrl),
        }).catch(async (error: unknown) => {
          await opened.close().catch(() => {});
          await bus.close().catch(() => {});
          await store.close().catch(() => {});
          throw error;
        });
      }
      const modes = Object.fromEntries(opened.definitions.map((d) => [d.name, handlerMode(d, config)]));
      const log = opened.model.sandbox ? logger.warn.bind(logger) : logger.info.bind(logger);
      log(
        { model: opened.model.name, handlers: modes, wixApi: config.wix.apiBaseUrl },
        opened.model.sandbox
          ? 'handlers run on the SANDBOX model (scripted, not an LLM): set LLM_PROVIDER for a real model'
          : 'handlers ready',
      );
    }
  }

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

  // The time the bus takes to accept an event, as the ingress sees it (verification not included).
  const ingressBus: Pick<Bus, 'publish' | 'deadLetter'> = {
    publish: async (event, publishOptions) => {
      const started = process.hrtime.bigint();
      const result = await bus.publish(event, publishOptions);
      metrics.publishDuration.observe({ bus: bus.kind }, Number(process.hrtime.bigint() - started) / 1e9);
      return result;
    },
    deadLetter: (letter, publishOptions) => bus.deadLetter(letter, publishOptions),
  };

  // MCP: tokens live in the store (managed over /api, the console and the CLI); /mcp is served where the Wix client is.
  const mcpTokens = createTokenStore(store, { catalog: wixTools });
  const audit = agents?.audit ?? createAudit(store);
  const operatorConsole = composeConsole({
    adminToken: config.adminToken,
    store,
    bus,
    audit,
    approvals: agents?.approvals,
    limiterStats: agents?.wix.limiterStats,
    mcpTokens: agents ? mcpTokens : undefined,
    registry,
    logger,
    facts: {
      role,
      store: store.kind,
      bus: bus.kind,
      model: agents
        ? `${agents.model.name}${agents.model.sandbox ? ' (sandbox, not an LLM)' : ''}`
        : 'none here',
      'agent mode (ceiling)': config.agentMode,
      'Wix API': config.wix.apiBaseUrl,
      'rate limit': `${config.wix.rateLimitPerMinute}/min per site (${config.redisUrl ? 'Redis, shared' : 'in process'})`,
    },
  });
  const ingestRaw = (raw: string, bus: Pick<Bus, 'publish' | 'deadLetter'>) =>
    ingestWebhook(raw, {
      keys,
      bus,
      clockToleranceSec: config.webhook.clockSkewSeconds,
      publishTimeoutMs: config.webhook.publishTimeoutMs,
      subscribed,
    });
  const ingest = operatorConsole.arrivals
    ? recordArrivals(ingestRaw, ingressBus, operatorConsole.arrivals, {
        onError: (error) => logger.warn({ err: error }, 'arrivals log: could not record a webhook'),
      })
    : (raw: string) => ingestRaw(raw, ingressBus);

  const mcpApiRouter = config.adminToken ? (await import('../mcp/api.js')).mcpApiRouter : undefined;
  const mcpRouter = agents ? (await import('../mcp/http.js')).mcpRouter : undefined;
  const { app, listener } = createApp({
    logger,
    registry,
    metrics,
    maxBytes: config.webhook.maxBytes,
    maxInFlight: config.webhook.maxInFlight,
    ...(ingress ? { ingest } : {}),
    readiness: async () => {
      // Each dependency's state is logged once per change, not on every probe.
      await storeState.check(() => withTimeout(store.query('SELECT 1'), 5000));
      await busState.check(() => withTimeout(bus.ping(), 5000));
      // A limiter backend (Redis) that does not answer makes every Wix call wait: not ready.
      if (agents && config.redisUrl) await withTimeout(agents.wix.ready(), 5000);
    },
    ...(config.adminToken
      ? {
          api: apiRouter({
            adminToken: config.adminToken,
            audit,
            store,
            bus,
            ...(agents ? { approvals: agents.approvals } : {}),
            extra: mcpApiRouter!({ tokens: mcpTokens, catalog: wixTools }),
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
            ...(options.mcp?.callDeadlineMs ? { callDeadlineMs: options.mcp.callDeadlineMs } : {}),
          }),
        }
      : {}),
    console: operatorConsole.router,
  });

  if (config.retention.dedupeMs < 48 * 3_600_000) {
    logger.warn(
      { dedupeHours: config.retention.dedupeMs / 3_600_000 },
      "RETENTION_DEDUPE is shorter than Wix's redelivery window (~47 h): a late redelivery would be handled again",
    );
  }
  let retention: ReturnType<typeof startRetention> | undefined;
  let server: RunningServer | undefined;
  let consumers: Subscription | undefined;
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
    agents,
    async start() {
      server = await duringStartup('PORT', () => listen(listener, config.port, config.host), {
        target: `${config.host}:${config.port}`,
      });
      if (role !== 'ingress') {
        consumers = await startConsumers({
          bus,
          store,
          handlers,
          logger,
          metrics,
          // The embedded bus finishes the event in this store right after, asynchronously too (see
          // `CommitOptions`): nothing outside learns the event is done before a later synced commit.
          ...(bus.kind === 'embedded' ? { marks: { asyncCommit: true } } : {}),
          subscribe: {
            maxAttempts: config.delivery.maxAttempts,
            retryBaseMs: config.delivery.retryBaseMs,
            retryMaxMs: config.delivery.retryMaxMs,
          },
        });
      }
      retention = startRetention({
        store,
        policy: config.retention,
        intervalMs: config.retention.intervalMs,
        logger,
        registry,
      });
      logger.info(
        {
          url: server.url,
          role,
          store: store.kind,
          bus: bus.kind,
          dataDir: store.kind !== 'postgres' ? config.dataDir : undefined,
        },
        `wix-event-agent listening on ${server.url}${ingress ? ' (POST /webhooks/wix)' : ''}`,
      );
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

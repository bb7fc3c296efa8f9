/**
 * Composition of the worker side: the Wix client (auth, limiter), the model, and the handlers as agents.
 * Part of the composition root (with main.ts and cli.ts): the only place these adapters are built.
 */
import type { Redis } from 'ioredis';
import { createApprovals, type Approvals } from '../calls/approvals.js';
import { createAudit, type Audit } from '../calls/audit.js';
import { createJournal, newWriteOwner, type Journal } from '../calls/journal.js';
import { createAgentMetrics, type AgentMetrics } from '../calls/metrics.js';
import type { ModelChoice } from '../agents/model.js';
import { createDependencyState } from '../observability/dependency-state.js';
import type { Config } from '../config/load.js';
import type { EventHandler } from '../consumers/event-handler.js';
import { handlerMode, type BoundHandler } from '../handlers/load.js';
import type { Logger } from '../observability/logger.js';
import type { Registry } from '../observability/metrics.js';
import type { LlmEmulator } from '../sandbox/llm-emulator.js';
import type { Store } from '../store/port.js';
import { createApiKeyAuth, createOAuthAuth, type WixAuth } from '../wix/auth.js';
import { createWixClient, type WixRequester } from '../wix/client.js';
import { MemoryRateLimiter } from '../wix/limiter/memory.js';
import type { RateLimiter } from '../wix/limiter/port.js';
import { observeLimiter, type SiteLimiterStats } from '../wix/limiter/observed.js';
import { createWixMetrics } from '../wix/metrics.js';
import { wixTools } from '../wix/tools/index.js';

export interface WixConnection {
  client: WixRequester;
  limiter: RateLimiter;
  /**
   * Resolves once the limiter's backing store answers (Redis PING, bounded by `REDIS_COMMAND_TIMEOUT_MS`);
   * rejects with the connection's error.
   */
  ready(): Promise<void>;
  /** What the limiter did per site recently (this process's view), for the console. */
  limiterStats(): SiteLimiterStats[];
  close(): Promise<void>;
}

/**
 * The Wix REST client from the config, or the reason when no credentials are set. The Redis client and
 * limiter are imported only with `REDIS_URL`.
 */
export async function openWix(
  config: Config,
  deps: { registry?: Registry; logger?: Logger },
): Promise<{ wix: WixConnection } | { missing: string }> {
  let auth: WixAuth;
  const metrics = deps.registry ? createWixMetrics(deps.registry) : undefined;
  if (config.wix.apiKey && config.wix.siteId) {
    auth = createApiKeyAuth({ apiKey: config.wix.apiKey, siteId: config.wix.siteId });
  } else if (config.wix.appId && config.wix.appSecret) {
    auth = createOAuthAuth({
      appId: config.wix.appId,
      appSecret: config.wix.appSecret,
      baseUrl: config.wix.apiBaseUrl,
      ...(metrics ? { metrics } : {}),
    });
  } else {
    return {
      missing:
        'no Wix credentials: set WIX_APP_ID and WIX_APP_SECRET (app OAuth) or WIX_API_KEY and WIX_SITE_ID',
    };
  }
  const rate = { limit: config.wix.rateLimitPerMinute, windowMs: 60_000 };
  let redis: Redis | undefined;
  let lastRedisError: unknown;
  let limiter: RateLimiter;
  if (config.redisUrl) {
    // A Redis that stops answering with the connection open must not hold a run: every command is
    // bounded (`REDIS_COMMAND_TIMEOUT_MS`), and fails as LIMITER_UNAVAILABLE (retryable).
    const [{ Redis }, { RedisRateLimiter }] = await Promise.all([
      import('ioredis'),
      import('../wix/limiter/redis.js'),
    ]);
    redis = new Redis(config.redisUrl, {
      maxRetriesPerRequest: 2,
      enableOfflineQueue: true,
      lazyConnect: false,
      commandTimeout: config.redisCommandTimeoutMs,
    });
    // Logged once per change of state, as a described error: ioredis's error objects carry the AUTH
    // arguments (the password) in `command.args`, so they are never logged whole.
    const state = deps.logger
      ? createDependencyState('redis', {
          logger: deps.logger,
          variable: 'REDIS_URL',
          ...(deps.registry ? { registry: deps.registry } : {}),
        })
      : undefined;
    redis.on('error', (error: unknown) => {
      lastRedisError = error;
      state?.down(error);
    });
    redis.on('ready', () => {
      lastRedisError = undefined;
      state?.up();
    });
    limiter = new RedisRateLimiter({ ...rate, redis, keyPrefix: 'wix-event-agent:limiter' });
  } else {
    limiter = new MemoryRateLimiter(rate);
  }
  const observed = observeLimiter(limiter);
  const client = createWixClient({
    auth,
    limiter: observed,
    baseUrl: config.wix.apiBaseUrl,
    timeoutMs: config.wix.requestTimeoutMs,
    ...(metrics ? { metrics } : {}),
    ...(deps.logger ? { logger: deps.logger.child({ component: 'wix-client' }) } : {}),
  });
  return {
    wix: {
      client,
      limiter: observed,
      limiterStats: () => observed.stats(),
      async ready() {
        if (!redis) return;
        try {
          await redis.ping();
        } catch (error) {
          // The connection's own error says why (ECONNREFUSED, WRONGPASS); the command's only that it gave up.
          throw lastRedisError ?? error;
        }
      },
      async close() {
        await limiter.close();
        await redis?.quit().catch(() => {});
      },
    },
  };
}

export interface ModelRuntime extends ModelChoice {
  /** The in-process sandbox LLM emulator, when the sandbox model runs without LLM_BASE_URL. */
  emulator?: LlmEmulator;
  close(): Promise<void>;
}

/**
 * The model from the config; the sandbox starts its emulator in-process unless LLM_BASE_URL points at
 * one, with the handlers' own `sandbox` scripts.
 */
export async function openModel(
  config: Config,
  handlers: readonly Pick<BoundHandler, 'name' | 'sandbox'>[] = [],
): Promise<ModelRuntime> {
  // The AI SDK providers load only when a model is opened (not on an ingress or a worker without credentials).
  const { createModel } = await import('../agents/model.js');
  if (config.llm.provider === 'sandbox' && !config.llm.baseUrl) {
    const { scriptsOf, startLlmEmulator } = await import('../sandbox/llm-emulator.js');
    const emulator = await startLlmEmulator({ scripts: scriptsOf(handlers) });
    return {
      ...createModel(config.llm, { sandboxBaseUrl: emulator.url }),
      emulator,
      close: () => emulator.close(),
    };
  }
  return { ...createModel(config.llm), close: async () => {} };
}

export interface AgentRuntime {
  handlers: EventHandler[];
  /** The handlers the agents run (checked, settings bound). */
  definitions: BoundHandler[];
  audit: Audit;
  /** The write journal this process owns (agent runs, approvals and MCP calls send through it). */
  journal: Journal;
  metrics: AgentMetrics;
  approvals: Approvals;
  model: ModelRuntime;
  wix: WixConnection;
  close(): Promise<void>;
}

/** Everything a worker needs to run the handlers as agents. */
export async function openAgents(
  config: Config,
  deps: {
    store: Store;
    registry: Registry;
    logger: Logger;
    definitions: BoundHandler[];
    /** A model to use instead of the configured one (the testing kit's scripted model). */
    model?: ModelChoice;
  },
): Promise<AgentRuntime | { missing: string }> {
  const definitions = deps.definitions;
  // The scripted sandbox model must never write to a real site: against real Wix it may only dry-run.
  const realWix = new URL(config.wix.apiBaseUrl).hostname.endsWith('wixapis.com');
  if (
    !deps.model &&
    config.llm.provider === 'sandbox' &&
    realWix &&
    definitions.some((d) => handlerMode(d, config) !== 'dry-run')
  ) {
    return {
      missing:
        'LLM_PROVIDER is sandbox (a scripted stand-in, not an LLM) and WIX_API_BASE_URL is the real Wix API: ' +
        'set LLM_PROVIDER to a real model, or AGENT_MODE=dry-run to try the pipeline without writing to your site',
    };
  }
  const opened = await openWix(config, deps);
  if ('missing' in opened) return opened;
  const { wix } = opened;
  const model: ModelRuntime = deps.model
    ? { ...deps.model, close: async () => {} }
    : await openModel(config, definitions);
  const audit = createAudit(deps.store);
  const journal = createJournal(deps.store, newWriteOwner(config.writeOwnerTtlMs));
  const metrics = createAgentMetrics(deps.registry, () => audit.countPending());
  for (const d of definitions) {
    const asked = config.handlerModes[d.name] ?? d.mode;
    if (asked && asked !== handlerMode(d, config)) {
      deps.logger.warn(
        { handler: d.name, asked, mode: handlerMode(d, config), agentMode: config.agentMode },
        'handler mode is looser than AGENT_MODE, which is a ceiling: it runs stricter',
      );
    }
  }
  const { agentHandler } = await import('../agents/agent-handler.js');
  const handlers = definitions.map((definition) =>
    agentHandler(
      definition,
      {
        model: model.model,
        modelName: model.name,
        ...(model.headersFor ? { headersFor: model.headersFor } : {}),
        audit,
        journal,
        client: wix.client,
        metrics,
        // The consumer marks each event processed in a synced commit before acknowledging it.
        runRecords: { asyncCommit: true },
      },
      handlerMode(definition, config),
    ),
  );
  const approvals = createApprovals({
    audit,
    journal,
    client: wix.client,
    tools: wixTools,
    handlers: definitions,
    logger: deps.logger.child({ component: 'approvals' }),
    metrics,
  });
  // Writes left in flight by a process that is gone (crash mid-write, in a run or an approval) are
  // settled now and then every owner TTL: looked up in Wix or parked as outcome unknown.
  const recover = () =>
    approvals
      .recoverOrphans()
      .then(
        (n) =>
          n > 0 && deps.logger.warn({ settled: n }, 'settled writes left in flight by a stopped process'),
      )
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'could not settle orphaned writes'));
  void recover();
  const sweep = setInterval(() => void recover(), config.writeOwnerTtlMs);
  sweep.unref();
  return {
    handlers,
    definitions,
    audit,
    journal,
    metrics,
    approvals,
    model,
    wix,
    async close() {
      clearInterval(sweep);
      await model.close();
      await wix.close();
    },
  };
}

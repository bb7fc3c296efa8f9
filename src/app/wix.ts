/**
 * The Wix REST client from the configuration: auth (app OAuth or an API key), the per-site rate
 * limiter (in process, or Redis with `REDIS_URL`) and the client itself. Built here only.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../config/load.js';
import { createDependencyState } from '../observability/dependency-state.js';
import type { Logger } from '../observability/logger.js';
import type { Registry } from '../observability/metrics.js';
import { createApiKeyAuth, createOAuthAuth, type WixAuth } from '../wix/auth.js';
import { createWixClient, type WixRequester } from '../wix/client.js';
import { MemoryRateLimiter } from '../wix/limiter/memory.js';
import { observeLimiter, type SiteLimiterStats } from '../wix/limiter/observed.js';
import type { RateLimiter } from '../wix/limiter/port.js';
import { createWixMetrics, type WixMetrics } from '../wix/metrics.js';

/** The configuration the Wix client needs. */
export type WixSettings = Pick<Config, 'wix' | 'redisUrl' | 'redisCommandTimeoutMs'>;

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
  config: WixSettings,
  deps: { registry?: Registry; logger?: Logger },
): Promise<{ wix: WixConnection } | { missing: string }> {
  const metrics = deps.registry ? createWixMetrics(deps.registry) : undefined;
  const auth = authFrom(config, metrics);
  if (!auth) {
    return {
      missing:
        'no Wix credentials: set WIX_APP_ID and WIX_APP_SECRET (app OAuth) or WIX_API_KEY and WIX_SITE_ID',
    };
  }
  const site = await openLimiter(config, deps);
  const observed = observeLimiter(site.limiter);
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
      ready: site.ready,
      close: site.close,
    },
  };
}

/** An API key with a site id, else app OAuth; undefined without credentials. */
function authFrom(config: WixSettings, metrics: WixMetrics | undefined): WixAuth | undefined {
  if (config.wix.apiKey && config.wix.siteId) {
    return createApiKeyAuth({ apiKey: config.wix.apiKey, siteId: config.wix.siteId });
  }
  if (config.wix.appId && config.wix.appSecret) {
    return createOAuthAuth({
      appId: config.wix.appId,
      appSecret: config.wix.appSecret,
      baseUrl: config.wix.apiBaseUrl,
      ...(metrics ? { metrics } : {}),
    });
  }
  return undefined;
}

/** The per-site limiter: in process, or shared through Redis with `REDIS_URL` (see `WixConnection`). */
async function openLimiter(
  config: WixSettings,
  deps: { registry?: Registry; logger?: Logger },
): Promise<Pick<WixConnection, 'limiter' | 'ready' | 'close'>> {
  const rate = { limit: config.wix.rateLimitPerMinute, windowMs: 60_000 };
  if (!config.redisUrl) {
    const limiter = new MemoryRateLimiter(rate);
    return { limiter, ready: async () => {}, close: () => limiter.close() };
  }
  // A Redis that stops answering with the connection open must not hold a run: every command is
  // bounded (`REDIS_COMMAND_TIMEOUT_MS`), and fails as LIMITER_UNAVAILABLE (retryable).
  const [{ Redis }, { RedisRateLimiter }] = await Promise.all([
    import('ioredis'),
    import('../wix/limiter/redis.js'),
  ]);
  const redis: Redis = new Redis(config.redisUrl, {
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    lazyConnect: false,
    commandTimeout: config.redisCommandTimeoutMs,
  });
  let lastRedisError: unknown;
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
  const limiter = new RedisRateLimiter({ ...rate, redis, keyPrefix: 'wix-event-agent:limiter' });
  return {
    limiter,
    async ready() {
      try {
        await redis.ping();
      } catch (error) {
        // The connection's own error says why (ECONNREFUSED, WRONGPASS); the command's only that it gave up.
        throw lastRedisError ?? error;
      }
    },
    async close() {
      await limiter.close();
      await redis.quit().catch(() => {});
    },
  };
}

import { z } from 'zod';
import { duration, flag, int, list, oneOf, oneOfOr, text, textOr, urlOf } from './fields.js';
import { agentModes } from '../domain/modes.js';
import { isRsaPublicKey, normalizePublicKey } from './public-key.js';

/**
 * The one description of the service's configuration: every environment variable, its default and
 * bounds, and the `Config` object built from them. Handlers' own settings (the built-ins' too) are
 * theirs, declared with each handler and read when it loads: none is named here. `.env.example`
 * documents both lists (a test keeps them in step). Bounds are the ones the constructors accept, so a
 * value that passes here cannot make a constructor throw later.
 */

/** `SQLITE_SYNC`: when an embedded SQLite commit reaches the disk (see store/sqlite.ts). */
export const sqliteSyncModes = ['full', 'normal', 'off'] as const;
export const llmProviders = ['openai', 'anthropic', 'openai-compatible', 'sandbox'] as const;
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const saslMechanisms = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

export type { AgentMode } from '../domain/modes.js';
import type { AgentMode } from '../domain/modes.js';
export type LlmProvider = (typeof llmProviders)[number];

/**
 * Variables that may hold a secret. Each can also be given as `<NAME>_FILE`, a path whose content
 * (trailing newline trimmed) is the value (Docker and Kubernetes secrets).
 */
export const secretVariables = [
  'WIX_PUBLIC_KEY',
  'WIX_APP_SECRET',
  'WIX_WEBHOOK_HS256_SECRET',
  'WIX_API_KEY',
  'DATABASE_URL',
  'REDIS_URL',
  'KAFKA_SASL_PASSWORD',
  'LLM_API_KEY',
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'ADMIN_TOKEN',
] as const;

/** `WIX_PUBLIC_KEY`: normalised to a PEM and checked to be an RSA public key. Never echoed. */
const publicKey = text().transform((v, ctx) => {
  if (v === undefined) return undefined;
  const pem = normalizePublicKey(v);
  if (!pem) {
    ctx.addIssue({
      code: 'custom',
      message: 'not a PEM public key (PEM, PEM with \\n escapes, or base64 of the PEM)',
    });
    return z.NEVER;
  }
  if (!isRsaPublicKey(pem)) {
    ctx.addIssue({ code: 'custom', message: 'not a readable RSA public key' });
    return z.NEVER;
  }
  return pem;
});

/** `AGENT_MODE_OVERRIDES`: `name=mode,name=mode` → `{ name: mode }` (names checked once handlers load). */
const modeOverrides = list().transform((pairs, ctx) => {
  const modes: Record<string, AgentMode> = {};
  for (const pair of pairs ?? []) {
    const [name, rawMode, extra] = pair.split('=').map((p) => p.trim());
    const mode = rawMode?.toLowerCase();
    if (!name || extra !== undefined || !(agentModes as readonly string[]).includes(mode ?? '')) {
      ctx.addIssue({
        code: 'custom',
        message: `"${pair.slice(0, 60)}" is not handler=${agentModes.join('|')}`,
      });
    } else modes[name] = mode as AgentMode;
  }
  return modes;
});

/** `KAFKA_BROKERS`: `host:port,host:port`. */
const brokers = list().transform((items, ctx) => {
  for (const b of items ?? []) {
    if (!/^[^\s:/]+:\d{1,5}$/.test(b) && !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(b)) {
      ctx.addIssue({ code: 'custom', message: `"${b.slice(0, 80)}" is not host:port (e.g. kafka-1:9092)` });
    }
  }
  return items;
});

/** Kafka topic names allow `[a-zA-Z0-9._-]`, up to 249 characters in all. */
const topicPrefix = textOr('wix.').pipe(
  z
    .string()
    .max(200, 'at most 200 characters (Kafka topic names are limited to 249)')
    .regex(/^[a-zA-Z0-9._-]+$/, 'only letters, digits, ".", "_" and "-" (Kafka topic names)'),
);

const DAY = 86_400_000;

/** Every environment variable of the service's configuration, parsed field by field. */
export const envSchema = z.object({
  // HTTP
  PORT: int(3000, 0, 65535, '0 = any free port'),
  HOST: textOr('0.0.0.0'),
  // Store
  DATA_DIR: textOr('./data'),
  SQLITE_SYNC: oneOfOr(sqliteSyncModes, 'full'),
  DATABASE_URL: urlOf(['postgres:', 'postgresql:'], 'postgres://user:password@host:5432/database'),
  DATABASE_SCHEMA: textOr('wix_event_agent').pipe(
    z
      .string()
      .regex(
        /^[a-z_][a-z0-9_]{0,62}$/,
        'expected a plain schema name: lowercase letters, digits and _ (at most 63)',
      ),
  ),
  // Webhooks
  WIX_PUBLIC_KEY: publicKey,
  WIX_APP_SECRET: text(),
  /** Explicit opt-in to HS256 webhooks signed with this shared secret. Never implied by WIX_APP_SECRET. */
  WIX_WEBHOOK_HS256_SECRET: text(),
  WEBHOOK_MAX_BYTES: int(1024 * 1024, 1024, 64 * 1024 * 1024),
  WEBHOOK_PUBLISH_TIMEOUT_MS: int(1000, 10, 60_000),
  WEBHOOK_MAX_IN_FLIGHT: int(1000, 1, 1_000_000),
  JWT_CLOCK_SKEW_SECONDS: int(60, 0, 3600),
  // Delivery
  MAX_ATTEMPTS: int(5, 1, 100),
  RETRY_BASE_MS: int(1000, 1, 3_600_000),
  // setTimeout's largest delay is 2^31-1 ms (~24.8 days).
  RETRY_MAX_MS: int(300_000, 1, 86_400_000),
  // Kafka (the bus at scale; unset = embedded bus)
  KAFKA_BROKERS: brokers,
  KAFKA_CLIENT_ID: textOr('wix-event-agent'),
  KAFKA_TOPIC_PREFIX: topicPrefix,
  KAFKA_GROUP_ID: textOr('wix-event-agent'),
  KAFKA_SSL: flag(false),
  KAFKA_SASL_MECHANISM: oneOf(saslMechanisms),
  KAFKA_SASL_USERNAME: text(),
  KAFKA_SASL_PASSWORD: text(),
  KAFKA_IDEMPOTENT: flag(true),
  KAFKA_ALLOW_AUTO_CREATE_TOPICS: flag(false),
  KAFKA_PARTITIONS: int(12, 1, 10_000),
  KAFKA_REPLICATION_FACTOR: int(3, 1, 32),
  KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY: int(4, 1, 1000),
  KAFKA_SESSION_TIMEOUT_MS: int(
    30_000,
    6000,
    1_800_000,
    "the broker's group.min/max.session.timeout.ms defaults",
  ),
  KAFKA_BATCH_LINGER_MS: int(2, 0, 1000),
  // Wix REST client
  WIX_APP_ID: text(),
  WIX_API_KEY: text(),
  WIX_SITE_ID: text(),
  WIX_API_BASE_URL: urlOf(['http:', 'https:'], 'https://www.wixapis.com').transform(
    (v) => v ?? 'https://www.wixapis.com',
  ),
  WIX_RATE_LIMIT_PER_MINUTE: int(200, 2, 1_000_000, 'the limiter needs at least 2'),
  REDIS_URL: urlOf(['redis:', 'rediss:'], 'redis://:password@host:6379'),
  /** Timeout of one Wix HTTP attempt, ms. */
  WIX_REQUEST_TIMEOUT_MS: int(20_000, 100, 300_000),
  /** A Redis limiter command that gets no answer within this many ms fails (Redis stalled). */
  REDIS_COMMAND_TIMEOUT_MS: int(2_000, 50, 60_000),
  /** A write's owner is alive while it renewed its journal row within this many ms. */
  WRITE_OWNER_TTL_MS: int(30_000, 300, 3_600_000),
  // Agents
  LLM_PROVIDER: oneOfOr(llmProviders, 'sandbox'),
  LLM_MODEL: text(),
  LLM_BASE_URL: urlOf(['http:', 'https:'], 'http://127.0.0.1:11434/v1'),
  LLM_API_KEY: text(),
  OPENAI_API_KEY: text(),
  ANTHROPIC_API_KEY: text(),
  AGENT_MODE: oneOfOr(agentModes, 'live'),
  AGENT_MODE_OVERRIDES: modeOverrides,
  HANDLERS: list(),
  /** A module exporting your handlers (path or package); with it, built-ins run only when named in HANDLERS. */
  HANDLERS_MODULE: text(),
  // Retention (src/store/retention.ts)
  RETENTION_DEDUPE: duration(7 * DAY, 60_000, 3650 * DAY),
  RETENTION_QUEUE: duration(7 * DAY, 60_000, 3650 * DAY),
  RETENTION_AUDIT: duration(90 * DAY, 60_000, 3650 * DAY),
  RETENTION_DEAD_LETTERS: duration(30 * DAY, 60_000, 3650 * DAY),
  RETENTION_INTERVAL: duration(10 * 60_000, 0, DAY),
  RETENTION_BATCH: int(1000, 10, 100_000),
  // Operations
  ADMIN_TOKEN: text(),
  LOG_LEVEL: oneOfOr(logLevels, 'info'),
});

/** The environment after field parsing (defaults applied, types converted). */
export type Env = z.output<typeof envSchema>;

/** Problems only visible across variables; each names the variable to change. */
function crossCheck(e: Env, ctx: z.RefinementCtx): void {
  const problem = (variable: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [variable], message });
  if (e.KAFKA_SASL_MECHANISM && (!e.KAFKA_SASL_USERNAME || !e.KAFKA_SASL_PASSWORD)) {
    problem(
      e.KAFKA_SASL_USERNAME ? 'KAFKA_SASL_PASSWORD' : 'KAFKA_SASL_USERNAME',
      'required when KAFKA_SASL_MECHANISM is set (or leave KAFKA_SASL_MECHANISM empty)',
    );
  }
  if (e.WIX_API_KEY && !e.WIX_SITE_ID) problem('WIX_SITE_ID', 'required with WIX_API_KEY');
  if (e.LLM_PROVIDER === 'openai-compatible' && !e.LLM_BASE_URL) {
    problem('LLM_BASE_URL', 'required when LLM_PROVIDER=openai-compatible');
  }
  if (e.LLM_PROVIDER === 'openai' && !(e.OPENAI_API_KEY ?? e.LLM_API_KEY)) {
    problem('OPENAI_API_KEY', 'required when LLM_PROVIDER=openai');
  }
  if (e.LLM_PROVIDER === 'anthropic' && !(e.ANTHROPIC_API_KEY ?? e.LLM_API_KEY)) {
    problem('ANTHROPIC_API_KEY', 'required when LLM_PROVIDER=anthropic');
  }
  if ((e.LLM_PROVIDER === 'openai' || e.LLM_PROVIDER === 'anthropic') && !e.LLM_MODEL) {
    problem('LLM_MODEL', `required when LLM_PROVIDER=${e.LLM_PROVIDER}`);
  }
  if (e.RETRY_MAX_MS < e.RETRY_BASE_MS) problem('RETRY_MAX_MS', 'must be at least RETRY_BASE_MS');
}

/** HTTP and the store. */
function serverAndStore(e: Env) {
  return {
    /** HTTP port; 0 = any free port. */
    port: e.PORT,
    host: e.HOST,
    /** The embedded store's directory (SQLite; `memory://` = in memory), used when `databaseUrl` is unset. */
    dataDir: e.DATA_DIR,
    /**
     * The SQLite store's `synchronous` setting: `full` (default) syncs every commit to disk before it
     * returns, `normal` only at WAL checkpoints, `off` never (see store/sqlite.ts and the README).
     */
    sqliteSync: e.SQLITE_SYNC,
    databaseUrl: e.DATABASE_URL,
    /** Postgres schema of the service's tables (unless DATABASE_URL sets a search_path itself). */
    databaseSchema: e.DATABASE_SCHEMA,
  };
}

/** The webhook endpoint. */
function webhook(e: Env) {
  return {
    /** PEM of the app's RSA public key (RS256, as Wix signs). */
    publicKeyPem: e.WIX_PUBLIC_KEY,
    /**
     * Shared secret enabling HS256 webhooks (`WIX_WEBHOOK_HS256_SECRET`), an explicit opt-in for setups
     * and tests that sign with one. Wix itself signs RS256; the OAuth app secret never enables HS256.
     */
    hs256Secret: e.WIX_WEBHOOK_HS256_SECRET,
    maxBytes: e.WEBHOOK_MAX_BYTES,
    /** Publishing must finish within this, well inside Wix's 1250 ms window. */
    publishTimeoutMs: e.WEBHOOK_PUBLISH_TIMEOUT_MS,
    /** Webhooks in progress at once before new ones get 503. */
    maxInFlight: e.WEBHOOK_MAX_IN_FLIGHT,
    clockSkewSeconds: e.JWT_CLOCK_SKEW_SECONDS,
  };
}

/** Kafka settings; undefined (embedded bus) unless `KAFKA_BROKERS` is set. */
function kafka(e: Env) {
  if (!e.KAFKA_BROKERS) return undefined;
  const sasl =
    e.KAFKA_SASL_MECHANISM && e.KAFKA_SASL_USERNAME && e.KAFKA_SASL_PASSWORD
      ? {
          mechanism: e.KAFKA_SASL_MECHANISM,
          username: e.KAFKA_SASL_USERNAME,
          password: e.KAFKA_SASL_PASSWORD,
        }
      : undefined;
  return {
    brokers: e.KAFKA_BROKERS,
    clientId: e.KAFKA_CLIENT_ID,
    topicPrefix: e.KAFKA_TOPIC_PREFIX,
    groupId: e.KAFKA_GROUP_ID,
    ssl: e.KAFKA_SSL,
    sasl,
    idempotent: e.KAFKA_IDEMPOTENT,
    allowAutoCreateTopics: e.KAFKA_ALLOW_AUTO_CREATE_TOPICS,
    partitions: e.KAFKA_PARTITIONS,
    replicationFactor: e.KAFKA_REPLICATION_FACTOR,
    partitionsConsumedConcurrently: e.KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY,
    sessionTimeoutMs: e.KAFKA_SESSION_TIMEOUT_MS,
    lingerMs: e.KAFKA_BATCH_LINGER_MS,
  };
}

/** The Wix REST client, its shared limiter (Redis) and its write journal. */
function wixClient(e: Env) {
  return {
    wix: {
      appId: e.WIX_APP_ID,
      appSecret: e.WIX_APP_SECRET,
      apiKey: e.WIX_API_KEY,
      siteId: e.WIX_SITE_ID,
      apiBaseUrl: e.WIX_API_BASE_URL,
      rateLimitPerMinute: e.WIX_RATE_LIMIT_PER_MINUTE,
      /** One HTTP attempt, ms. */
      requestTimeoutMs: e.WIX_REQUEST_TIMEOUT_MS,
    },
    redisUrl: e.REDIS_URL,
    /** A limiter command unanswered this long fails (LIMITER_UNAVAILABLE). */
    redisCommandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
    /** See `WriteOwner`: a write's owner is alive while it renewed its row within this. */
    writeOwnerTtlMs: e.WRITE_OWNER_TTL_MS,
  };
}

/** The model, the modes, and which handlers run. */
function agents(e: Env) {
  const apiKeyOf: Partial<Record<LlmProvider, string>> = {
    openai: e.OPENAI_API_KEY,
    anthropic: e.ANTHROPIC_API_KEY,
  };
  return {
    llm: {
      provider: e.LLM_PROVIDER,
      model: e.LLM_MODEL,
      baseUrl: e.LLM_BASE_URL,
      /** The provider's own key variable wins over `LLM_API_KEY`. */
      apiKey: apiKeyOf[e.LLM_PROVIDER] ?? e.LLM_API_KEY,
    },
    agentMode: e.AGENT_MODE,
    /** Mode per handler name, overriding `agentMode` (a handler can only be stricter). */
    handlerModes: e.AGENT_MODE_OVERRIDES,
    /** Built-in handlers to run; undefined = all. */
    handlers: e.HANDLERS,
    /** A module exporting the user's handlers (`serve --handlers` wins over it). */
    handlersModule: e.HANDLERS_MODULE,
  };
}

/** How long rows are kept (ms) and how the deletes run; see src/store/retention.ts. */
function retention(e: Env) {
  return {
    dedupeMs: e.RETENTION_DEDUPE,
    queueMs: e.RETENTION_QUEUE,
    auditMs: e.RETENTION_AUDIT,
    deadLettersMs: e.RETENTION_DEAD_LETTERS,
    /** 0 = retention off. */
    intervalMs: e.RETENTION_INTERVAL,
    batchSize: e.RETENTION_BATCH,
  };
}

/** The parsed environment as the shape the service uses, section by section. */
function toConfig(e: Env) {
  return {
    ...serverAndStore(e),
    webhook: webhook(e),
    delivery: { maxAttempts: e.MAX_ATTEMPTS, retryBaseMs: e.RETRY_BASE_MS, retryMaxMs: e.RETRY_MAX_MS },
    kafka: kafka(e),
    topicPrefix: e.KAFKA_TOPIC_PREFIX,
    ...wixClient(e),
    ...agents(e),
    retention: retention(e),
    adminToken: e.ADMIN_TOKEN,
    logLevel: e.LOG_LEVEL,
  };
}

/** Environment (strings) → `Config`: field parsing, then cross-variable checks, then the shape. */
export const configSchema = envSchema.superRefine(crossCheck).transform(toConfig);

/** The service's configuration, parsed once at start from an env object passed in. */
export type Config = z.output<typeof configSchema>;

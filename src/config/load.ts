import { createPublicKey } from 'node:crypto';
import { envSchema, type Env } from './schema.js';

export type AgentMode = Env['AGENT_MODE'];
export type LlmProvider = Env['LLM_PROVIDER'];

/** The service's configuration, parsed once at start from an env object passed in. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  webhook: {
    /** PEM of the app's RSA public key (RS256, as Wix signs). */
    publicKeyPem: string | undefined;
    /** HS256 secret (some setups and the tests). */
    appSecret: string | undefined;
    maxBytes: number;
    /** Publishing must finish within this, well inside Wix's 1250 ms window. */
    publishTimeoutMs: number;
    /** Webhooks in progress at once before new ones get 503. */
    maxInFlight: number;
    clockSkewSeconds: number;
  };
  delivery: { maxAttempts: number; retryBaseMs: number; retryMaxMs: number };
  kafka:
    | {
        brokers: string[];
        clientId: string;
        topicPrefix: string;
        groupId: string;
        ssl: boolean;
        sasl:
          | { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string }
          | undefined;
        idempotent: boolean;
        allowAutoCreateTopics: boolean;
        partitions: number;
        replicationFactor: number;
        partitionsConsumedConcurrently: number;
        sessionTimeoutMs: number;
        lingerMs: number;
      }
    | undefined;
  topicPrefix: string;
  wix: {
    appId: string | undefined;
    appSecret: string | undefined;
    apiKey: string | undefined;
    siteId: string | undefined;
    apiBaseUrl: string;
    rateLimitPerMinute: number;
    /** `WIX_REQUEST_TIMEOUT_MS`: one HTTP attempt. Default 20_000. */
    requestTimeoutMs: number;
  };
  redisUrl: string | undefined;
  /** `REDIS_COMMAND_TIMEOUT_MS`: a limiter command unanswered this long fails. Default 2_000. */
  redisCommandTimeoutMs: number;
  /** `WRITE_OWNER_TTL_MS`: see `WriteOwner`. Default 30_000. */
  writeOwnerTtlMs: number;
  llm: {
    provider: LlmProvider;
    model: string | undefined;
    baseUrl: string | undefined;
    apiKey: string | undefined;
  };
  agentMode: AgentMode;
  /** Mode per handler name, overriding `agentMode`. */
  handlerModes: Record<string, AgentMode>;
  /** Built-in handlers to run; undefined = all. */
  handlers: string[] | undefined;
  vipLifetimeSpend: number;
  welcomeDraft: boolean;
  adminToken: string | undefined;
  logLevel: Env['LOG_LEVEL'];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Accepts a PEM, a PEM whose newlines were escaped as `\n` (one env line), or base64 of the PEM
 * (what `@wix/sdk` accepts). Returns a PEM, or undefined when the value is none of these.
 */
export function normalizePublicKey(value: string): string | undefined {
  let text = value.trim();
  if (text.includes('\\n')) text = text.replace(/\\r/g, '').replace(/\\n/g, '\n');
  text = text.trim();
  if (!text.includes('-----BEGIN')) {
    if (!/^[A-Za-z0-9+/=\s]+$/.test(text)) return undefined;
    text = Buffer.from(text, 'base64').toString('utf8').trim();
  }
  return /^-----BEGIN (PUBLIC KEY|RSA PUBLIC KEY)-----[\s\S]+-----END \1-----$/.test(text)
    ? text + '\n'
    : undefined;
}

function isRsaPublicKey(pem: string): boolean {
  try {
    return createPublicKey(pem).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}

/** Parses the environment once; every problem is reported together, naming the variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];

  let publicKeyPem: string | undefined;
  if (e.WIX_PUBLIC_KEY !== undefined) {
    publicKeyPem = normalizePublicKey(e.WIX_PUBLIC_KEY);
    if (!publicKeyPem)
      problems.push('WIX_PUBLIC_KEY: not a PEM public key (PEM, PEM with \\n escapes, or base64 of the PEM)');
    else if (!isRsaPublicKey(publicKeyPem)) problems.push('WIX_PUBLIC_KEY: not a readable RSA public key');
  }
  const sasl = e.KAFKA_SASL_MECHANISM;
  if (sasl && (!e.KAFKA_SASL_USERNAME || !e.KAFKA_SASL_PASSWORD)) {
    problems.push('KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD: required when KAFKA_SASL_MECHANISM is set');
  }
  if (e.WIX_API_KEY && !e.WIX_SITE_ID) problems.push('WIX_SITE_ID: required with WIX_API_KEY');
  if (e.LLM_PROVIDER === 'openai-compatible' && !e.LLM_BASE_URL) {
    problems.push('LLM_BASE_URL: required when LLM_PROVIDER=openai-compatible');
  }
  if (e.LLM_PROVIDER === 'openai' && !(e.OPENAI_API_KEY ?? e.LLM_API_KEY)) {
    problems.push('OPENAI_API_KEY: required when LLM_PROVIDER=openai');
  }
  if (e.LLM_PROVIDER === 'anthropic' && !(e.ANTHROPIC_API_KEY ?? e.LLM_API_KEY)) {
    problems.push('ANTHROPIC_API_KEY: required when LLM_PROVIDER=anthropic');
  }
  if ((e.LLM_PROVIDER === 'openai' || e.LLM_PROVIDER === 'anthropic') && !e.LLM_MODEL) {
    problems.push(`LLM_MODEL: required when LLM_PROVIDER=${e.LLM_PROVIDER}`);
  }
  const handlerModes: Record<string, AgentMode> = {};
  for (const pair of e.AGENT_MODE_OVERRIDES?.split(',')
    .map((p) => p.trim())
    .filter(Boolean) ?? []) {
    const [name, mode] = pair.split('=').map((p) => p.trim());
    if (!name || (mode !== 'live' && mode !== 'dry-run' && mode !== 'approval')) {
      problems.push(`AGENT_MODE_OVERRIDES: "${pair.slice(0, 60)}" is not handler=live|dry-run|approval`);
    } else handlerModes[name] = mode;
  }
  if (e.RETRY_MAX_MS < e.RETRY_BASE_MS) problems.push('RETRY_MAX_MS: must be at least RETRY_BASE_MS');
  if (problems.length > 0) throw new ConfigError(problems);

  const brokers = e.KAFKA_BROKERS?.split(',')
    .map((b) => b.trim())
    .filter(Boolean);

  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    webhook: {
      publicKeyPem,
      appSecret: e.WIX_APP_SECRET,
      maxBytes: e.WEBHOOK_MAX_BYTES,
      publishTimeoutMs: e.WEBHOOK_PUBLISH_TIMEOUT_MS,
      maxInFlight: e.WEBHOOK_MAX_IN_FLIGHT,
      clockSkewSeconds: e.JWT_CLOCK_SKEW_SECONDS,
    },
    delivery: { maxAttempts: e.MAX_ATTEMPTS, retryBaseMs: e.RETRY_BASE_MS, retryMaxMs: e.RETRY_MAX_MS },
    kafka:
      brokers && brokers.length > 0
        ? {
            brokers,
            clientId: e.KAFKA_CLIENT_ID,
            topicPrefix: e.KAFKA_TOPIC_PREFIX,
            groupId: e.KAFKA_GROUP_ID,
            ssl: e.KAFKA_SSL,
            sasl:
              sasl && e.KAFKA_SASL_USERNAME && e.KAFKA_SASL_PASSWORD
                ? { mechanism: sasl, username: e.KAFKA_SASL_USERNAME, password: e.KAFKA_SASL_PASSWORD }
                : undefined,
            idempotent: e.KAFKA_IDEMPOTENT,
            allowAutoCreateTopics: e.KAFKA_ALLOW_AUTO_CREATE_TOPICS,
            partitions: e.KAFKA_PARTITIONS,
            replicationFactor: e.KAFKA_REPLICATION_FACTOR,
            partitionsConsumedConcurrently: e.KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY,
            sessionTimeoutMs: e.KAFKA_SESSION_TIMEOUT_MS,
            lingerMs: e.KAFKA_BATCH_LINGER_MS,
          }
        : undefined,
    topicPrefix: e.KAFKA_TOPIC_PREFIX,
    wix: {
      appId: e.WIX_APP_ID,
      appSecret: e.WIX_APP_SECRET,
      apiKey: e.WIX_API_KEY,
      siteId: e.WIX_SITE_ID,
      apiBaseUrl: e.WIX_API_BASE_URL,
      rateLimitPerMinute: e.WIX_RATE_LIMIT_PER_MINUTE,
      requestTimeoutMs: e.WIX_REQUEST_TIMEOUT_MS,
    },
    redisUrl: e.REDIS_URL,
    redisCommandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
    writeOwnerTtlMs: e.WRITE_OWNER_TTL_MS,
    llm: {
      provider: e.LLM_PROVIDER,
      model: e.LLM_MODEL,
      baseUrl: e.LLM_BASE_URL,
      apiKey:
        e.LLM_PROVIDER === 'openai'
          ? (e.OPENAI_API_KEY ?? e.LLM_API_KEY)
          : e.LLM_PROVIDER === 'anthropic'
            ? (e.ANTHROPIC_API_KEY ?? e.LLM_API_KEY)
            : e.LLM_API_KEY,
    },
    agentMode: e.AGENT_MODE,
    handlerModes,
    handlers: e.HANDLERS?.split(',')
      .map((h) => h.trim())
      .filter(Boolean),
    vipLifetimeSpend: e.VIP_LIFETIME_SPEND,
    welcomeDraft: e.CONTACT_INTAKE_WELCOME_DRAFT,
    adminToken: e.ADMIN_TOKEN,
    logLevel: e.LOG_LEVEL,
  };
}

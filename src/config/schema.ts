import { z } from 'zod';

/** Empty strings in the environment mean "not set". */
const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const boolean = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      ctx.addIssue({ code: 'custom', message: 'expected true or false' });
      return z.NEVER;
    });

const int = (fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : Number(v)))
    .pipe(z.number().int().min(min).max(max));

const number = (fallback: number, min: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : Number(v)))
    .pipe(z.number().min(min));

const url = z.url().optional().or(optionalString.pipe(z.undefined()));

/**
 * Every environment variable the service reads, with its default.
 * `.env.example` documents the same list; keep them in step.
 */
export const envSchema = z.object({
  // HTTP
  PORT: int(3000, 0, 65535),
  HOST: optionalString.default('0.0.0.0'),
  // Store
  DATA_DIR: optionalString.default('./data'),
  DATABASE_URL: optionalString,
  // Webhooks
  WIX_PUBLIC_KEY: optionalString,
  WIX_APP_SECRET: optionalString,
  WEBHOOK_MAX_BYTES: int(1024 * 1024, 1024),
  WEBHOOK_PUBLISH_TIMEOUT_MS: int(1000, 10, 60_000),
  /** Webhooks being processed at once; past it, 503 at once (shed load instead of timing out). */
  WEBHOOK_MAX_IN_FLIGHT: int(1000, 1, 1_000_000),
  JWT_CLOCK_SKEW_SECONDS: int(60, 0, 3600),
  // Delivery
  MAX_ATTEMPTS: int(5, 1, 100),
  RETRY_BASE_MS: int(1000, 1, 3_600_000),
  RETRY_MAX_MS: int(300_000, 1, 86_400_000),
  // Kafka (the bus at scale; unset = embedded bus)
  KAFKA_BROKERS: optionalString,
  KAFKA_CLIENT_ID: optionalString.default('wix-event-agent'),
  KAFKA_TOPIC_PREFIX: z.string().trim().optional().default('wix.'),
  KAFKA_GROUP_ID: optionalString.default('wix-event-agent'),
  KAFKA_SSL: boolean(false),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: optionalString,
  KAFKA_SASL_PASSWORD: optionalString,
  KAFKA_IDEMPOTENT: boolean(true),
  KAFKA_ALLOW_AUTO_CREATE_TOPICS: boolean(false),
  KAFKA_PARTITIONS: int(12, 1, 10_000),
  KAFKA_REPLICATION_FACTOR: int(3, 1, 10),
  KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY: int(4, 1, 1000),
  KAFKA_SESSION_TIMEOUT_MS: int(30_000, 3500, 3_600_000),
  KAFKA_BATCH_LINGER_MS: int(2, 0, 1000),
  // Wix REST client
  WIX_APP_ID: optionalString,
  WIX_API_KEY: optionalString,
  WIX_SITE_ID: optionalString,
  WIX_API_BASE_URL: url.default('https://www.wixapis.com'),
  WIX_RATE_LIMIT_PER_MINUTE: int(200, 1, 1_000_000),
  REDIS_URL: optionalString,
  /** Timeout of one Wix HTTP attempt, ms. */
  WIX_REQUEST_TIMEOUT_MS: int(20_000, 100, 300_000),
  /** A Redis limiter command that gets no answer within this many ms fails (Redis stalled). */
  REDIS_COMMAND_TIMEOUT_MS: int(2_000, 50, 60_000),
  /** A write's owner is alive while it renewed its journal row within this many ms. */
  WRITE_OWNER_TTL_MS: int(30_000, 300, 3_600_000),
  // Agents
  LLM_PROVIDER: z.enum(['openai', 'anthropic', 'openai-compatible', 'sandbox']).optional().default('sandbox'),
  LLM_MODEL: optionalString,
  LLM_BASE_URL: url,
  LLM_API_KEY: optionalString,
  OPENAI_API_KEY: optionalString,
  ANTHROPIC_API_KEY: optionalString,
  AGENT_MODE: z.enum(['live', 'dry-run', 'approval']).optional().default('live'),
  VIP_LIFETIME_SPEND: number(500, 0),
  /** Per-handler modes, e.g. `order-triage=approval,contact-intake=dry-run`. */
  AGENT_MODE_OVERRIDES: optionalString,
  /** Built-in handlers to run (comma-separated names); default all. */
  HANDLERS: optionalString,
  CONTACT_INTAKE_WELCOME_DRAFT: boolean(false),
  // Operations
  ADMIN_TOKEN: optionalString,
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .optional()
    .default('info'),
});

export type Env = z.infer<typeof envSchema>;

import { Kafka, logLevel, type LogEntry, type RetryOptions, type SASLOptions } from 'kafkajs';
import type { Config } from '../config/load.js';
import type { Logger } from '../observability/logger.js';

/** The `kafka` part of the service configuration (present when `KAFKA_BROKERS` is set). */
export type KafkaSettings = NonNullable<Config['kafka']>;

/** Client settings that are not in the environment. The defaults suit a real cluster. */
export interface KafkaClientTuning {
  /** Retry of each Kafka request. Default kafkajs's: `{ initialRetryTime: 300, retries: 5 }`. */
  retry?: Pick<RetryOptions, 'initialRetryTime' | 'retries' | 'maxRetryTime'>;
  /** TCP connect timeout. Default 3000 ms. */
  connectionTimeoutMs?: number;
  /** Timeout of one request. Default 30000 ms. */
  requestTimeoutMs?: number;
}

const pinoLevels = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
} as const;

/** The most verbose kafkajs level whose pino counterpart is enabled. */
function kafkaLogLevel(logger: Logger): logLevel {
  if (logger.isLevelEnabled('debug')) return logLevel.DEBUG;
  if (logger.isLevelEnabled('info')) return logLevel.INFO;
  if (logger.isLevelEnabled('warn')) return logLevel.WARN;
  if (logger.isLevelEnabled('error')) return logLevel.ERROR;
  return logLevel.NOTHING;
}

function sasl(settings: KafkaSettings): SASLOptions | undefined {
  if (!settings.sasl) return undefined;
  const { mechanism, username, password } = settings.sasl;
  return { mechanism, username, password };
}

/**
 * Replaces each of `secrets` in every string of a log entry (message and fields, nested) with
 * `[redacted]`. kafkajs logs what brokers answer, and a broker or proxy may echo the SASL login it
 * refused; this keeps the password out at the source, whatever the logger's own redaction.
 */
function scrub<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  if (typeof value === 'string') {
    return secrets.reduce((text, secret) => text.replaceAll(secret, '[redacted]'), value as string) as T;
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, secrets)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, secrets)])) as T;
  }
  return value;
}

/**
 * Repeats of one kafkajs error or warning (same namespace and message) within this many ms are counted,
 * not logged: kafkajs logs every reconnect attempt, so an unreachable broker would fill the log with the
 * same two lines. The next line logged after the window carries `repeated: N`.
 */
const REPEAT_WINDOW_MS = 60_000;

/**
 * Builds the kafkajs client; its logs go to `logger` (component `kafkajs`), with the SASL password
 * scrubbed from every entry and repeated errors and warnings logged once a minute. Connects nothing yet.
 */
export function createKafkaClient(
  settings: KafkaSettings,
  logger: Logger,
  tuning: KafkaClientTuning = {},
): Kafka {
  const log = logger.child({ component: 'kafkajs' });
  const secrets = settings.sasl?.password ? [settings.sasl.password] : [];
  const recent = new Map<string, { until: number; suppressed: number }>();
  /** False when this entry repeats one logged less than a window ago; else true (with `repeated` set). */
  const firstInWindow = (key: string, extra: Record<string, unknown>): boolean => {
    const now = Date.now();
    const seen = recent.get(key);
    if (seen && now < seen.until) {
      seen.suppressed++;
      return false;
    }
    if (seen?.suppressed) extra.repeated = seen.suppressed;
    if (recent.size > 200) recent.clear();
    recent.set(key, { until: now + REPEAT_WINDOW_MS, suppressed: 0 });
    return true;
  };
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    ssl: settings.ssl,
    sasl: sasl(settings),
    connectionTimeout: tuning.connectionTimeoutMs ?? 3000,
    requestTimeout: tuning.requestTimeoutMs ?? 30_000,
    retry: tuning.retry,
    logLevel: kafkaLogLevel(logger),
    logCreator:
      () =>
      ({ namespace, level, log: entry }: LogEntry) => {
        // kafkajs adds the stack of every connection error; keep it for LOG_LEVEL=debug only.
        const { message, timestamp: _timestamp, logger: _logger, stack, ...extra } = entry;
        if (stack !== undefined && log.isLevelEnabled('debug')) extra.stack = stack;
        const method = pinoLevels[level as keyof typeof pinoLevels] ?? 'debug';
        if ((method === 'error' || method === 'warn') && !firstInWindow(`${namespace}\0${message}`, extra)) {
          return;
        }
        log[method](scrub({ namespace, ...extra }, secrets), scrub(message, secrets));
      },
  });
}

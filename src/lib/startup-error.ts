import { AppError, describeError } from '../errors.js';
import { errorCodes } from './error-codes.js';

/**
 * Start could not finish because of one setting. `message` is one line: the variable, what is wrong,
 * and the likely fix (`DATABASE_URL: Postgres at db:5432/app refused the password: fix ...`). It never
 * contains a secret: URLs are shown as host:port/database, and library messages only where they
 * carry none.
 */
export class StartupError extends AppError {
  constructor(
    readonly variable: string,
    explanation: string,
    cause?: unknown,
  ) {
    super(`${variable}: ${explanation}`, { code: 'STARTUP_FAILED', retryable: false, cause });
  }
}

/** The settings a start-up step depends on, for the explanation. Nothing here may be a secret. */
export interface StartupContext {
  /** `host:port/database` (never the URL with its password), a directory, or `host:port`. */
  target?: string;
}

/** `host:port/path` of a URL: safe to show (no user, no password, no query). */
export function urlTarget(url: string): string {
  try {
    const u = new URL(url);
    const port =
      u.port ||
      { 'postgres:': '5432', 'postgresql:': '5432', 'redis:': '6379', 'rediss:': '6379' }[u.protocol];
    return `${u.hostname}${port ? `:${port}` : ''}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}

type Explain = (
  codes: Set<string>,
  error: unknown,
  target: string,
) => [variable: string, text: string] | undefined;

/** `host:port` of a `host:port/path` target. */
const hostPort = (target: string) => target.split('/')[0]!;

const any = (codes: Set<string>, ...wanted: string[]) => wanted.some((c) => codes.has(c));
const unreachable = (codes: Set<string>) =>
  any(codes, 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET');
const notFound = (codes: Set<string>) => any(codes, 'ENOTFOUND', 'EAI_AGAIN');
const timedOut = (codes: Set<string>) => any(codes, 'ETIMEDOUT', 'STARTUP_TIMEOUT');

const explainers: Record<string, Explain> = {
  DATABASE_URL: (codes, error, target) => {
    const v = 'DATABASE_URL';
    if (codes.has('28P01'))
      return [v, `Postgres at ${target} refused the password: fix the user and password in DATABASE_URL`];
    if (codes.has('28000'))
      return [
        v,
        `Postgres at ${target} refused the login (unknown user, or no pg_hba.conf entry): fix the user in DATABASE_URL`,
      ];
    if (codes.has('3D000'))
      return [
        v,
        `the database ${target} does not exist: create it (createdb) or fix the database name in DATABASE_URL`,
      ];
    if (codes.has('42501'))
      return [
        v,
        `the user in DATABASE_URL may not create the service's tables on ${target}: grant it CREATE, or use another user`,
      ];
    if (unreachable(codes))
      return [
        v,
        `nothing accepts connections at ${hostPort(target)}: start Postgres or fix the host and port in DATABASE_URL`,
      ];
    if (notFound(codes)) return [v, `the host of ${target} is not found: fix the host in DATABASE_URL`];
    if (timedOut(codes))
      return [v, `no answer from ${target}: check the host, port and firewall in DATABASE_URL`];
    return [v, `cannot use Postgres at ${target}: ${describeError(error)}`];
  },
  DATA_DIR: (codes, error, target) => {
    const v = 'DATA_DIR';
    if (codes.has('DataDirInUseError')) return [v, (error as Error).message.replace(/^DATA_DIR /, '')];
    if (any(codes, 'ENOTDIR', 'EEXIST'))
      return [v, `${target} is a file (or lies under one): point DATA_DIR at a directory`];
    if (any(codes, 'EACCES', 'EPERM', 'EROFS', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_PERM'))
      return [v, `${target} is not writable: fix its permissions or point DATA_DIR at a writable directory`];
    if (any(codes, 'SQLITE_NOTADB', 'SQLITE_CORRUPT'))
      return [
        v,
        `${target}/wix-event-agent.sqlite is not a SQLite database (or is damaged): restore it from a backup, ` +
          'or move it away to start empty',
      ];
    if (any(codes, 'ENOSPC', 'SQLITE_FULL'))
      return [v, `no space left for ${target}: free some disk or point DATA_DIR elsewhere`];
    return [v, `cannot open the embedded store in ${target}: ${describeError(error)}`];
  },
  PORT: (codes, error, target) => {
    if (codes.has('EADDRINUSE'))
      return [
        'PORT',
        `${target} is already in use: stop the other process or set PORT to a free port (0 picks any)`,
      ];
    if (any(codes, 'EACCES', 'EPERM')) return ['PORT', `${target} needs privileges: use a port above 1023`];
    if (any(codes, 'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN'))
      return ['HOST', `${target} is not an address of this machine: use 0.0.0.0 or one of its addresses`];
    return ['PORT', `cannot listen on ${target}: ${describeError(error)}`];
  },
  REDIS_URL: (codes, error, target) => {
    const v = 'REDIS_URL';
    if (any(codes, 'WRONGPASS', 'NOAUTH', 'NOPERM'))
      return [
        v,
        `Redis at ${target} refused the login: fix the user and password in REDIS_URL (redis://user:password@host:port)`,
      ];
    if (unreachable(codes))
      return [
        v,
        `nothing accepts connections at ${hostPort(target)}: start Redis, fix REDIS_URL, or unset it for the in-process limiter`,
      ];
    if (notFound(codes)) return [v, `the host of ${target} is not found: fix the host in REDIS_URL`];
    if (timedOut(codes))
      return [v, `no answer from ${target}: check the host, port and firewall in REDIS_URL`];
    return [v, `cannot use Redis at ${target}: ${describeError(error)}`];
  },
  KAFKA_BROKERS: (codes, error, target) => {
    if (codes.has('TopicsMissingError')) return ['KAFKA_ALLOW_AUTO_CREATE_TOPICS', (error as Error).message];
    if (codes.has('KafkaJSSASLAuthenticationError'))
      return [
        'KAFKA_SASL_PASSWORD',
        `the brokers at ${target} rejected the SASL login: fix KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD and KAFKA_SASL_MECHANISM`,
      ];
    if (
      unreachable(codes) ||
      codes.has('KafkaJSConnectionError') ||
      codes.has('KafkaJSNumberOfRetriesExceeded')
    )
      return [
        'KAFKA_BROKERS',
        `no Kafka broker answers at ${target}: start Kafka, fix KAFKA_BROKERS, or unset it for the embedded bus`,
      ];
    if (notFound(codes)) return ['KAFKA_BROKERS', `a host in ${target} is not found: fix KAFKA_BROKERS`];
    if (timedOut(codes))
      return ['KAFKA_BROKERS', `no answer from ${target}: check KAFKA_BROKERS and the firewall`];
    return ['KAFKA_BROKERS', `cannot use Kafka at ${target}: ${describeError(error)}`];
  },
};

/** Classifies a start-up failure of the step configured by `variable` into a one-line StartupError. */
export function explainStartupFailure(
  variable: string,
  error: unknown,
  context: StartupContext = {},
): StartupError {
  if (error instanceof StartupError) return error;
  const explain = explainers[variable];
  const codes = errorCodes(error);
  const [name, text] = explain?.(codes, error, context.target ?? '(unset)') ?? [
    variable,
    describeError(error),
  ];
  return new StartupError(name, text.replace(/\s+/g, ' '), error);
}

/**
 * Runs one start-up step that depends on `variable`; its failure, or no answer within `timeoutMs`
 * (default 10 s), becomes a StartupError naming the variable and the likely fix.
 */
export async function duringStartup<T>(
  variable: string,
  step: () => Promise<T>,
  context: StartupContext & { timeoutMs?: number } = {},
): Promise<T> {
  const ms = context.timeoutMs ?? 10_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`no answer in ${ms} ms`), { code: 'STARTUP_TIMEOUT' })),
      ms,
    );
    timer.unref();
  });
  try {
    return await Promise.race([step(), timeout]);
  } catch (error) {
    throw explainStartupFailure(variable, error, context);
  } finally {
    clearTimeout(timer);
  }
}

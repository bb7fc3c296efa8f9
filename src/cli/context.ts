/**
 * What every command shares: the configuration read once from the environment over `./.env`, the
 * handlers it knows, a call to a running service's `/api`, and how a failure at start is printed.
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadServiceHandlers } from '../app/handlers.js';
import { ConfigError, loadConfig, withDotEnv, type Config, type DotEnvInfo } from '../config/load.js';
import { describeError } from '../errors.js';
import { errorCodes } from '../lib/error-codes.js';
import { StartupError } from '../lib/startup-error.js';
import { createLogger, type Logger } from '../observability/logger.js';

/** The configuration once loaded (for LOG_LEVEL in `failAtStart`). */
let loadedConfig: Config | undefined;
/** The `.env` read at start, if any (the real environment wins over it). */
export let dotenv: DotEnvInfo | undefined;
/** The environment the configuration was read from (handlers read their own settings from it too). */
export let env: Record<string, string | undefined> = process.env;

/**
 * The configuration from the environment over `./.env` (and `extra`, e.g. the sandbox's variables);
 * exits 2 with one line per problem.
 */
export function config(extra: Record<string, string> = {}): Config {
  try {
    const sources = withDotEnv(process.env);
    dotenv = sources.dotenv;
    env = { ...sources.env, ...extra };
    loadedConfig = loadConfig(env);
    return loadedConfig;
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) console.error(problem);
      process.exit(2);
    }
    console.error((error as Error).message);
    process.exit(2);
  }
}

/**
 * Ends the process on a failure at start: one line on stderr naming the variable and the likely fix
 * (StartupError, ConfigError) or describing the error; the stack only with LOG_LEVEL=debug or trace.
 */
export function failAtStart(error: unknown): never {
  const level = (loadedConfig?.logLevel ?? env.LOG_LEVEL ?? '').trim().toLowerCase();
  if (error instanceof StartupError || error instanceof ConfigError) console.error(error.message);
  else console.error(`wix-event-agent: ${describeError(error).replace(/\s+/g, ' ')}`);
  if ((level === 'debug' || level === 'trace') && error instanceof Error && error.stack)
    console.error(error.stack);
  process.exit(1);
}

/** Runs `fn`; a ConfigError (bad variables, handler problems) is printed and exits 2. */
export async function orConfigError<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ConfigError) {
      // Each problem on its own line, starting with the variable, like every other configuration error.
      for (const problem of error.problems) console.error(problem);
      process.exit(2);
    }
    throw error;
  }
}

/** The handlers a command should know (their tools, their event types): HANDLERS_MODULE and built-ins. */
export async function loadedHandlers(cfg: Config, module?: string) {
  return orConfigError(() =>
    loadServiceHandlers(cfg, {
      env,
      ...((module ?? cfg.handlersModule) ? { module: module ?? cfg.handlersModule! } : {}),
    }),
  );
}

/** A command's logger: JSON lines on stderr (stdout is the command's output). */
export function stderrLogger(cfg: Pick<Config, 'logLevel'> | undefined, level?: string): Logger {
  return createLogger({ level: level ?? cfg?.logLevel ?? 'warn', destination: process.stderr });
}

/** The operating-system user, recorded as who decided an approval from the CLI; `cli` when unknown. */
export function osUser(): string {
  try {
    return userInfo().username || 'cli';
  } catch {
    return 'cli';
  }
}

/** The version in the package.json next to `src/` or `dist/`. */
export function packageVersion(): string {
  const file = fileURLToPath(new URL('../../package.json', import.meta.url));
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** Calls the running service's /api (when --api is given), with ADMIN_TOKEN. */
export async function api(base: string, path: string, method = 'GET', body?: unknown): Promise<unknown> {
  const token = config().adminToken;
  if (!token) {
    console.error('--api needs ADMIN_TOKEN in the environment');
    process.exit(2);
  }
  let target: URL;
  try {
    target = new URL(`/api${path}`, base);
  } catch {
    throw new StartupError('--api', `"${base}" is not a URL (e.g. http://127.0.0.1:3000)`);
  }
  const response = await fetch(target, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }).catch((error: unknown) => {
    const code = [...errorCodes(error)].find((c) => /^E[A-Z]+$/.test(c)) ?? describeError(error);
    throw new StartupError(
      '--api',
      `nothing answers at ${target.origin} (${code}): is the service running there? Its start line shows its URL`,
    );
  });
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    console.error(`${response.status}: ${String(answer.error ?? response.statusText)}`);
    process.exit(1);
  }
  return answer;
}

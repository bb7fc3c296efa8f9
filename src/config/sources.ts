import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as util from 'node:util';
import { blankToUndefined } from './fields.js';
import { secretVariables } from './schema.js';

/** Environment variables as Node gives them. */
export type EnvRecord = Record<string, string | undefined>;

/** Reads a file as UTF-8; injectable for tests. */
export type ReadFile = (path: string) => string;

const readUtf8: ReadFile = (path) => readFileSync(path, 'utf8');

/** Node's own `.env` parser (`util.parseEnv`, Node >= 20.12). */
const parseEnv = (util as { parseEnv?: (content: string) => Record<string, string> }).parseEnv;

/** Where `.env` came from and how many variables it set that the environment did not. */
export interface DotEnvInfo {
  path: string;
  applied: number;
}

/**
 * The environment with `.env` from `cwd` underneath it: a variable from the file applies only when the
 * real environment leaves it unset or empty (empty means unset everywhere in this configuration).
 * No `.env` → the environment unchanged. The file is parsed by Node's own `util.parseEnv` (the
 * syntax of `node --env-file`: `KEY=value`, `#` comments, quotes, multi-line values in double quotes).
 *
 * @throws Error naming `.env` when the file exists but cannot be read or parsed.
 */
export function withDotEnv(
  env: EnvRecord,
  options: { cwd?: string; readFile?: ReadFile } = {},
): { env: EnvRecord; dotenv: DotEnvInfo | undefined } {
  const path = resolve(options.cwd ?? process.cwd(), '.env');
  let content: string;
  try {
    content = (options.readFile ?? readUtf8)(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { env, dotenv: undefined };
    throw new Error(`.env: cannot read ${path} (${code ?? (error as Error).message})`);
  }
  if (!parseEnv) {
    throw new Error(
      `.env: reading it needs Node >= 20.12 (this is ${process.version}); upgrade Node or export the variables`,
    );
  }
  const fromFile = parseEnv(content);
  const merged: EnvRecord = { ...env };
  let applied = 0;
  for (const [name, value] of Object.entries(fromFile)) {
    if (blankToUndefined(merged[name]) !== undefined) continue;
    merged[name] = value;
    applied += 1;
  }
  return { env: merged, dotenv: { path, applied } };
}

/**
 * Resolves `<NAME>_FILE` for every variable in {@link secretVariables}: the file's content, with
 * surrounding whitespace trimmed, becomes `<NAME>`. Setting both `<NAME>` and `<NAME>_FILE` is a
 * problem (which one wins would be a guess). Problems name the `_FILE` variable, never the content.
 */
export function resolveSecretFiles(
  env: EnvRecord,
  readFile: ReadFile = readUtf8,
): { env: EnvRecord; problems: string[] } {
  const out: EnvRecord = { ...env };
  const problems: string[] = [];
  for (const name of secretVariables) {
    const path = blankToUndefined(env[`${name}_FILE`]);
    if (path === undefined) continue;
    if (blankToUndefined(env[name]) !== undefined) {
      problems.push(`${name}_FILE: ${name} is set too; set one of them`);
      continue;
    }
    try {
      out[name] = readFile(path).trim();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      problems.push(`${name}_FILE: cannot read ${path} (${code}); point it at the secret's file`);
    }
  }
  return { env: out, problems };
}

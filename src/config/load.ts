import { configSchema, type Config } from './schema.js';
import { resolveSecretFiles, type EnvRecord, type ReadFile } from './sources.js';

export type { AgentMode, Config, LlmProvider } from './schema.js';
export { normalizePublicKey } from './public-key.js';
export { withDotEnv, type DotEnvInfo, type EnvRecord } from './sources.js';

/**
 * The configuration is unusable. `problems` holds one line per problem, each starting with the
 * variable to change (`PORT: expected ...`); values of secrets never appear in them.
 */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} problems: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once: `*_FILE` secrets are read, every variable is checked, and every problem
 * is reported together, naming the variable. Reads no `.env` itself (see `withDotEnv`) and nothing
 * from `process.env`.
 *
 * @param env the environment (strings; empty = unset).
 * @param options.readFile reads `*_FILE` secrets; default `fs.readFileSync(path, 'utf8')`.
 * @throws ConfigError listing every problem.
 */
export function loadConfig(env: EnvRecord, options: { readFile?: ReadFile } = {}): Config {
  const files = resolveSecretFiles(env, options.readFile);
  const parsed = configSchema.safeParse(files.env);
  const problems = [...files.problems];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${issue.path.join('.') || '(environment)'}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return parsed.data;
}

import { ConfigError, type Config } from './load.js';

/**
 * Checks the handler names in `AGENT_MODE_OVERRIDES` and `HANDLERS` against the handlers that exist
 * (known only once they are loaded, so not part of `loadConfig`). A misspelt name would otherwise
 * silently leave a handler in a looser mode than intended.
 *
 * @param available names of every handler that could run (built-in and user modules).
 * @throws ConfigError naming the variable and listing the known names.
 */
export function checkHandlerNames(
  config: Pick<Config, 'handlerModes' | 'handlers'>,
  available: readonly string[],
): void {
  const known = new Set(available);
  const list = [...known].join(', ') || '(none)';
  const problems: string[] = [];
  const unknownModes = Object.keys(config.handlerModes).filter((name) => !known.has(name));
  if (unknownModes.length > 0) {
    problems.push(`AGENT_MODE_OVERRIDES: unknown handler(s) ${unknownModes.join(', ')} (known: ${list})`);
  }
  const unknownHandlers = (config.handlers ?? []).filter((name) => !known.has(name));
  if (unknownHandlers.length > 0) {
    problems.push(`HANDLERS: unknown handler(s) ${unknownHandlers.join(', ')} (known: ${list})`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

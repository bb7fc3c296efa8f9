/**
 * Which handlers a service runs: the built-ins selected by `HANDLERS` and the user's handlers from
 * `HANDLERS_MODULE` (or `serve --handlers <module>`), checked and bound together.
 *
 * Built-ins: all of them by default; none by default once a handlers module is given (name them in
 * `HANDLERS` to run them next to yours).
 */
import { checkHandlerNames } from '../config/handler-names.js';
import { ConfigError, type Config } from '../config/load.js';
import { builtInHandlers } from '../builtin/index.js';
import type { AnyHandler } from '../handlers/define.js';
import { importHandlers, prepareHandlers, type BoundHandler, type HandlerEntry } from '../handlers/load.js';

export interface HandlerSources {
  /** Definitions to run instead of the built-ins (embedders, tests). */
  definitions?: readonly AnyHandler[];
  /** A module exporting handlers: a path (relative to the working directory) or a package name. */
  module?: string;
  /** The environment the handlers' own settings are read from. */
  env: Record<string, string | undefined>;
}

function builtIns(selected: readonly string[] | undefined, withModule: boolean): HandlerEntry[] {
  const names = builtInHandlers.map((h) => h.name);
  const unknown = (selected ?? []).filter((n) => !names.includes(n));
  if (unknown.length) {
    throw new ConfigError([
      `HANDLERS: unknown handler(s) ${unknown.join(', ')} (built in: ${names.join(', ')})`,
    ]);
  }
  const chosen = selected ? builtInHandlers.filter((h) => selected.includes(h.name)) : builtInHandlers;
  return !selected && withModule ? [] : chosen.map((handler) => ({ handler, source: 'built-in' }));
}

/** The checked, bound handlers; throws ConfigError listing every problem (file and handler named). */
export async function loadServiceHandlers(
  config: Pick<Config, 'handlers' | 'agentMode' | 'handlerModes'>,
  sources: HandlerSources,
): Promise<BoundHandler[]> {
  const entries: HandlerEntry[] = sources.definitions
    ? sources.definitions.map((handler) => ({ handler, source: 'options.definitions' }))
    : builtIns(config.handlers, Boolean(sources.module));
  if (sources.module) {
    try {
      entries.push(...(await importHandlers(sources.module)));
    } catch (error) {
      throw new ConfigError([`HANDLERS_MODULE: ${(error as Error).message}`]);
    }
  }
  const { handlers, problems } = prepareHandlers(entries, {
    env: sources.env,
    agentMode: config.agentMode,
    handlerModes: config.handlerModes,
  });
  // Overrides may name any handler that exists (built in, or in the module), not only those selected.
  try {
    checkHandlerNames({ handlerModes: config.handlerModes, handlers: undefined }, [
      ...builtInHandlers.map((h) => h.name),
      ...entries.map((e) => String(e.handler.name)),
    ]);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length) throw new ConfigError(problems);
  return handlers;
}

/**
 * Turns handler definitions (built in, or exported by the user's module) into the handlers the runtime
 * runs: checked, their settings read from the environment and bound, their event mapped to a bus type.
 * Every problem is collected with the file and the handler named, so a start fails once, saying all.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { effectiveMode, type AgentMode } from '../domain/modes.js';
import type { BusEvent, EventType } from '../domain/events.js';
import { busTypeOf } from '../webhooks/routes.js';
import type { AnyWixTool } from '../wix/tools/tool.js';
import type { AgentLimits } from '../domain/limits.js';
import { blankToUndefined } from '../config/fields.js';
import { isHandler, type AnyHandler, type HandlerSettings, type HandlerSettingsSpec } from './define.js';
import type { SandboxScript } from './script.js';

/** A handler as the runtime holds it: checked, settings bound, `on` mapped to its bus event type. */
export interface BoundHandler {
  name: string;
  /** The bus event type it runs on (a built-in name, or the Wix event type). */
  on: EventType;
  /** The tools offered (the declared ones, less those its settings switch off). */
  tools: readonly AnyWixTool[];
  instructions: string;
  data(event: BusEvent): Record<string, unknown>;
  guard?(write: { tool: string; input: Record<string, unknown> }, event: BusEvent): string | undefined;
  /**
   * The mode it runs in: `AGENT_MODE` (a ceiling) made stricter by its file's `mode` or its
   * `AGENT_MODE_OVERRIDES` entry (see `handlerMode`). Decided once, here; every run and log reads it.
   */
  mode: AgentMode;
  /** What its file or its override asked for, when that was looser than the ceiling allows (ignored). */
  looserAsked?: AgentMode;
  limits?: Partial<AgentLimits>;
  sandbox?: SandboxScript;
  settings: HandlerSettings;
  /** Where it was defined: `built-in` or the module's path. */
  source: string;
}

/** A definition and the file it came from. */
export interface HandlerEntry {
  handler: AnyHandler;
  source: string;
}

/**
 * The mode a handler runs in: `AGENT_MODE` is a ceiling; the handler's own `mode` and its
 * `AGENT_MODE_OVERRIDES` entry can only make it stricter.
 */
export function handlerMode(
  handler: { name: string; mode?: AgentMode | undefined },
  config: { agentMode: AgentMode; handlerModes: Record<string, AgentMode> },
): AgentMode {
  return effectiveMode(config.agentMode, handler.mode, config.handlerModes[handler.name]);
}

/** `minTotal` → `MIN_TOTAL`. */
export function envNameOf(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** The handlers a module exports: its default export (an array or one handler) and named handler exports. */
export function handlersOf(exports: Record<string, unknown>): AnyHandler[] {
  const found = new Set<AnyHandler>();
  const fromDefault = exports.default;
  for (const value of Array.isArray(fromDefault) ? fromDefault : [fromDefault]) {
    if (isHandler(value)) found.add(value);
  }
  for (const [name, value] of Object.entries(exports)) {
    if (name !== 'default' && isHandler(value)) found.add(value);
  }
  return [...found];
}

/** Imports a handlers module (a path relative to `cwd`, or a package name) and lists its handlers. */
export async function importHandlers(specifier: string, cwd = process.cwd()): Promise<HandlerEntry[]> {
  const local = specifier.startsWith('.') || isAbsolute(specifier);
  const url = local ? pathToFileURL(resolve(cwd, specifier)).href : specifier;
  let exports: Record<string, unknown>;
  try {
    exports = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`handlers module ${specifier}: cannot be loaded: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const handlers = handlersOf(exports);
  if (handlers.length === 0) {
    throw new Error(
      `handlers module ${specifier}: exports no handlers (export defineHandler(...) results, or a default array of them)`,
    );
  }
  return handlers.map((handler) => ({ handler, source: specifier }));
}

const TOOL_NAME = /^[a-z][a-z0-9_]{0,63}$/;

function isTool(value: unknown): value is AnyWixTool {
  const t = value as Partial<AnyWixTool> | undefined;
  return (
    typeof t === 'object' &&
    t !== null &&
    typeof t.name === 'string' &&
    typeof t.execute === 'function' &&
    (t.access === 'read' || t.access === 'write') &&
    typeof (t.input as { safeParse?: unknown } | undefined)?.safeParse === 'function'
  );
}

/** The keys of a settings spec's `z.object`, or undefined when the spec is not `{ prefix, schema: z.object }`. */
function settingKeys(spec: HandlerSettingsSpec<Record<string, unknown>>): string[] | undefined {
  const shape = (spec.schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape && typeof spec.prefix === 'string' ? Object.keys(shape) : undefined;
}

/**
 * The environment variables a handler's settings are read from, by setting key
 * (`{ minTotal: 'BIG_ORDER_MIN_TOTAL' }`); `{}` without settings (or with a malformed spec).
 */
export function settingVariables(handler: Pick<AnyHandler, 'settings'>): Record<string, string> {
  const spec = handler.settings;
  const keys = spec ? settingKeys(spec) : undefined;
  return Object.fromEntries((keys ?? []).map((k) => [k, `${spec!.prefix}${envNameOf(k)}`]));
}

/** The handler's settings from `env`; undefined when they do not parse (each problem reported). */
function readSettings(
  handler: AnyHandler,
  env: Record<string, string | undefined>,
  problem: (message: string) => void,
): HandlerSettings | undefined {
  const spec = handler.settings;
  if (!spec) return {};
  if (!settingKeys(spec)) {
    problem('settings must be { prefix: string, schema: z.object({...}) }');
    return undefined;
  }
  const names = settingVariables(handler);
  // Empty or blank is unset, as for every other variable (Compose's `${VAR:-}`, `.env.example` copied as is).
  const input = Object.fromEntries(
    Object.entries(names).map(([k, name]) => [k, blankToUndefined(env[name])]),
  );
  const parsed = (spec.schema as z.ZodType).safeParse(input);
  if (parsed.success) return parsed.data as HandlerSettings;
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? '');
    problem(`${names[key] ?? spec.prefix}: ${issue.message}`);
  }
  return undefined;
}

/** The bus event type a handler runs on (its `on`, or what `on` gives for its settings); undefined after a problem. */
function eventOf(
  handler: AnyHandler,
  settings: HandlerSettings,
  problem: (message: string) => void,
): EventType | undefined {
  const event: unknown =
    typeof handler.on === 'function' ? (handler.on as (s: HandlerSettings) => unknown)(settings) : handler.on;
  const on = busTypeOf(String(event));
  if (!on) {
    problem(
      `unknown event type "${String(event).slice(0, 100)}" (use order_created, order_approved, contact_created, or a Wix event type such as wix.contacts.v4.contact_updated)`,
    );
  }
  return on;
}

export interface PrepareOptions {
  env: Record<string, string | undefined>;
  agentMode: AgentMode;
  handlerModes: Record<string, AgentMode>;
}

/**
 * Checks and binds handlers. Problems (each naming file and handler): an unknown event type, a tool that
 * is not a tool, a duplicate handler name, a write tool without a guard when the handler's mode is
 * `live`, settings that do not parse. Returns the handlers only when there are none.
 */
export function prepareHandlers(
  entries: readonly HandlerEntry[],
  options: PrepareOptions,
): { handlers: BoundHandler[]; problems: string[] } {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const handlers: BoundHandler[] = [];
  for (const { handler, source } of entries) {
    const where = `${source}: handler "${String(handler.name)}"`;
    const problem = (message: string) => problems.push(`${where}: ${message}`);
    if (typeof handler.name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(handler.name)) {
      problem('name must be 1-100 letters, digits, ".", "_" or "-"');
      continue;
    }
    const earlier = seen.get(handler.name);
    if (earlier !== undefined) problem(`duplicate handler name (also defined in ${earlier})`);
    seen.set(handler.name, source);

    const tools: AnyWixTool[] = [];
    for (const [i, tool] of (Array.isArray(handler.tools) ? handler.tools : []).entries()) {
      if (!isTool(tool) || !TOOL_NAME.test(tool.name)) {
        problem(
          `tools[${i}] is not a tool (${tool === undefined ? 'undefined: check the import' : 'made by defineTool, with a snake_case name'})`,
        );
      } else tools.push(tool);
    }
    const read = readSettings(handler, options.env, problem);
    const settings = read ?? {};
    // An `on` that depends on the settings is known only with good ones (their problems say what to fix).
    const on = read || typeof handler.on !== 'function' ? eventOf(handler, settings, problem) : undefined;
    const mode = handlerMode(handler, options);
    const asked = options.handlerModes[handler.name] ?? handler.mode;
    const writes = tools.filter((t) => t.access === 'write').map((t) => t.name);
    if (mode === 'live' && writes.length > 0 && typeof handler.guard !== 'function') {
      problem(
        `write tool(s) ${writes.join(', ')} without a guard while its mode is live: add guard(write, event) that refuses writes outside its purpose, or set mode: 'approval' or 'dry-run'`,
      );
    }
    if (!on) continue;
    const offered = handler.offers ? new Set<string>(handler.offers(settings)) : undefined;
    const instructions =
      typeof handler.instructions === 'function'
        ? (handler.instructions as (s: HandlerSettings) => string)(settings)
        : String(handler.instructions ?? '');
    const guard = handler.guard;
    handlers.push({
      name: handler.name,
      on,
      tools: offered ? tools.filter((t) => offered.has(t.name)) : tools,
      instructions,
      data: (event) => handler.data(event, settings) as Record<string, unknown>,
      ...(guard
        ? {
            guard: (write: { tool: string; input: Record<string, unknown> }, event: BusEvent) =>
              guard.call(handler, write as never, event, settings),
          }
        : {}),
      mode,
      ...(asked && asked !== mode ? { looserAsked: asked } : {}),
      ...(handler.limits ? { limits: handler.limits } : {}),
      ...(handler.sandbox ? { sandbox: handler.sandbox } : {}),
      settings,
      source,
    });
  }
  return problems.length ? { handlers: [], problems } : { handlers, problems };
}

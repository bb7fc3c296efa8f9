import type { z } from 'zod';
import type { AgentMode } from '../domain/modes.js';
import type { BuiltInEventType, BusEvent, EventType } from '../domain/events.js';
import type { AnyWixTool, WixTool } from '../wix/tools/tool.js';
import type { AgentLimits } from '../domain/limits.js';
import type { EntityOf } from './entities.js';
import type { SandboxScript } from './script.js';

export { defaultLimits, type AgentLimits } from '../domain/limits.js';

type ToolList = readonly AnyWixTool[];

/** The names of a list of tools, as a union of literals. */
export type ToolName<Tools extends ToolList> = Tools[number]['name'];

/**
 * A call the model asked for, as the guard sees it: one member per declared tool, `input` typed as that
 * tool's parsed input. Narrow on `tool` to read the input: `if (write.tool === 'add_order_note') write.input.orderId`.
 */
export type WriteRequest<Tools extends ToolList = ToolList> = {
  [I in keyof Tools]: Tools[I] extends WixTool<infer S, unknown, infer N>
    ? { tool: N; input: z.output<S> }
    : never;
}[number];

/** The event a handler receives: the bus event with its entity typed by the event type. */
export type HandlerEvent<T extends string = EventType> = Omit<BusEvent, 'entity'> & {
  entity: EntityOf<T>;
};

/**
 * Settings a handler declares: a zod object whose keys are read from the environment as
 * `prefix` + the key in UPPER_SNAKE_CASE (`minTotal` with prefix `BIG_ORDER_` → `BIG_ORDER_MIN_TOTAL`).
 * Environment values are strings, trimmed; an empty or blank one is unset (undefined), as everywhere in
 * the configuration: use `z.coerce.number()`, `z.stringbool()` and `.default()`.
 * Problems are reported at start with the other configuration errors.
 */
export interface HandlerSettingsSpec<S extends Record<string, unknown>> {
  prefix: string;
  /** A `z.object`; its input is the environment's strings (or undefined when unset). */
  schema: z.ZodType<S>;
}

/** The settings a handler's functions receive (parsed from its `settings` spec; `{}` without one). */
export type HandlerSettings = Record<string, unknown>;

/**
 * A handler: an agent with instructions and a least-privilege set of tools, run on one event type.
 * It can only call the tools it declares; `guard` keeps each write within the handler's purpose.
 *
 * @typeParam T - the event type (`on`): a built-in name or a Wix event type by its Wix name.
 * @typeParam Tools - the declared tools (a tuple, so guards are typed by tool name).
 * @typeParam S - the handler's own settings.
 */
export interface HandlerDefinition<
  T extends string = EventType,
  Tools extends ToolList = ToolList,
  S extends Record<string, unknown> = HandlerSettings,
> {
  /** Stable name (audit, idempotency keys, per-handler mode, sandbox scripts). */
  name: string;
  /**
   * The event: `order_created`, `order_approved`, `contact_created`, or any Wix event type by its Wix
   * name (`wix.contacts.v4.contact_updated`, `wix.bookings.v2.booking_created`). Or a function of the
   * handler's settings, for a handler whose event is a setting: `on: ({ event }) => event`.
   */
  on: T | ((settings: S) => T);
  /** The only tools the model is offered and may call. */
  tools: Tools;
  /** What the agent should do, in words a site owner can read and adapt. */
  instructions: string | ((settings: S) => string);
  /**
   * The facts of the event the model sees, as JSON data. Customer text in it stays data: it is shown
   * inside a delimited block the instructions declare to be data.
   */
  data(event: HandlerEvent<T>, settings: S): Record<string, unknown>;
  /**
   * Refuses a write outside the handler's purpose: return a short reason, or undefined to allow. Called
   * for every write the model asks for, before it is executed, simulated or parked. Required (checked at
   * start) when the handler declares a write tool and its mode can be `live`.
   */
  guard?(write: WriteRequest<Tools>, event: HandlerEvent<T>, settings: S): string | undefined;
  /** The handler's own settings, read from the environment at start. */
  settings?: HandlerSettingsSpec<S>;
  /** The subset of `tools` offered with these settings (default: all of them). */
  offers?(settings: S): readonly ToolName<Tools>[];
  /**
   * Makes the handler stricter than `AGENT_MODE` (a ceiling: `dry-run` > `approval` > `live`). Default:
   * follow `AGENT_MODE`.
   */
  mode?: AgentMode;
  limits?: Partial<AgentLimits>;
  /**
   * What the sandbox model (`LLM_PROVIDER=sandbox`, the demo) does for this handler: scripted turns.
   * Without one the sandbox model refuses to stand in for it, and the run fails saying so.
   */
  sandbox?: SandboxScript;
}

/** A handler of any event, tools and settings, as the runtime holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyHandler = HandlerDefinition<any, ToolList, any>;

const HANDLER = Symbol.for('wix-event-agent.handler');

/** True for values made by `defineHandler` (how a handlers module's exports are told apart). */
export function isHandler(value: unknown): value is AnyHandler {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[HANDLER] === true;
}

/**
 * Defines a handler. Types flow from `on` (the entity; a misspelt built-in name does not compile),
 * `tools` (the guard's requests) and `settings`.
 * Throws when a tool is declared twice. Everything else (unknown event type, tool, missing guard,
 * settings) is checked when the service loads the handler, with the file named.
 */
export function defineHandler<
  const T extends BuiltInEventType | `wix.${string}`,
  const Tools extends ToolList,
  S extends Record<string, unknown> = HandlerSettings,
>(definition: HandlerDefinition<T, Tools, S>): HandlerDefinition<T, Tools, S> {
  const names = definition.tools.map((t) => t?.name);
  if (new Set(names).size !== names.length) throw new Error(`${definition.name}: a tool is declared twice`);
  Object.defineProperty(definition, HANDLER, { value: true, enumerable: false });
  return definition;
}

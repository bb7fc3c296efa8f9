/**
 * The public API of `wix-event-agent`: what a handler author and an embedder import. Anything not
 * exported here (or from `wix-event-agent/testing`) is internal and may change without notice.
 * The built-in handlers (src/handlers/order-triage.ts, contact-intake.ts) import only from this file.
 */

// Handlers
export {
  defineHandler,
  defaultLimits,
  type AgentLimits,
  type AnyHandler,
  type HandlerDefinition,
  type HandlerEvent,
  type HandlerSettings,
  type HandlerSettingsSpec,
  type ToolName,
  type WriteRequest,
} from './handlers/define.js';
export type { SandboxScript, ScriptCall, ScriptContext, ScriptStep, ScriptTurn } from './handlers/script.js';
export { orderFacts, WIX_STORES_APP_ID } from './handlers/order-facts.js';
export { contactFacts, sourceLabel } from './handlers/contact-facts.js';

// Events and entities
export {
  eventTypes,
  eventKinds,
  type BuiltInEventType,
  type BusEvent,
  type EventKind,
  type EventType,
  type Identity,
} from './domain/events.js';
export type { Contact, EntityOf, Order } from './handlers/entities.js';

// Tools: every tool of the catalog by name (getOrderTool, createBookingTool, …), wixTools, WixToolName
export * from './wix/tools/catalog.js';
export { defineTool, wixId, type AnyWixTool, type ToolContext, type WixTool } from './wix/tools/index.js';
export { WixApiError } from './wix/errors.js';
export type { WixRequester } from './wix/request.js';

// Service
export { ConfigError, loadConfig, type AgentMode, type Config } from './config/load.js';
export { createService, type Role, type Service, type ServiceOptions } from './main.js';

/**
 * The handler author's face of `wix-event-agent`: what a handler file imports (defineHandler,
 * defineTool, the Wix tools, facts, entity and event types, errors). The package entry (`index.ts`)
 * re-exports all of it and adds the service for embedders. The built-in handlers (src/builtin/) import
 * only this file, exactly as a user's handlers import the package.
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
export { agentModes, type AgentMode } from './domain/modes.js';
export type { WixRequester } from './wix/request.js';

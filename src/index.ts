/**
 * The public API of `wix-event-agent`: what a handler author (`api.ts`) and an embedder import. Anything
 * not exported here (or from `wix-event-agent/testing`) is internal and may change without notice.
 * Nothing inside `src/` imports this file.
 */
export * from './api.js';

// Service
export { ConfigError, loadConfig, type Config } from './config/load.js';
export {
  createService,
  type ModelChoice,
  type Role,
  type Service,
  type ServiceOptions,
} from './app/service.js';
export type {
  DeliverySettled,
  RunFinished,
  ServiceEventMap,
  ServiceEventName,
  ServiceEvents,
} from './app/events.js';
// The types ServiceOptions and Service name (ports an embedder may pass in or read).
export type { Bus, DeadLetter, PublishResult } from './bus/port.js';
export type { Store } from './store/port.js';
export type { EventHandler, HandlerContext } from './consumers/event-handler.js';

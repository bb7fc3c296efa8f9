/**
 * The built-in handlers. Loaded with a dynamic import (see registry.ts): they import the public entry
 * (src/index.ts), which reaches the service, which loads them; a static import would be a cycle.
 */
import type { HandlerEntry } from './load.js';
import { contactIntake } from './contact-intake.js';
import { createOrderTriage, type OrderTriageEvent } from './order-triage.js';

/** The built-in handlers, order-triage on `orderTriageEvent` (`ORDER_TRIAGE_EVENT`, default order_approved). */
export function builtInHandlersFor(
  options: { orderTriageEvent?: OrderTriageEvent | undefined } = {},
): readonly HandlerEntry[] {
  return [createOrderTriage(options.orderTriageEvent), contactIntake].map((handler) => ({
    handler,
    source: 'built-in',
  }));
}

/** The built-in handlers with their defaults. */
export const builtInHandlers: readonly HandlerEntry[] = builtInHandlersFor();

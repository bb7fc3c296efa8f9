/**
 * The handlers shipped with the package: one file each, written against `../api.ts` only (exactly as a
 * user's handlers are written against the package), and this list. A new built-in is one file and one
 * line here.
 */
import { orderTriageEvents } from '../config/schema.js';
import type { HandlerEntry } from '../handlers/load.js';
import { contactIntake } from './contact-intake.js';
import { createOrderTriage, type OrderTriageEvent } from './order-triage.js';

// `ORDER_TRIAGE_EVENT`'s values are the events order-triage can run on.
orderTriageEvents satisfies readonly OrderTriageEvent[];

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

/**
 * The built-in handlers. Loaded with a dynamic import (see registry.ts): they import the public entry
 * (src/index.ts), which reaches the service, which loads them; a static import would be a cycle.
 */
import type { HandlerEntry } from './load.js';
import { contactIntake } from './contact-intake.js';
import { orderTriage } from './order-triage.js';

export const builtInHandlers: readonly HandlerEntry[] = [orderTriage, contactIntake].map((handler) => ({
  handler,
  source: 'built-in',
}));

/**
 * The handlers shipped with the package: one file each, written against `../api.ts` only (exactly as a
 * user's handlers are written against the package, their settings included), and this list. A new
 * built-in is one file and one line here.
 */
import type { AnyHandler } from '../api.js';
import { contactIntake } from './contact-intake.js';
import { orderTriage } from './order-triage.js';

/** The built-in handlers, in the order they are listed and bound. */
export const builtInHandlers: readonly AnyHandler[] = [orderTriage, contactIntake];

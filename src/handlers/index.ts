import type { Config } from '../config/load.js';
import { contactIntakeFor } from './contact-intake.js';
import type { HandlerDefinition, HandlerSettings } from './define.js';
import { orderTriageFor } from './order-triage.js';

export { defineHandler } from './define.js';
export type { HandlerDefinition, HandlerSettings } from './define.js';

export function handlerSettings(config: Pick<Config, 'vipLifetimeSpend' | 'welcomeDraft'>): HandlerSettings {
  return { vipLifetimeSpend: config.vipLifetimeSpend, welcomeDraft: config.welcomeDraft };
}

/** The built-in handlers, filtered by `HANDLERS` when set. Unknown names fail at start. */
export function builtInHandlers(
  config: Pick<Config, 'vipLifetimeSpend' | 'welcomeDraft' | 'handlers'> &
    Partial<Pick<Config, 'orderTriageEvent'>>,
): HandlerDefinition[] {
  const all: HandlerDefinition[] = [
    orderTriageFor(config.orderTriageEvent),
    contactIntakeFor(handlerSettings(config)),
  ];
  if (!config.handlers) return all;
  const unknown = config.handlers.filter((name) => !all.some((h) => h.name === name));
  if (unknown.length)
    throw new Error(
      `HANDLERS: unknown handler(s) ${unknown.join(', ')} (built in: ${all.map((h) => h.name).join(', ')})`,
    );
  return all.filter((h) => config.handlers!.includes(h.name));
}

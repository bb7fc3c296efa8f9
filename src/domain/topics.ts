import type { EventType } from './events.js';

/**
 * Topic names: `${prefix}order_created`, `${prefix}order_approved`, `${prefix}contact_created`,
 * `${prefix}dead_letter`. An event type by its Wix name goes to `${prefix}` + the name without its
 * leading `wix.`, so with the default prefix `wix.` the topic is the Wix event type itself
 * (`wix.contacts.v4.contact_updated`).
 */
export interface Topics {
  forType(type: EventType): string;
  deadLetter: string;
  all: readonly string[];
}

export function topicFor(prefix: string, type: EventType): string {
  return `${prefix}${type.startsWith('wix.') ? type.slice(4) : type}`;
}

export function topicsFor(prefix: string, types: readonly EventType[]): Topics {
  return {
    forType: (type) => topicFor(prefix, type),
    deadLetter: `${prefix}dead_letter`,
    all: [...new Set(types.map((t) => topicFor(prefix, t))), `${prefix}dead_letter`],
  };
}

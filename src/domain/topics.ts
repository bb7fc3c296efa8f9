import type { EventType } from './events.js';

/** Topic names: `${prefix}<event type>` (order_created, order_approved, contact_created), `${prefix}dead_letter`. */
export interface Topics {
  forType(type: EventType): string;
  deadLetter: string;
  all: readonly string[];
}

export function topicsFor(prefix: string, types: readonly EventType[]): Topics {
  return {
    forType: (type) => `${prefix}${type}`,
    deadLetter: `${prefix}dead_letter`,
    all: [...types.map((t) => `${prefix}${t}`), `${prefix}dead_letter`],
  };
}

import { z } from 'zod';
import type { EventType } from '../domain/events.js';
import { contactSchema } from '../wix/entities/contact.js';
import { orderSchema } from '../wix/entities/order.js';

/** The fields of a routed entity that handlers rely on; everything else is kept as Wix sent it. */
/** The one order model (src/wix/entities/order.ts), for order_created and order_approved alike. */
const orderEntity = orderSchema;
/** The one Contact v4 model (src/wix/entities/contact.ts). */
const contactEntity = contactSchema;

export interface Route {
  type: EventType;
  /** Only events of this kind are routed (a created event carries the entity, an action event a body). */
  kind: 'created' | 'action';
  /** For action events: the body field holding the entity (order approved: `actionEvent.body.order`). */
  bodyField?: string;
  entity: z.ZodType<Record<string, unknown>>;
}

/**
 * Wix event type → bus event type. Adding an event type is one line here (plus its type in
 * domain/events.ts). Verified events of any other type are answered 200, counted and not published.
 */
export const routes: Readonly<Record<string, Route>> = {
  'wix.ecom.v1.order_created': { type: 'order_created', kind: 'created', entity: orderEntity },
  'wix.ecom.v1.order_approved': {
    type: 'order_approved',
    kind: 'action',
    bodyField: 'order',
    entity: orderEntity,
  },
  'wix.contacts.v4.contact_created': { type: 'contact_created', kind: 'created', entity: contactEntity },
};

export function routeFor(eventType: string): Route | undefined {
  return Object.hasOwn(routes, eventType) ? routes[eventType] : undefined;
}

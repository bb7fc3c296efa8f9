import { z } from 'zod';
import { contactSchema } from '../wix/entities/contact.js';
import { orderSchema } from '../wix/entities/order.js';
import { isBuiltInEventType, WIX_EVENT_TYPE, type EventKind, type EventType } from '../domain/events.js';

// The fields of a routed entity that handlers rely on; everything else is kept as Wix sent it.
/** The one order model (src/wix/entities/order.ts), for order_created and order_approved alike. */
const orderEntity = orderSchema;
/** The one Contact v4 model (src/wix/entities/contact.ts). */
const contactEntity = contactSchema;
const anyEntity = z.record(z.string(), z.unknown());

export interface Route {
  /** The bus event type: a built-in name, or the Wix event type itself. */
  type: EventType;
  /** Only events with this body are routed; undefined = any body. */
  kind: EventKind | undefined;
  /** Validates the entity the bus event carries. */
  entity: z.ZodType<Record<string, unknown>>;
  /** Action events: the entity inside the action's body (an approved order is `body.order`). */
  unwrap?: string;
}

/**
 * The built-in event types: Wix event type → bus event type. These are always published (their topics
 * exist whatever handlers run). Adding a built-in is one line here plus its name in domain/events.ts.
 * Sources: wix-reference.md §A and §B1/B2; `order_approved` carries `actionEvent.body.order`
 * (wix-incubator/wix-rest-docs orders spec example, commit 11c029d3).
 */
export const routes: Readonly<Record<string, Route>> = {
  'wix.ecom.v1.order_created': { type: 'order_created', kind: 'created', entity: orderEntity },
  'wix.ecom.v1.order_approved': {
    type: 'order_approved',
    kind: 'action',
    entity: orderEntity,
    unwrap: 'order',
  },
  'wix.contacts.v4.contact_created': { type: 'contact_created', kind: 'created', entity: contactEntity },
};

/** Wix event type of a built-in name (`order_approved` → `wix.ecom.v1.order_approved`). */
export function wixEventTypeOf(type: EventType): string | undefined {
  if (!isBuiltInEventType(type)) return WIX_EVENT_TYPE.test(type) ? type : undefined;
  return Object.entries(routes).find(([, r]) => r.type === type)?.[0];
}

/**
 * The bus event type a handler's `on` stands for: a built-in name as is, a Wix event type that has a
 * built-in name as that name (so `wix.ecom.v1.order_created` and `order_created` share one topic),
 * any other Wix event type as itself. Undefined when `on` is neither.
 */
export function busTypeOf(on: string): EventType | undefined {
  if (isBuiltInEventType(on)) return on;
  if (Object.hasOwn(routes, on)) return routes[on]!.type;
  return WIX_EVENT_TYPE.test(on) && on.length <= 200 ? on : undefined;
}

/**
 * Where a verified event goes: its built-in route, or (when a loaded handler subscribes to its Wix
 * event type) a generic route that publishes it under its Wix name with any body. Undefined = ignored
 * (answered 200, counted as `ignored`, not published).
 */
export function routeFor(eventType: string, subscribed: ReadonlySet<string> = new Set()): Route | undefined {
  if (Object.hasOwn(routes, eventType)) return routes[eventType];
  if (subscribed.has(eventType) && WIX_EVENT_TYPE.test(eventType)) {
    return { type: eventType, kind: undefined, entity: anyEntity };
  }
  return undefined;
}

/**
 * Event builders: a Wix webhook (decoded, as a signer turns it into the body Wix POSTs) with fresh ids
 * on every call, from a realistic entity you override field by field.
 */
import { randomUUID } from 'node:crypto';
import type { BuiltInEventType } from '../domain/events.js';
import type { Contact, EntityOf, Order } from '../handlers/entities.js';
import type { DecodedWebhook } from '../webhooks/sign.js';
import { wixEventTypeOf } from '../webhooks/routes.js';
import { contactTemplate, orderTemplate } from './templates.js';

/** Deep partial of an entity: nested objects merge, arrays and scalars replace. */
export type Overrides<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: Overrides<T[K]> }
    : T;

/** A built event: the decoded webhook plus the facts a test asserts on. */
export interface TestEvent<E = Record<string, unknown>> {
  /** The decoded webhook (`signWebhook` / the harness turns it into the JWT body). */
  webhook: DecodedWebhook;
  /** Wix event id (fresh). */
  eventId: string;
  eventType: string;
  instanceId: string;
  /** The entity the handler receives. */
  entity: E;
}

export interface EventOptions {
  /** The site (app instance). Default: a fresh id per event. */
  instanceId?: string;
  /** Default: now. */
  eventTime?: string;
  identity?: Record<string, unknown>;
}

function merge(base: Record<string, unknown>, over: Record<string, unknown> | undefined) {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over ?? {})) {
    const current = out[key];
    out[key] =
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      current &&
      typeof current === 'object' &&
      !Array.isArray(current)
        ? merge(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

let orderNumber = 20000 + Math.floor(Math.random() * 70000);

function freshOrder(overrides?: Overrides<Order>): Order {
  const now = new Date().toISOString();
  const base = orderTemplate({
    orderId: randomUUID(),
    contactId: randomUUID(),
    number: String(orderNumber++),
    productId: randomUUID(),
    lineItemId: randomUUID(),
    now,
  });
  return merge(base, overrides as Record<string, unknown>) as Order;
}

function freshContact(overrides?: Overrides<Contact>): Contact {
  const base = contactTemplate({ contactId: randomUUID(), now: new Date().toISOString() });
  return merge(base, overrides as Record<string, unknown>) as Contact;
}

type Body =
  | { createdEvent: { entity: Record<string, unknown> } }
  | { updatedEvent: { currentEntity: Record<string, unknown>; modifiedFields?: Record<string, unknown> } }
  | { deletedEvent: Record<string, unknown> }
  | { actionEvent: { body: Record<string, unknown> } };

/**
 * Any Wix event: `eventType` by its Wix name (`wix.bookings.v2.booking_created`), the body Wix sends
 * (`createdEvent`, `updatedEvent`, `deletedEvent` or `actionEvent`), and the entity the handler gets.
 */
export function wixEvent<E extends Record<string, unknown>>(
  eventType: string,
  body: Body,
  entity: E,
  options: EventOptions & { entityId?: string } = {},
): TestEvent<E> {
  const match = /^(wix\..+\.v\d+)\.([a-z0-9]+)_([a-z0-9_]+)$/.exec(eventType);
  const eventId = randomUUID();
  const instanceId = options.instanceId ?? randomUUID();
  const entityId = options.entityId ?? (typeof entity.id === 'string' ? entity.id : randomUUID());
  const slug =
    'createdEvent' in body
      ? 'created'
      : 'updatedEvent' in body
        ? 'updated'
        : 'deletedEvent' in body
          ? 'deleted'
          : (match?.[3] ?? 'action');
  return {
    webhook: {
      eventType,
      instanceId,
      identity: options.identity ?? { identityType: 'APP', appId: randomUUID() },
      data: {
        id: eventId,
        entityFqdn: match ? `${match[1]}.${match[2]}` : 'wix.unknown.v1.entity',
        slug,
        entityId,
        eventTime: options.eventTime ?? new Date().toISOString(),
        triggeredByAnonymizeRequest: false,
        ...body,
      },
    },
    eventId,
    eventType,
    instanceId,
    entity,
  };
}

/** `order_created`: a new order. `orderCreated({ buyerNote: 'Gift wrap, please' })`. */
export function orderCreated(overrides?: Overrides<Order>, options?: EventOptions): TestEvent<Order> {
  const order = freshOrder({ status: 'INITIALIZED', ...overrides } as Overrides<Order>);
  return wixEvent('wix.ecom.v1.order_created', { createdEvent: { entity: order } }, order, options);
}

/** `order_approved`: Wix approved an order (`actionEvent.body.order`). */
export function orderApproved(overrides?: Overrides<Order>, options?: EventOptions): TestEvent<Order> {
  const order = freshOrder({ status: 'APPROVED', ...overrides } as Overrides<Order>);
  return wixEvent('wix.ecom.v1.order_approved', { actionEvent: { body: { order } } }, order, options);
}

/** `contact_created`: a new contact. */
export function contactCreated(overrides?: Overrides<Contact>, options?: EventOptions): TestEvent<Contact> {
  const contact = freshContact(overrides);
  return wixEvent('wix.contacts.v4.contact_created', { createdEvent: { entity: contact } }, contact, options);
}

/** A contact created by a Wix Forms submission, with the form's answers as `custom.*` extended fields. */
export function contactFromForm(
  answers: Record<string, string> = {},
  overrides?: Overrides<Contact>,
  options?: EventOptions,
): TestEvent<Contact> {
  const items = Object.fromEntries(
    Object.entries(answers).map(([k, v]) => [k.startsWith('custom.') ? k : `custom.${k}`, v]),
  );
  return contactCreated(
    merge(
      {
        source: { sourceType: 'WIX_FORMS', appId: '14ce1214-b278-a7e4-1373-00cebd1bef7c' },
        info: { extendedFields: { items } },
      },
      overrides as Record<string, unknown>,
    ) as Overrides<Contact>,
    options,
  );
}

/** `wix.contacts.v4.contact_updated`: the contact's current state and the changed fields' previous values. */
export function contactUpdated(
  overrides?: Overrides<Contact>,
  modifiedFields?: Record<string, unknown>,
  options?: EventOptions,
): TestEvent<Contact> {
  const contact = freshContact(overrides);
  return wixEvent(
    'wix.contacts.v4.contact_updated',
    { updatedEvent: { currentEntity: contact, ...(modifiedFields ? { modifiedFields } : {}) } },
    contact,
    options,
  );
}

/** `wix.contacts.v4.contact_deleted`: Wix sends `deletedEvent: {}`; the handler's entity is `{ id }`. */
export function contactDeleted(contactId: string = randomUUID(), options?: EventOptions): TestEvent<Contact> {
  return wixEvent('wix.contacts.v4.contact_deleted', { deletedEvent: {} }, { id: contactId } as Contact, {
    ...options,
    entityId: contactId,
  });
}

/**
 * An event by a built-in name or Wix event type with its default entity (what `trigger` sends):
 * `order_created`, `order_approved`, `contact_created`, `wix.contacts.v4.contact_updated`,
 * `wix.contacts.v4.contact_deleted`.
 */
export function eventByName(
  name: string,
  options?: EventOptions,
): TestEvent<EntityOf<BuiltInEventType>> | undefined {
  switch (wixEventTypeOf(name) ?? name) {
    case 'wix.ecom.v1.order_created':
      return orderCreated(undefined, options);
    case 'wix.ecom.v1.order_approved':
      return orderApproved(undefined, options);
    case 'wix.contacts.v4.contact_created':
      return contactCreated(undefined, options);
    case 'wix.contacts.v4.contact_updated':
      return contactUpdated(undefined, undefined, options);
    case 'wix.contacts.v4.contact_deleted':
      return contactDeleted(undefined, options);
    default:
      return undefined;
  }
}

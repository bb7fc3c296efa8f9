import { z } from 'zod';

/** Version of the bus event shape; bump on breaking changes, consumers accept known versions only. */
export const BUS_EVENT_VERSION = 1;

/**
 * The built-in event types: short names for the Wix events the project models (one topic each; their
 * names and keys are stable). Any other Wix event a handler subscribes to travels under its Wix name,
 * e.g. `wix.contacts.v4.contact_updated` (see `webhooks/routes.ts`).
 */
export const eventTypes = ['order_created', 'order_approved', 'contact_created'] as const;
export type BuiltInEventType = (typeof eventTypes)[number];
/** A built-in name, or a Wix event type by its Wix name (`wix.bookings.v2.booking_created`). */
export type EventType = BuiltInEventType | (string & {});

/**
 * A Wix event type by its Wix name: `wix.<area…>.v<n>.<entity>_<slug>`, letters, digits, `_` and `.`
 * (so it is also a legal Kafka topic name). Source: the `eventType` of Wix webhooks, e.g.
 * `wix.ecom.v1.order_created` (https://dev.wix.com/docs/rest/articles/getting-started/webhook-structure).
 */
export const WIX_EVENT_TYPE = /^wix(\.[a-z0-9_]+)+\.v\d+\.[a-z0-9_]+$/;

export function isBuiltInEventType(type: string): type is BuiltInEventType {
  return (eventTypes as readonly string[]).includes(type);
}

/** What kind of change the event reports: Wix sends exactly one of these bodies. */
export const eventKinds = ['created', 'updated', 'deleted', 'action'] as const;
export type EventKind = (typeof eventKinds)[number];

export const identitySchema = z
  .object({
    identityType: z.enum(['ANONYMOUS_VISITOR', 'MEMBER', 'WIX_USER', 'APP']).or(z.string()),
    anonymousVisitorId: z.string().optional(),
    memberId: z.string().optional(),
    wixUserId: z.string().optional(),
    appId: z.string().optional(),
  })
  .loose();
export type Identity = z.infer<typeof identitySchema>;

/**
 * An event on the bus. JSON, versioned; `key` on the transport is `instanceId` so each site's events stay
 * in order. `entity` is the Wix entity exactly as Wix sent it: the created entity, the updated entity's
 * current state, the deleted entity (or `{ id }` when Wix sends none), or the action's entity (an approved
 * order) or body.
 */
export const busEventSchema = z.object({
  v: z.literal(BUS_EVENT_VERSION),
  /** The Wix event id (layer 3 `id`): the idempotency key everywhere. */
  id: z.string().min(1),
  /** A built-in name, or the Wix event type itself. */
  type: z
    .string()
    .min(1)
    .max(200)
    .refine((t) => isBuiltInEventType(t) || WIX_EVENT_TYPE.test(t), 'not an event type'),
  /** Wix's dotted event type, e.g. `wix.ecom.v1.order_created`. */
  eventType: z.string(),
  instanceId: z.string().min(1),
  entityFqdn: z.string(),
  slug: z.string(),
  entityId: z.string(),
  eventTime: z.string(),
  receivedAt: z.string(),
  identity: identitySchema.nullable(),
  entity: z.record(z.string(), z.unknown()),
  /** Which body Wix sent. Absent on events published before it existed (they were all `created`). */
  kind: z.enum(eventKinds).optional(),
  /** Updated events: the fields that changed with their previous values (Wix's `modifiedFields`), when sent. */
  changes: z.record(z.string(), z.unknown()).optional(),
});
export type BusEvent = z.infer<typeof busEventSchema>;

import { z } from 'zod';

/** Version of the bus event shape; bump on breaking changes, consumers accept known versions only. */
export const BUS_EVENT_VERSION = 1;

/** The event types the service publishes (one topic each). */
export const eventTypes = ['order_created', 'order_approved', 'contact_created'] as const;
export type EventType = (typeof eventTypes)[number];

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
 * in order. `entity` is the Wix entity (order, contact) exactly as Wix sent it.
 */
export const busEventSchema = z.object({
  v: z.literal(BUS_EVENT_VERSION),
  /** The Wix event id (layer 3 `id`): the idempotency key everywhere. */
  id: z.string().min(1),
  type: z.enum(eventTypes),
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
});
export type BusEvent = z.infer<typeof busEventSchema>;

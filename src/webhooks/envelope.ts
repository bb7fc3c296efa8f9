import { z } from 'zod';
import { identitySchema, type Identity } from '../domain/events.js';

/** Layer 1: the JWT claims. `data` is a JSON string. */
const claimsSchema = z.object({ data: z.string() }).loose();

/** Layer 2: `JSON.parse(claims.data)`. `data` and `identity` are JSON strings again. */
const outerSchema = z
  .object({
    eventType: z.string().min(1).max(200),
    instanceId: z.string().min(1).max(200),
    data: z.string(),
    identity: z.string().optional(),
  })
  .loose();

/**
 * A JSON object, checked but not copied: `z.record(z.string(), z.unknown())` rebuilt every entity key by
 * key (a third of the unwrap's CPU) only to hand it on. Its contents are validated where they are used:
 * the route's entity schema (which also drops a `__proto__` key), and `withinDepth` before publishing.
 */
const entity = z.custom<Record<string, unknown>>(
  (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
  'expected an object',
);
const jsonObject = z.string().transform((text, ctx) => {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: 'expected a JSON object in a string' });
  return z.NEVER;
});
/** Wix sends the entity as `entity`, or `entityAsJson` as an object or as a JSON string. */
const createdEventSchema = z
  .object({ entity: entity.optional(), entityAsJson: z.union([entity, jsonObject]).optional() })
  .loose()
  .refine((c) => c.entity !== undefined || c.entityAsJson !== undefined, {
    message: 'createdEvent needs entity or entityAsJson',
  });

const bodies = ['createdEvent', 'updatedEvent', 'deletedEvent', 'actionEvent'] as const;

/** An object, or the JSON string of one (the `…AsJson` forms); undefined for anything else. */
function objectOf(value: unknown): Record<string, unknown> | undefined {
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * The entity each body carries (https://dev.wix.com/docs/rest/articles/getting-started/webhook-structure;
 * field names also from the `@wix/*` typings): updated → `currentEntity` (or `currentEntityAsJson`) plus
 * `modifiedFields` (previous values, sent for some events); deleted → `deletedEntity` (often `{}`: none);
 * action → `body` (or `bodyAsJson`).
 */
function bodyEntity(v: {
  updatedEvent?: Record<string, unknown> | undefined;
  deletedEvent?: Record<string, unknown> | undefined;
  actionEvent?: Record<string, unknown> | undefined;
}) {
  if (v.updatedEvent) {
    const u = v.updatedEvent;
    return {
      entity: objectOf(u.currentEntity) ?? objectOf(u.currentEntityAsJson) ?? null,
      changes: objectOf(u.modifiedFields),
    };
  }
  if (v.deletedEvent) {
    const d = v.deletedEvent;
    return { entity: objectOf(d.deletedEntity) ?? objectOf(d.deletedEntityAsJson) ?? null };
  }
  const a = v.actionEvent ?? {};
  return { entity: objectOf(a.body) ?? objectOf(a.bodyAsJson) ?? null };
}

/** Layer 3: `JSON.parse(outer.data)`, the event itself. */
const eventSchema = z
  .object({
    id: z.string().min(1).max(200),
    slug: z.string().min(1).max(200),
    entityFqdn: z.string().min(1).max(200),
    entityId: z.string().min(1).max(200),
    eventTime: z.iso.datetime({ offset: true }),
    triggeredByAnonymizeRequest: z.boolean().optional(),
    createdEvent: createdEventSchema.optional(),
    updatedEvent: entity.optional(),
    deletedEvent: entity.optional(),
    actionEvent: entity.optional(),
  })
  .loose()
  .refine((e) => bodies.filter((b) => e[b] !== undefined).length === 1, {
    message: 'exactly one of createdEvent, updatedEvent, deletedEvent, actionEvent is required',
  });

export interface Outer {
  eventType: string;
  instanceId: string;
  identity: Identity | null;
  /** Layer 3, still a string: parsed only for the event types we route. */
  data: string;
}

export interface WixEvent {
  id: string;
  slug: string;
  entityFqdn: string;
  entityId: string;
  eventTime: string;
  kind: 'created' | 'updated' | 'deleted' | 'action';
  /**
   * The entity, whatever form Wix sent it in: created → the entity; updated → its current state;
   * deleted → the deleted entity when sent (else null); action → the action's body.
   */
  entity: Record<string, unknown> | null;
  /** Updated events: `modifiedFields` (the changed fields' previous values), when Wix sends them. */
  changes?: Record<string, unknown>;
  raw: Record<string, unknown>;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string; partial?: unknown };

function issues(error: z.ZodError, prefix: string): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${[prefix, ...i.path].filter((p) => p !== '').join('.')}: ${i.message}`)
    .join('; ');
}

function parseJson(text: string, where: string): Parsed<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: `${where}: not valid JSON` };
  }
}

/** Unwraps layers 1 and 2 (claims → eventType, instanceId, identity, data string). */
export function parseOuter(claims: unknown): Parsed<Outer> {
  const c = claimsSchema.safeParse(claims);
  if (!c.success) return { ok: false, error: issues(c.error, 'claims'), partial: claims };
  const json = parseJson(c.data.data, 'claims.data');
  if (!json.ok) return { ...json, partial: c.data.data.slice(0, 10_000) };
  const o = outerSchema.safeParse(json.value);
  if (!o.success) return { ok: false, error: issues(o.error, 'envelope'), partial: json.value };
  let identity: Identity | null = null;
  if (o.data.identity !== undefined && o.data.identity !== '') {
    const id = parseJson(o.data.identity, 'envelope.identity');
    const parsed = id.ok ? identitySchema.safeParse(id.value) : undefined;
    if (!parsed?.success) {
      return {
        ok: false,
        error: parsed ? issues(parsed.error, 'envelope.identity') : 'envelope.identity: not valid JSON',
        partial: json.value,
      };
    }
    identity = parsed.data;
  }
  return {
    ok: true,
    value: { eventType: o.data.eventType, instanceId: o.data.instanceId, identity, data: o.data.data },
  };
}

/** Unwraps layer 3 (the event with exactly one body) and finds the entity it carries. */
export function parseEvent(data: string): Parsed<WixEvent> {
  const json = parseJson(data, 'envelope.data');
  if (!json.ok) return json;
  const e = eventSchema.safeParse(json.value);
  if (!e.success) return { ok: false, error: issues(e.error, 'data'), partial: json.value };
  const v = e.data;
  const kind = v.createdEvent
    ? 'created'
    : v.updatedEvent
      ? 'updated'
      : v.deletedEvent
        ? 'deleted'
        : 'action';
  const carried = v.createdEvent
    ? { entity: v.createdEvent.entity ?? v.createdEvent.entityAsJson ?? null }
    : bodyEntity(v);
  return {
    ok: true,
    value: {
      id: v.id,
      slug: v.slug,
      entityFqdn: v.entityFqdn,
      entityId: v.entityId,
      eventTime: v.eventTime,
      kind,
      entity: carried.entity,
      ...('changes' in carried && carried.changes ? { changes: carried.changes } : {}),
      raw: json.value as Record<string, unknown>,
    },
  };
}

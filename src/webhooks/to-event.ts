import { BUS_EVENT_VERSION, type BusEvent } from '../domain/events.js';
import type { Outer, Parsed, WixEvent } from './envelope.js';
import { MAX_JSON_DEPTH, withinDepth } from './depth.js';
import type { Route } from './routes.js';

/**
 * The entity the bus event carries: the route's unwrapped entity for action events (an approved order),
 * the body's entity otherwise, and `{ id: entityId }` for a deleted event without one (Wix often sends
 * `deletedEvent: {}`).
 */
function entityOf(event: WixEvent, route: Route): Record<string, unknown> | null {
  if (route.unwrap && event.kind === 'action') {
    const inner = event.entity?.[route.unwrap];
    return inner && typeof inner === 'object' && !Array.isArray(inner)
      ? (inner as Record<string, unknown>)
      : null;
  }
  if (event.kind === 'deleted' && !event.entity) return { id: event.entityId };
  return event.entity;
}

/** Builds the bus event from a routed, parsed envelope, or says why it cannot. */
export function toBusEvent(outer: Outer, event: WixEvent, route: Route, receivedAt: Date): Parsed<BusEvent> {
  if (route.kind && event.kind !== route.kind) {
    return {
      ok: false,
      error: `data: ${outer.eventType} must carry a ${route.kind}Event, got ${event.kind}Event`,
    };
  }
  const carried = entityOf(event, route);
  if (!withinDepth(carried) || !withinDepth(outer.identity) || !withinDepth(event.changes)) {
    return { ok: false, error: `entity: nested deeper than ${MAX_JSON_DEPTH} levels` };
  }
  const where = route.unwrap ? `entity.${route.unwrap}` : 'entity';
  if (carried === null) return { ok: false, error: `${where}: missing in the ${event.kind}Event` };
  const entity = route.entity.safeParse(carried);
  if (!entity.success) {
    const issue = entity.error.issues[0];
    return {
      ok: false,
      error: `${where}${issue?.path.length ? '.' + issue.path.join('.') : ''}: ${issue?.message}`,
    };
  }
  return {
    ok: true,
    value: {
      v: BUS_EVENT_VERSION,
      id: event.id,
      type: route.type,
      eventType: outer.eventType,
      instanceId: outer.instanceId,
      entityFqdn: event.entityFqdn,
      slug: event.slug,
      entityId: event.entityId,
      eventTime: event.eventTime,
      receivedAt: receivedAt.toISOString(),
      identity: outer.identity,
      entity: entity.data,
      kind: event.kind,
      ...(event.changes ? { changes: event.changes } : {}),
    },
  };
}

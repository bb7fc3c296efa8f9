import { BUS_EVENT_VERSION, type BusEvent } from '../domain/events.js';
import type { Outer, Parsed, WixEvent } from './envelope.js';
import { MAX_JSON_DEPTH, withinDepth } from './depth.js';
import type { Route } from './routes.js';

/** Builds the bus event from a routed, parsed envelope, or says why it cannot. */
export function toBusEvent(outer: Outer, event: WixEvent, route: Route, receivedAt: Date): Parsed<BusEvent> {
  if (event.kind !== route.kind) {
    return {
      ok: false,
      error: `data: ${outer.eventType} must carry a ${route.kind}Event, got ${event.kind}Event`,
    };
  }
  if (!withinDepth(event.entity) || !withinDepth(outer.identity)) {
    return { ok: false, error: `entity: nested deeper than ${MAX_JSON_DEPTH} levels` };
  }
  const source = route.bodyField ? (event.entity ?? {})[route.bodyField] : event.entity;
  const entity = route.entity.safeParse(source);
  if (!entity.success) {
    const where = entity.error.issues[0];
    return {
      ok: false,
      error: `${route.bodyField ? `actionEvent.body.${route.bodyField}` : 'entity'}${where?.path.length ? '.' + where.path.join('.') : ''}: ${where?.message}`,
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
    },
  };
}

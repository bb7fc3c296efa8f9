import { readJson, type Queryable } from '../store/port.js';
import type { AcceptedEvent } from './port.js';

/**
 * The events a store holds for the bus, newest first: the embedded queue's rows (`bus_events`), then
 * the ids the Kafka ingress recorded as accepted (`accepted_events`) that have no queue row. Both buses
 * list them (`Bus.listEvents`): a store keeps what an earlier bus on it left, and both are shown.
 */
export async function listStoredEvents(store: Queryable, limit: number): Promise<AcceptedEvent[]> {
  const { rows } = await store.query<Record<string, unknown>>(
    `SELECT e.event_id, e.topic, e.instance_id, e.status, e.attempts, e.last_error, e.accepted_at
       FROM (
         SELECT event_id, topic, key AS instance_id, status, attempts, last_error, created_at AS accepted_at FROM bus_events
         UNION ALL
         SELECT a.event_id, NULL, NULL, 'accepted', NULL, NULL, a.accepted_at FROM accepted_events a
          WHERE NOT EXISTS (SELECT 1 FROM bus_events b WHERE b.event_id = a.event_id)
       ) e
      ORDER BY e.accepted_at DESC
      LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    eventId: String(r.event_id),
    topic: (r.topic as string | null) ?? null,
    instanceId: (r.instance_id as string | null) ?? null,
    status: String(r.status),
    attempts: r.attempts == null ? null : Number(r.attempts),
    lastError: (r.last_error as string | null) ?? null,
    acceptedAt: new Date(r.accepted_at as string).toISOString(),
  }));
}

/** The payload of the queue row of this event id (`Bus.findEvent`), or undefined when there is none. */
export async function findStoredEvent(store: Queryable, eventId: string): Promise<unknown> {
  const { rows } = await store.query<{ payload: unknown }>(
    `SELECT payload FROM bus_events WHERE event_id = $1`,
    [eventId],
  );
  return rows[0] ? (readJson(store, rows[0].payload) ?? undefined) : undefined;
}

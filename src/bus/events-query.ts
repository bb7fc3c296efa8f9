import { readJson, sqlFor, type Queryable } from '../store/port.js';

export interface EventRow {
  eventId: string;
  topic: string | null;
  instanceId: string | null;
  status: string;
  attempts: number | null;
  lastError: string | null;
  acceptedAt: string;
  handledBy: string[];
}

/**
 * Recently accepted events, newest first: from the embedded bus queue, or (Kafka) from the ingress's
 * record of accepted ids; each with the handlers that finished it.
 */
export async function listEvents(store: Queryable, limit: number): Promise<EventRow[]> {
  const { rows } = await store.query<Record<string, unknown>>(
    `SELECT e.event_id, e.topic, e.instance_id, e.status, e.attempts, e.last_error, e.accepted_at,
            ${sqlFor(store, {
              postgres: `COALESCE((SELECT array_agg(p.handler ORDER BY p.handler) FROM processed_events p
                                    WHERE p.event_id = e.event_id), '{}')`,
              sqlite: `(SELECT json_group_array(handler) FROM (SELECT p.handler FROM processed_events p
                                                              WHERE p.event_id = e.event_id ORDER BY p.handler))`,
            })} AS handled_by
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
  return rows.map((r) => {
    const handledBy = readJson(store, r.handled_by);
    return {
      eventId: String(r.event_id),
      topic: (r.topic as string | null) ?? null,
      instanceId: (r.instance_id as string | null) ?? null,
      status: String(r.status),
      attempts: r.attempts == null ? null : Number(r.attempts),
      lastError: (r.last_error as string | null) ?? null,
      acceptedAt: new Date(r.accepted_at as string).toISOString(),
      handledBy: Array.isArray(handledBy) ? (handledBy as string[]) : [],
    };
  });
}

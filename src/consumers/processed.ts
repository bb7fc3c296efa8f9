import { inArray, type CommitOptions, type Queryable } from '../store/port.js';

/**
 * Which (event, handler) pairs have finished: the consumer side of idempotency. `marks`: how a mark
 * commits (see `CommitOptions`); default synced.
 */
export function createProcessedLedger(store: Queryable, marks?: CommitOptions) {
  return {
    async isDone(eventId: string, handler: string): Promise<boolean> {
      const { rows } = await store.query(
        'SELECT 1 FROM processed_events WHERE event_id = $1 AND handler = $2',
        [eventId, handler],
      );
      return rows.length > 0;
    },
    async markDone(eventId: string, handler: string): Promise<void> {
      await store.query(
        'INSERT INTO processed_events (event_id, handler) VALUES ($1, $2) ON CONFLICT DO NOTHING',
        [eventId, handler],
        marks,
      );
    },
  };
}

/**
 * The handlers that finished each of these events, each list sorted by handler name (`GET /api/events`
 * shows them next to the bus's events). An event no handler finished has no entry.
 */
export async function handlersDone(
  store: Queryable,
  eventIds: readonly string[],
): Promise<Map<string, string[]>> {
  const done = new Map<string, string[]>();
  if (eventIds.length === 0) return done;
  const { rows } = await store.query<{ event_id: string; handler: string }>(
    `SELECT event_id, handler FROM processed_events WHERE ${inArray(store, 'event_id', '$1')}
      ORDER BY event_id, handler`,
    [eventIds],
  );
  for (const r of rows) {
    const list = done.get(r.event_id);
    if (list) list.push(r.handler);
    else done.set(r.event_id, [r.handler]);
  }
  return done;
}

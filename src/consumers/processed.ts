import type { CommitOptions, Queryable } from '../store/port.js';

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

import { nextTurn } from '../lib/next-turn.js';
import { inArray, sqlFor, type Queryable } from '../store/port.js';

/**
 * Ingress-level dedupe for the Kafka bus: the ids of events Kafka has acknowledged, in the store's
 * `accepted_events(event_id text primary key, accepted_at timestamptz)` table.
 *
 * It is a check-then-insert around the publish, not a lock: two concurrent deliveries of one Wix event
 * can both pass the check and both be published. That is accepted: consumers dedupe by event id
 * (`processed_events`), so the second copy is a no-op. What it saves is the common case, Wix retrying
 * an event we already answered.
 *
 * Under load, concurrent checks share one query and concurrent inserts share one statement (the
 * per-webhook round trips were a third of the ingress CPU on the embedded store; see bench/README.md).
 */
export interface AcceptedEvents {
  /** True when this event id was already published. */
  has(eventId: string): Promise<boolean>;
  /** Records the id after Kafka acknowledged the event. */
  add(eventId: string): Promise<void>;
}

/**
 * Runs `run` on every key asked for in one turn of the event loop (`nextTurn`) or while the previous run
 * was under way: one statement per batch instead of one per caller.
 */
export function coalesce<R>(run: (keys: string[]) => Promise<(key: string) => R>, maxBatch = 500) {
  let waiting: { key: string; resolve(v: R): void; reject(e: unknown): void }[] = [];
  let busy = false;
  const drain = () => {
    if (busy || waiting.length === 0) return;
    busy = true;
    const batch = waiting.slice(0, maxBatch);
    waiting = waiting.slice(batch.length);
    run([...new Set(batch.map((w) => w.key))])
      .then(
        (answer) => batch.forEach((w) => w.resolve(answer(w.key))),
        (error: unknown) => batch.forEach((w) => w.reject(error)),
      )
      .finally(() => {
        busy = false;
        drain();
      });
  };
  const drainThisTurn = nextTurn(drain);
  return (key: string) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ key, resolve, reject });
      drainThisTurn();
    });
}

export function acceptedEventsIn(db: Queryable): AcceptedEvents {
  const has = coalesce(async (ids) => {
    const { rows } = await db.query<{ event_id: string }>(
      `SELECT event_id FROM accepted_events WHERE ${inArray(db, 'event_id', '$1')}`,
      [ids],
    );
    const found = new Set(rows.map((r) => r.event_id));
    return (id) => found.has(id);
  });
  const add = coalesce(async (ids) => {
    await db.query(
      sqlFor(db, {
        postgres:
          'INSERT INTO accepted_events (event_id) SELECT unnest($1::text[]) ON CONFLICT (event_id) DO NOTHING',
        sqlite: `INSERT INTO accepted_events (event_id) SELECT value FROM json_each($1) WHERE true
                  ON CONFLICT (event_id) DO NOTHING`,
      }),
      [ids],
    );
    return () => undefined;
  });
  return { has, add };
}

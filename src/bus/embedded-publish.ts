import type { BusEvent } from '../domain/events.js';
import type { Topics } from '../domain/topics.js';
import type { Queryable } from '../store/port.js';
import type { PublishResult } from './port.js';

export interface GroupCommitOptions {
  /** Most events written by one statement. Default 100 (≈ 1.5 MB of 14 KB webhooks). */
  maxBatch?: number;
}

interface Waiting {
  event: BusEvent;
  signal: AbortSignal | undefined;
  resolve(result: PublishResult): void;
  reject(error: unknown): void;
}

/**
 * One multi-row statement: dedupe (the event id is unique) and insert together, in arrival order, and
 * the ids it inserted. A single statement is its own transaction: when it returns, every row is committed.
 */
const insertSql = `
  INSERT INTO bus_events (event_id, topic, key, payload)
  SELECT id, topic, key, payload::jsonb
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS e(id, topic, key, payload, n)
   ORDER BY n
  ON CONFLICT (event_id) DO NOTHING
  RETURNING event_id`;

/**
 * Group commit for the embedded bus. An idle publisher writes at once; publishes that arrive while a
 * write is under way (or in the same tick) wait for it and then share the next statement, so under load
 * the store does one round trip (and on PGlite one pass through the engine) per batch instead of per
 * webhook. Each caller's promise settles only after the statement holding its event committed:
 * `published` for the first copy of a new event id, `duplicate` for an id already stored or a second
 * copy in the same batch.
 *
 * A batch whose statement fails is retried one event per statement, so one event the store refuses
 * cannot fail the others; a caller whose signal aborted before its batch was sent is dropped with the
 * signal's reason (the route answers 503 and Wix retries).
 */
export function createGroupPublisher(
  store: Queryable,
  topics: Topics,
  options: GroupCommitOptions = {},
): (event: BusEvent, signal?: AbortSignal) => Promise<PublishResult> {
  const maxBatch = options.maxBatch ?? 100;
  let waiting: Waiting[] = [];
  let busy = false;

  const insert = async (events: readonly BusEvent[]): Promise<Set<string>> => {
    const { rows } = await store.query<{ event_id: string }>(insertSql, [
      events.map((e) => e.id),
      events.map((e) => topics.forType(e.type)),
      events.map((e) => e.instanceId),
      events.map((e) => JSON.stringify(e)),
    ]);
    return new Set(rows.map((r) => r.event_id));
  };

  const write = async (batch: Waiting[]) => {
    // The first copy of each id goes into the statement; a later copy in this batch is its duplicate.
    const first = new Map<string, Waiting>();
    for (const w of batch) if (!first.has(w.event.id)) first.set(w.event.id, w);
    const settle = (w: Waiting, inserted: Set<string>) =>
      w.resolve(first.get(w.event.id) === w && inserted.has(w.event.id) ? 'published' : 'duplicate');
    const unique = [...first.values()];
    try {
      const inserted = await insert(unique.map((w) => w.event));
      for (const w of batch) settle(w, inserted);
      return;
    } catch (error) {
      if (unique.length === 1) {
        for (const w of batch) w.reject(error);
        return;
      }
    }
    await Promise.all(
      unique.map(async (w) => {
        const copies = batch.filter((x) => x.event.id === w.event.id);
        try {
          const inserted = await insert([w.event]);
          for (const c of copies) settle(c, inserted);
        } catch (error) {
          for (const c of copies) c.reject(error);
        }
      }),
    );
  };

  const drain = () => {
    if (busy || waiting.length === 0) return;
    const live = waiting.filter((w) => {
      if (!w.signal?.aborted) return true;
      w.reject(w.signal.reason);
      return false;
    });
    const batch = live.slice(0, maxBatch);
    waiting = live.slice(batch.length);
    if (batch.length === 0) return;
    busy = true;
    void write(batch).finally(() => {
      busy = false;
      drain();
    });
  };

  return (event, signal) =>
    new Promise<PublishResult>((resolve, reject) => {
      waiting.push({ event, signal, resolve, reject });
      queueMicrotask(drain);
    });
}

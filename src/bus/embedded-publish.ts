import type { BusEvent } from '../domain/events.js';
import type { Topics } from '../domain/topics.js';
import { nextTurn } from '../lib/next-turn.js';
import { storableText } from '../lib/storable.js';
import type { Queryable } from '../store/port.js';
import type { PublishResult } from './port.js';

export interface GroupCommitOptions {
  /** Most events written by one statement. Default 100 (≈ 1.5 MB of 14 KB webhooks). */
  maxBatch?: number;
  /**
   * Most statements under way at once. Default 1 (an embedded store runs one statement at a time anyway;
   * `createEmbeddedBus` asks for 2 on a Postgres server); on a Postgres pool more let batches overlap
   * their commits' WAL flushes, each on its own connection. Never
   * two statements holding the same event id at once (the copy waits for the first statement and then
   * answers from the stored row).
   */
  maxInFlight?: number;
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
 * One VALUES row of four parameters per event, the payload as its JSON text, on both dialects: the
 * database reads each payload once (Postgres stores it as `json`, migration 007, checked
 * but not converted; SQLite as text). Before, Postgres got the batch as one JSON array
 * (`jsonb_array_elements`), parsed it whole into jsonb and copied each element out again into a jsonb
 * column: 500–520 µs of Postgres CPU per 7 KB event against 190–210 µs now (25 events per statement,
 * scratch A/B on a 2-core VM); `text[]` parameters, before that, made the `pg` client escape every
 * character into an array literal. The store adapters make each parameter storable (NUL and lone
 * surrogate escapes, lib/storable.ts). One statement text per batch size, so at most `maxBatch` of them.
 */
const insertSql = (rows: number) =>
  `INSERT INTO bus_events (event_id, topic, key, payload) VALUES ${Array.from(
    { length: rows },
    (_, i) => `($${4 * i + 1}, $${4 * i + 2}, $${4 * i + 3}, $${4 * i + 4})`,
  ).join(', ')}
  ON CONFLICT (event_id) DO NOTHING
  RETURNING event_id`;

/**
 * Group commit for the embedded bus. Publishes asked for in one turn of the event loop (every webhook
 * Node read in that turn) share a statement, written in the turn's check phase (`nextTurn`); those
 * that arrive while a write is under way wait for it and then share the next statement, so under load
 * the store does one round trip (and on an embedded store one pass through the engine) per batch instead of per
 * webhook. With `maxInFlight` above 1 (a Postgres pool), up to that many statements run at once, each
 * on its own connection. Each caller's promise settles only after the statement holding its event
 * committed: `published` for the first copy of a new event id, `duplicate` for an id already stored or a
 * second copy in the same batch.
 *
 * An event whose id is in a statement under way waits for that statement and goes into a later one
 * (where `ON CONFLICT` makes it a duplicate, or inserts it if the first statement failed): two
 * concurrent statements never share an id, so they cannot deadlock on each other's unique-index entries.
 * Rows of concurrent statements may commit in either order; events answered before another arrived
 * always get the lower `seq`.
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
  const maxInFlight = Math.max(1, options.maxInFlight ?? 1);
  let waiting: Waiting[] = [];
  let inFlight = 0;
  /** Event ids in statements under way. */
  const writing = new Set<string>();

  const insert = async (events: readonly BusEvent[]): Promise<Set<string>> => {
    const { rows } = await store.query<{ event_id: string }>(
      insertSql(events.length),
      events.flatMap((e) => [e.id, topics.forType(e.type), e.instanceId, JSON.stringify(e)]),
    );
    return new Set(rows.map((r) => r.event_id));
  };

  const write = async (batch: Waiting[]) => {
    // The first copy of each id goes into the statement; a later copy in this batch is its duplicate.
    const first = new Map<string, Waiting>();
    for (const w of batch) if (!first.has(w.event.id)) first.set(w.event.id, w);
    // The store keeps ids in their storable form (lib/storable.ts), which is what RETURNING gives back.
    const settle = (w: Waiting, inserted: Set<string>) =>
      w.resolve(
        first.get(w.event.id) === w && inserted.has(storableText(w.event.id)) ? 'published' : 'duplicate',
      );
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
    while (inFlight < maxInFlight && waiting.length > 0) {
      // Aborted callers leave; the first maxBatch others whose id no statement under way holds go now.
      const batch: Waiting[] = [];
      const rest: Waiting[] = [];
      for (const w of waiting) {
        if (w.signal?.aborted) w.reject(w.signal.reason);
        else if (batch.length < maxBatch && !writing.has(w.event.id)) batch.push(w);
        else rest.push(w);
      }
      waiting = rest;
      if (batch.length === 0) return;
      inFlight++;
      for (const w of batch) writing.add(w.event.id);
      void write(batch).finally(() => {
        inFlight--;
        for (const w of batch) writing.delete(w.event.id);
        drain();
      });
    }
  };

  const drainThisTurn = nextTurn(drain);
  return (event, signal) =>
    new Promise<PublishResult>((resolve, reject) => {
      waiting.push({ event, signal, resolve, reject });
      drainThisTurn();
    });
}

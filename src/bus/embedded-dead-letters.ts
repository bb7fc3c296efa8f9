import { randomUUID } from 'node:crypto';
import { busEventSchema } from '../domain/events.js';
import type { Topics } from '../domain/topics.js';
import { nowSql, sqlFor, type Queryable } from '../store/port.js';
import { sqliteInArray } from '../store/dialects.js';
import type { DeadLetter, NewDeadLetter } from './port.js';

interface DeadLetterRow {
  id: string;
  event_id: string | null;
  type: string | null;
  instance_id: string | null;
  reason: DeadLetter['reason'];
  error: string;
  attempts: number;
  payload: unknown;
  headers: Record<string, string> | null;
  dead_at: Date | string;
}

export async function insertDeadLetter(db: Queryable, letter: NewDeadLetter): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO dead_letters (id, event_id, type, instance_id, reason, error, attempts, payload, headers)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      id,
      letter.eventId ?? null,
      letter.type ?? null,
      letter.instanceId ?? null,
      letter.reason,
      letter.error,
      letter.attempts,
      JSON.stringify(letter.payload ?? null),
      JSON.stringify(letter.headers ?? {}),
    ],
  );
  return id;
}

/** Dead letters not yet re-driven, newest first. */
export async function readDeadLetters(db: Queryable, limit: number): Promise<DeadLetter[]> {
  const { rows } = await db.query<DeadLetterRow>(
    `SELECT * FROM dead_letters WHERE redriven_at IS NULL ORDER BY dead_at DESC, id LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    id: r.id,
    eventId: r.event_id,
    type: r.type,
    instanceId: r.instance_id,
    reason: r.reason,
    error: r.error,
    attempts: Number(r.attempts),
    payload: r.payload,
    headers: r.headers ?? {},
    deadAt: new Date(r.dead_at).toISOString(),
  }));
}

/**
 * Puts the events of the selected dead letters back in the queue as fresh pending events (attempts 0).
 * Letters whose payload is not a bus event (an invalid envelope) stay where they are.
 */
export async function redriveDeadLetters(
  db: Queryable & { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  topics: Topics,
  selector: { ids: readonly string[] } | { all: true },
): Promise<number> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string; payload: unknown }>(
      sqlFor(
        tx,
        'ids' in selector
          ? {
              postgres: `SELECT id, payload FROM dead_letters WHERE redriven_at IS NULL AND id = ANY($1::text[]) FOR UPDATE`,
              // One writer at a time: the transaction (BEGIN IMMEDIATE) already holds the rows.
              sqlite: `SELECT id, payload FROM dead_letters WHERE redriven_at IS NULL AND ${sqliteInArray('id', '$1')}`,
            }
          : {
              postgres: `SELECT id, payload FROM dead_letters WHERE redriven_at IS NULL FOR UPDATE`,
              sqlite: `SELECT id, payload FROM dead_letters WHERE redriven_at IS NULL`,
            },
      ),
      'ids' in selector ? [[...selector.ids]] : [],
    );
    let count = 0;
    for (const row of rows) {
      const parsed = busEventSchema.safeParse(row.payload);
      if (!parsed.success) continue;
      const event = parsed.data;
      const now = nowSql(tx);
      await tx.query(
        `INSERT INTO bus_events (event_id, topic, key, payload) VALUES ($1, $2, $3, $4)
         ON CONFLICT (event_id) DO UPDATE
           SET status = 'pending', attempts = 0, available_at = ${now}, last_error = NULL,
               locked_by = NULL, locked_until = NULL, finished_at = NULL`,
        [event.id, topics.forType(event.type), event.instanceId, JSON.stringify(event)],
      );
      await tx.query(`UPDATE dead_letters SET redriven_at = ${now} WHERE id = $1`, [row.id]);
      count++;
    }
    return count;
  });
}

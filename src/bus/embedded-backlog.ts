import { sqlFor, type Queryable } from '../store/port.js';
import type { Backlog } from './port.js';

/** Events waiting in the embedded bus queue, and how long the oldest has waited (`Bus.backlog`). */
export async function embeddedBacklog(db: Queryable): Promise<Backlog> {
  const { rows } = await db.query<{ pending: string | number; age_ms: string | number | null }>(
    sqlFor(db, {
      postgres: `SELECT count(*) AS pending, (extract(epoch FROM now() - min(created_at)) * 1000)::bigint AS age_ms
       FROM bus_events WHERE status = 'pending'`,
      sqlite: `SELECT count(*) AS pending,
                      CAST((julianday('now') - julianday(min(created_at))) * 86400000 AS integer) AS age_ms
       FROM bus_events WHERE status = 'pending'`,
    }),
  );
  const r = rows[0];
  return {
    pending: Number(r?.pending ?? 0),
    oldestAgeMs: r?.age_ms == null ? null : Math.max(0, Number(r.age_ms)),
  };
}

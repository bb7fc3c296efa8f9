import pg from 'pg';
import type { Queryable, Store } from './port.js';

// Keep int8 (bigserial, count) values as JS numbers: the values we store stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query(sql, params as unknown[]);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
}

/**
 * The Store over a Postgres server (`DATABASE_URL`), through a `pg` pool. Every wait is bounded: a
 * connection within 5 s, a query's answer within `queryTimeoutMs` (default 30_000; a server that stops
 * answering with the connection open fails the query instead of holding a run or a write).
 */
export function openPostgresStore(
  connectionString: string,
  options: { max?: number; queryTimeoutMs?: number } = {},
): Store {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5000,
    query_timeout: options.queryTimeoutMs ?? 30_000,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const base = wrap(pool);
  return {
    kind: 'postgres',
    query: base.query,
    exec: base.exec,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

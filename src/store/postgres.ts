import pg from 'pg';
import { storableParams } from '../lib/storable.js';
import type { Queryable, Store } from './port.js';

// Keep int8 (bigserial, count) values as JS numbers: the values we store stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    dialect: 'postgres',
    async query<R>(sql: string, params: readonly unknown[] = []) {
      // Text Postgres refuses (NUL, lone surrogates) is made storable here: see lib/storable.ts.
      const result = await client.query(sql, storableParams(params));
      return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
}

/**
 * The schema the service's tables go in: `schema`, unless the URL already sets a search_path itself
 * (`?options=-c search_path=...`), which then wins (undefined returned).
 */
export function effectiveSchema(connectionString: string, schema: string | undefined): string | undefined {
  if (!schema) return undefined;
  let options = '';
  try {
    options = new URL(connectionString).searchParams.get('options') ?? '';
  } catch {
    // Not a URL (a libpq key=value string): nothing to detect; use the schema.
  }
  return /search_path/i.test(options) ? undefined : schema;
}

/**
 * The Store over a Postgres server (`DATABASE_URL`), through a `pg` pool.
 *
 * @param options.schema every connection's search_path (the service's own schema, so its tables cannot
 *   collide with a user's `schema_migrations` or `dead_letters`); ignored when the URL sets a search_path.
 *   The schema must exist (`ensureSchema`). Default: the URL's (or the server's) search_path.
 * @param options.max pool size, default 10.
 * @param options.queryTimeoutMs bound of one query's answer, default 30_000: a server that stops answering
 *   with the connection open fails the query instead of holding a run or a write. Connections: 5 s.
 */
export function openPostgresStore(
  connectionString: string,
  options: { max?: number; schema?: string; queryTimeoutMs?: number } = {},
): Store {
  const schema = effectiveSchema(connectionString, options.schema);
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5000,
    query_timeout: options.queryTimeoutMs ?? 30_000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const base = wrap(pool);
  return {
    kind: 'postgres',
    dialect: 'postgres',
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

/** Creates `schema` when missing (needs CREATE on the database; error 42501 otherwise). */
export async function ensureSchema(store: Store, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`not a plain schema name: ${schema}`);
  await store.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
}

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nowSql, type Dialect, type Store } from './port.js';

const defaultDir = fileURLToPath(new URL('./migrations/', import.meta.url));
const sqliteDir = fileURLToPath(new URL('./migrations/sqlite/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Reads `NNN_name.sql` files in version order. */
export function readMigrations(dir = defaultDir): Migration[] {
  return readdirSync(dir)
    .map((file) => /^(\d+)_(.+)\.sql$/.exec(file))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ version: Number(m[1]), name: m[2] ?? '', sql: readFileSync(`${dir}/${m[0]}`, 'utf8') }))
    .sort((a, b) => a.version - b.version);
}

/** The migrations of a dialect (`migrations/` for Postgres, `migrations/sqlite/` for SQLite). */
export const migrationsFor = (dialect: Dialect): Migration[] =>
  readMigrations(dialect === 'sqlite' ? sqliteDir : defaultDir);

/**
 * Applies the migrations not yet applied, in one transaction; on Postgres under an advisory lock so
 * that several processes starting together against one server apply each migration once (an embedded
 * SQLite store has one process). Default migrations: `migrations/NNN_*.sql` on Postgres,
 * `migrations/sqlite/NNN_*.sql` on SQLite (numbered alike: its 006 is the schema after Postgres's 001–006).
 * Returns the versions applied.
 */
export async function migrate(store: Store, migrations = migrationsFor(store.dialect)): Promise<number[]> {
  return store.transaction(async (tx) => {
    if (tx.dialect === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(727274)');
    await tx.exec(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT (${nowSql(tx)}))`,
    );
    const { rows } = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => Number(r.version)));
    const done: number[] = [];
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      done.push(m.version);
    }
    return done;
  });
}

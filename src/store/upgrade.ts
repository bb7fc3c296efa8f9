import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isPgliteDataDir } from './embedded.js';
import { migrate } from './migrate.js';
import { openPgliteStore } from './pglite.js';
import type { Store } from './port.js';
import { openSqliteStore } from './sqlite.js';
import { SQLITE_FILE } from './dialects.js';

/**
 * Every table of the service with its primary key, parents before the tables that reference them
 * (tool_calls → agent_runs).
 */
export const storeTables: readonly (readonly [table: string, key: string])[] = [
  ['bus_events', 'seq'],
  ['dead_letters', 'id'],
  ['accepted_events', 'event_id'],
  ['processed_events', 'event_id, handler'],
  ['agent_runs', 'id'],
  ['tool_calls', 'id'],
  ['mcp_tokens', 'id'],
  ['webhook_arrivals', 'id'],
];

interface Column {
  name: string;
  type: string;
  notnull: number;
}

/**
 * Moves the embedded store in `dataDir` from PGlite (what versions before SQLite created) to SQLite:
 * brings the PGlite database up to date (`migrate`), copies every row of every table (`storeTables`,
 * ids and times as they are) into a new SQLite database beside it, checks each table's row count, and
 * only then puts `wix-event-agent.sqlite` in place, from which on the service opens SQLite there. The
 * PGlite files stay where they are (nothing is deleted: remove them once the service runs on SQLite).
 * The service must be stopped (the data directory's lock is taken).
 *
 * @param log called with one line per table copied.
 * @returns rows copied per table.
 * @throws Error when `dataDir` holds no PGlite database or already a SQLite store; DataDirInUseError
 *   when a process holds it; the copy's error (nothing is put in place then).
 */
export async function upgradePgliteDataDir(
  dataDir: string,
  log: (line: string) => void = () => {},
): Promise<Record<string, number>> {
  if (existsSync(join(dataDir, SQLITE_FILE)))
    throw new Error(`${dataDir} already holds a SQLite store (${SQLITE_FILE}): nothing to upgrade`);
  if (!isPgliteDataDir(dataDir)) throw new Error(`${dataDir} holds no PGlite database to upgrade`);
  const source = await openPgliteStore(dataDir);
  const staging = join(dataDir, 'sqlite-upgrade');
  try {
    await migrate(source);
    rmSync(staging, { recursive: true, force: true });
    // One connection, syncing in its commits: leaving WAL mode below needs the file to itself.
    const target = await openSqliteStore(staging, { synchronous: 'full', offThread: false });
    const copied: Record<string, number> = {};
    try {
      await migrate(target);
      for (const [table, key] of storeTables) {
        copied[table] = await copyTable(source, target, table, key);
        log(`${table}: ${copied[table]} rows`);
      }
      // Everything into the database file itself (no WAL beside it), so the file alone is the store.
      await target.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      const { rows } = await target.query<{ journal_mode: string }>('PRAGMA journal_mode = DELETE');
      if (rows[0]?.journal_mode !== 'delete')
        throw new Error(`could not leave WAL mode in ${staging} (journal_mode ${rows[0]?.journal_mode})`);
    } finally {
      await target.close();
    }
    renameSync(join(staging, SQLITE_FILE), join(dataDir, SQLITE_FILE));
    return copied;
  } finally {
    rmSync(staging, { recursive: true, force: true });
    await source.close();
  }
}

/**
 * Copies `table` in pages of 500 rows in `key` order (one SQLite transaction each); returns the rows
 * copied after checking both tables count as many.
 */
async function copyTable(source: Store, target: Store, table: string, key: string): Promise<number> {
  const { rows: columns } = await target.query<Column>(
    `SELECT name, type, "notnull" FROM pragma_table_info($1)`,
    [table],
  );
  const names = columns.map((c) => c.name);
  const insert = `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`;
  // A JSON column's value travels as JSON text; SQL NULL stays NULL where the column allows it.
  const value = (c: Column, v: unknown) =>
    c.type.toLowerCase() === 'jsonb' ? (v === null && !c.notnull ? null : JSON.stringify(v)) : v;
  const page = 500;
  let copied = 0;
  for (;;) {
    const { rows } = await source.query<Record<string, unknown>>(
      `SELECT ${names.join(', ')} FROM ${table} ORDER BY ${key} LIMIT $1 OFFSET $2`,
      [page, copied],
    );
    if (rows.length === 0) break;
    await target.transaction(async (tx) => {
      for (const row of rows)
        await tx.query(
          insert,
          columns.map((c) => value(c, row[c.name])),
        );
    });
    copied += rows.length;
    if (rows.length < page) break;
  }
  const [from, to] = await Promise.all(
    [source, target].map(async (s) =>
      Number((await s.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n),
    ),
  );
  if (from !== to) throw new Error(`${table}: ${from} rows in PGlite, ${to} copied to SQLite`);
  return copied;
}

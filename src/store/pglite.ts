import { mkdirSync } from 'node:fs';
import { Mutex, PGlite, type Transaction } from '@electric-sql/pglite';
import { lockDataDir } from './data-dir-lock.js';
import { storableParams } from '../lib/storable.js';
import { initdbInChild, isInitialised } from './pglite-initdb.js';
import { PreparedStatements } from './pglite-prepared.js';
import type { Queryable, Store } from './port.js';

/**
 * `query` runs a SELECT/INSERT/UPDATE/DELETE/WITH as a named prepared statement (parsed once per SQL text,
 * see pglite-prepared.ts) and anything else through PGlite's `query()`; results and errors are the same.
 * Outside a transaction a prepared call holds `gate` (no store transaction open) and PGlite's query lock,
 * as `db.query()` holds PGlite's transaction and query locks; inside one (`tx`), the query lock only, as
 * `tx.query()` does.
 */
function wrap(
  db: PGlite,
  prepared: PreparedStatements | undefined,
  gate: Mutex,
  tx?: Transaction,
): Queryable {
  return {
    dialect: 'postgres',
    async query<R>(sql: string, params: readonly unknown[] = []) {
      // Text Postgres refuses (NUL, lone surrogates) is made storable here: see lib/storable.ts.
      const values = storableParams(params);
      let result: { rows: unknown[]; affectedRows?: number };
      if (!prepared || !PreparedStatements.preparable(sql)) {
        try {
          result = await (tx ?? db).query(sql, values);
        } finally {
          // DDL, SET, VACUUM…: prepared statements may no longer match the schema.
          prepared?.invalidate();
        }
      } else if (tx) {
        if (tx.closed) throw new Error('Transaction is closed');
        result = await db.runExclusive(() => prepared.run(sql, values, true));
      } else {
        result = await gate.runExclusive(() => db.runExclusive(() => prepared.run(sql, values, false)));
      }
      return { rows: result.rows as R[], rowCount: result.affectedRows ?? result.rows.length };
    },
    async exec(sql: string) {
      try {
        await (tx ?? db).exec(sql);
      } finally {
        prepared?.invalidate();
      }
    },
  };
}

/**
 * Postgres settings for a small single-connection store, on top of PGlite's own start parameters
 * (which already turn fsync off: a commit is in the OS's page cache, safe from a crash of this process,
 * not from a power cut). Postgres's defaults size its caches for a server (shared_buffers 128 MB, which
 * PGlite's WebAssembly memory keeps resident once touched); the bus's working set (the queue's recent
 * pages and indexes) fits in far less. Measured with bench/memory.ts: at rest ≈ 130 MB less.
 */
export const pgliteSettings: Record<string, string> = {
  shared_buffers: '16MB',
  temp_buffers: '1MB',
  work_mem: '2MB',
  maintenance_work_mem: '16MB',
  // The WAL is recycled after a checkpoint; Postgres lets it reach 1 GB before one (max_wal_size), and
  // keeps 80 MB (min_wal_size). A single-connection store needs neither: the smallest sizes Postgres takes
  // (two 16 MB segments) and a checkpoint every minute keep the data directory flat under steady load.
  max_wal_size: '32MB',
  min_wal_size: '32MB',
  checkpoint_timeout: '60s',
};

/**
 * The embedded store: Postgres compiled to WebAssembly, persisted in `dataDir` (no server to install).
 * One connection per process; PGlite serialises queries, and a transaction holds the connection.
 * `dataDir` undefined or `memory://` = in memory, gone at exit (tests, throwaway demos). A new data
 * directory is initialised in a child process (`initdbInChild`), keeping initdb's memory out of this one.
 *
 * `options.preparedStatements`: how many SQL texts are kept as named prepared statements (parsed and
 * described once, then only bound and executed; see pglite-prepared.ts), least recently used closed
 * first. Default 200; 0 runs every statement through PGlite's `query()` (parsed and planned each time).
 */
export async function openPgliteStore(
  dataDir: string | undefined,
  options: { preparedStatements?: number } = {},
): Promise<Store> {
  const persistent = dataDir !== undefined && !dataDir.startsWith('memory://');
  let release = () => {};
  if (persistent) {
    mkdirSync(dataDir, { recursive: true });
    release = lockDataDir(dataDir);
  }
  let db: PGlite;
  try {
    if (persistent && !isInitialised(dataDir)) await initdbInChild(dataDir);
    db = await PGlite.create({
      ...(persistent ? { dataDir } : {}),
      startParams: [
        ...PGlite.defaultStartParams,
        ...Object.entries(pgliteSettings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
      ],
    });
  } catch (error) {
    release();
    throw error;
  }
  const max = options.preparedStatements ?? 200;
  const prepared = max > 0 ? new PreparedStatements(db, max) : undefined;
  // Held by a store transaction for its whole length, and by a prepared statement outside one (which,
  // unlike db.query(), does not take PGlite's transaction lock): it never runs inside someone's transaction.
  const gate = new Mutex();
  const base = wrap(db, prepared, gate);
  return {
    kind: 'pglite',
    dialect: 'postgres',
    query: base.query,
    exec: base.exec,
    transaction: (fn) => gate.runExclusive(() => db.transaction((tx) => fn(wrap(db, prepared, gate, tx)))),
    close: async () => {
      try {
        await db.close();
      } finally {
        release();
      }
    },
  };
}

import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { lockDataDir } from './data-dir-lock.js';
import { storableParams } from '../lib/storable.js';
import { initdbInChild, isInitialised } from './pglite-initdb.js';
import type { Queryable, Store } from './port.js';

function wrap(db: PGlite | Transaction): Queryable {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []) {
      // Text Postgres refuses (NUL, lone surrogates) is made storable here: see lib/storable.ts.
      const result = await db.query<R>(sql, storableParams(params));
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
    async exec(sql: string) {
      await db.exec(sql);
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
 */
export async function openPgliteStore(dataDir: string | undefined): Promise<Store> {
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
  const base = wrap(db);
  return {
    kind: 'pglite',
    query: base.query,
    exec: base.exec,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    close: async () => {
      try {
        await db.close();
      } finally {
        release();
      }
    },
  };
}

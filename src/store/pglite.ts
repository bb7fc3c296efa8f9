import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { lockDataDir } from './data-dir-lock.js';
import { storableParams } from '../lib/storable.js';
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
 * The embedded store: Postgres compiled to WebAssembly, persisted in `dataDir` (no server to install).
 * One connection per process; PGlite serialises queries, and a transaction holds the connection.
 * `dataDir` undefined or `memory://` = in memory, gone at exit (tests, throwaway demos).
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
    db = await PGlite.create(persistent ? { dataDir } : {});
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

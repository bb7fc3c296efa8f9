import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'libsql';
import { storableParams } from '../lib/storable.js';
import { lockDataDir } from './data-dir-lock.js';
import type { CommitOptions, Queryable, Store } from './port.js';
import { startCheckpointer, type Checkpointer } from './sqlite-checkpointer.js';
import { createWalSync, type WalSync } from './sqlite-wal-sync.js';
import { SQLITE_FILE } from './dialects.js';

type Statement = ReturnType<Database.Database['prepare']>;
type Convert = (value: unknown) => unknown;

interface Prepared {
  statement: Statement;
  /** Per result column, how its value is read (undefined: as the driver gives it). */
  converts: [string, Convert][];
  /** False for a SELECT, which cannot write (SQLite has no data-modifying WITH … SELECT). */
  mayWrite: boolean;
}

const toDate: Convert = (v) => (typeof v === 'string' ? new Date(v) : v);
const toJson: Convert = (v) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : v);

/** Read conversions by declared column type: what the Postgres drivers give for the same columns. */
const byDeclaredType: Record<string, Convert> = { timestamptz: toDate, jsonb: toJson };

/**
 * A parameter as SQLite binds it: a `Date` as `SQLITE_NOW`'s text, an array or plain object as JSON
 * text (a statement reads an array with `json_each`), a boolean as 0/1, undefined as NULL.
 */
function bindable(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (Array.isArray(value) || (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)))
    return JSON.stringify(value);
  return value;
}

/**
 * `$1`-style parameters as SQLite's numbered `?1` (SQLite reads `$1` as a *named* parameter, numbered by
 * first appearance, so `$2 … $1` would bind the wrong values). No statement of ours has `$<digit>`
 * inside a string literal.
 */
export const sqliteParams = (sql: string) => sql.replace(/\$(\d+)/g, '?$1');

/** A promise-chain lock: `run` calls run one at a time, in call order. */
class Lock {
  private tail: Promise<unknown> = Promise.resolve();
  held = false;
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(async () => {
      this.held = true;
      try {
        return await fn();
      } finally {
        this.held = false;
      }
    });
    this.tail = result.catch(() => {});
    return result;
  }
}

/**
 * Opens the embedded SQLite store: `dataDir/wix-event-agent.sqlite` through libsql (SQLite 3.45,
 * a native module installed from the npm registry for Linux, macOS and Windows), or in memory when
 * `dataDir` is undefined or starts with `memory://` (tests, throwaway demos).
 *
 * Settings: WAL journal, foreign keys enforced, `busy_timeout` 5 s; `options.synchronous` (default
 * `full`): `full` makes every commit durable (synced to disk) before it resolves, so a committed row
 * survives a power cut; `normal` syncs only at checkpoints (a commit survives a crash of the process;
 * a power cut may lose the last ones); `off` never syncs (a power cut may also damage the
 * file). One process owns the data directory (`lockDataDir`).
 *
 * Off the event loop (`options.offThread`, default true, for a store on disk): with `full` the
 * connection commits as NORMAL does (the WAL written, not synced) and the commit's promise resolves
 * once `fdatasync` of the WAL on libuv's thread pool has covered it (`sqlite-wal-sync.ts`): commits
 * that arrive while a sync is under way share the next one, and the event loop works on meanwhile. A
 * statement or transaction run with `asyncCommit` (see `CommitOptions`) resolves without waiting; the
 * next synced commit covers it. Checkpoints (copying the WAL into the database file, and syncing it)
 * run in a worker thread with its own connection (`sqlite-checkpointer.ts`), not inside a commit;
 * should the worker fail, the store tells `options.onCheckpointError` and checkpoints inline. The
 * worker also starts a wholly copied WAL over with a write of its own: the commit that starts a WAL over
 * syncs its new header first (SQLite does so even at NORMAL; only OFF skips it, at the price of
 * corruption on disks that reorder writes), and that commit is then not the store's, on the event loop.
 * `offThread: false`: SQLite syncs inside each commit (FULL) and checkpoints every 1,000 pages itself,
 * all on the calling thread, and `asyncCommit` makes no difference.
 *
 * Statements run synchronously on the event-loop thread, one at a time; a statement is parsed once
 * per SQL text (`options.preparedStatements` texts kept, least recently used dropped first, default
 * 200). A transaction holds the connection: statements outside it wait until it ends.
 *
 * @throws DataDirInUseError when another live process holds `dataDir`; libsql's SqliteError when the
 *   file cannot be opened (not a database, no permission).
 */
export async function openSqliteStore(
  dataDir: string | undefined,
  options: {
    preparedStatements?: number;
    synchronous?: 'full' | 'normal' | 'off';
    offThread?: boolean;
    /**
     * The background checkpointer's timing (see `startCheckpointer`), and what starts it (default
     * `startCheckpointer`): tests shorten the one and replace the other.
     */
    checkpointer?: { intervalMs?: number; truncateAtFrames?: number; start?: typeof startCheckpointer };
    onCheckpointError?: (error: Error) => void;
  } = {},
): Promise<Store> {
  const persistent = dataDir !== undefined && !dataDir.startsWith('memory://');
  let release = () => {};
  let db: Database.Database;
  const configured = (options.synchronous ?? 'full').toUpperCase();
  const offThread = persistent && options.offThread !== false;
  const walSync: WalSync | undefined =
    offThread && configured === 'FULL' ? createWalSync(join(dataDir, `${SQLITE_FILE}-wal`)) : undefined;
  if (persistent) {
    mkdirSync(dataDir, { recursive: true });
    release = lockDataDir(dataDir);
  }
  try {
    db = new Database(persistent ? join(dataDir, SQLITE_FILE) : ':memory:');
    if (persistent) db.exec('PRAGMA journal_mode = WAL');
    db.exec(`PRAGMA synchronous = ${walSync ? 'NORMAL' : configured}`);
    db.exec('PRAGMA foreign_keys = ON');
    db.exec('PRAGMA busy_timeout = 5000');
  } catch (error) {
    release();
    throw error;
  }
  let closed = false;
  let checkpointer: Checkpointer | undefined;
  if (offThread) {
    db.exec('PRAGMA wal_autocheckpoint = 0');
    const { start = startCheckpointer, ...timing } = options.checkpointer ?? {};
    checkpointer = start(join(dataDir, SQLITE_FILE), {
      ...timing,
      synchronous: configured,
      onError: (error) => {
        if (closed || !checkpointer) return;
        // Back to SQLite's own checkpoints, so the WAL stays bounded without the worker.
        const stopped = checkpointer;
        checkpointer = undefined;
        db.exec('PRAGMA wal_autocheckpoint = 1000');
        void stopped.stop();
        options.onCheckpointError?.(error);
      },
    });
  }

  const max = options.preparedStatements ?? 200;
  const cache = new Map<string, Prepared>();
  const prepare = (sql: string): Prepared => {
    const hit = cache.get(sql);
    if (hit) {
      // Least recently used first: a hit moves to the end.
      cache.delete(sql);
      cache.set(sql, hit);
      return hit;
    }
    const statement = db.prepare(sqliteParams(sql));
    const converts: [string, Convert][] = [];
    if (statement.reader) {
      for (const c of statement.columns()) {
        const convert = c.type ? byDeclaredType[c.type.toLowerCase()] : undefined;
        if (convert) converts.push([c.name, convert]);
      }
    }
    const prepared = { statement, converts, mayWrite: !/^\s*SELECT\b/i.test(sql) };
    if (max > 0) {
      cache.set(sql, prepared);
      if (cache.size > max) cache.delete(cache.keys().next().value as string);
    }
    return prepared;
  };

  /** Runs one statement; `wrote` when it may have written (anything but a SELECT). */
  const run = <R>(sql: string, params: readonly unknown[]) => {
    const { statement, converts, mayWrite } = prepare(sql);
    const values = storableParams(params).map(bindable);
    if (mayWrite && !db.inTransaction) checkpointer?.wrote();
    if (!statement.reader) {
      const { changes } = statement.run(values);
      return { result: { rows: [] as R[], rowCount: Number(changes) }, wrote: mayWrite };
    }
    const rows = statement.all(values) as Record<string, unknown>[];
    if (converts.length > 0)
      for (const row of rows) for (const [name, convert] of converts) row[name] = convert(row[name]);
    return { result: { rows: rows as R[], rowCount: rows.length }, wrote: mayWrite };
  };

  const execScript = (sql: string) => {
    db.exec(sql);
    checkpointer?.wrote();
    // A schema change: prepared statements may no longer describe their columns rightly.
    cache.clear();
  };

  /** Resolves when what was committed so far is durable (at once unless syncs run off the event loop). */
  const durable = async (options?: CommitOptions) => {
    if (walSync && !options?.asyncCommit) await walSync.synced();
  };

  // Held by a transaction for its whole length; a statement outside one waits while it is held.
  const lock = new Lock();
  const outside: Queryable = {
    dialect: 'sqlite',
    async query<R>(sql: string, params: readonly unknown[] = [], options?: CommitOptions) {
      const { result, wrote } = lock.held
        ? await lock.run(async () => run<R>(sql, params))
        : run<R>(sql, params);
      if (wrote) await durable(options);
      return result;
    },
    async exec(sql: string) {
      if (lock.held) await lock.run(async () => execScript(sql));
      else execScript(sql);
      await durable();
    },
  };

  return {
    kind: 'sqlite',
    dialect: 'sqlite',
    query: outside.query,
    exec: outside.exec,
    async transaction(fn, options) {
      let wrote = false;
      const result = await lock.run(async () => {
        let open = true;
        const tx: Queryable = {
          dialect: 'sqlite',
          async query<R>(sql: string, params: readonly unknown[] = []) {
            if (!open) throw new Error('Transaction is closed');
            const ran = run<R>(sql, params);
            wrote ||= ran.wrote;
            return ran.result;
          },
          async exec(sql: string) {
            if (!open) throw new Error('Transaction is closed');
            execScript(sql);
            wrote = true;
          },
        };
        db.exec('BEGIN IMMEDIATE');
        try {
          const value = await fn(tx);
          db.exec('COMMIT');
          checkpointer?.wrote();
          return value;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        } finally {
          open = false;
        }
      });
      // The connection is free for others while the commit is synced.
      if (wrote) await durable(options);
      return result;
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await checkpointer?.stop();
        await lock.run(async () => {
          // After a clean stop everything committed is on disk, asynchronous commits included (libsql
          // leaves the WAL beside the database on close; the next open reads it).
          await walSync?.synced().catch(() => {});
          await walSync?.close();
          db.close();
        });
      } finally {
        release();
      }
    },
  };
}

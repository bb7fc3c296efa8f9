import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/port.js';
import { startCheckpointer } from '../../src/store/sqlite-checkpointer.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { waitFor } from '../support/wait.js';

/**
 * The SQLite store's checkpoints (copying the WAL into the database file) run in a worker thread with its
 * own connection, not inside a commit on the event loop (src/store/sqlite-checkpointer.ts).
 */
const dirs: string[] = [];
let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'wea-ckpt-'));
  dirs.push(dir);
  return dir;
};
const size = (file: string) => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};
const row = 'x'.repeat(3000);

/** The WAL's frames and how many of them are copied into the database, read on a connection of the test's. */
function walState(file: string) {
  const db = new Database(file);
  try {
    // PASSIVE with nothing to do reads the state without copying: the store's worker did the copying.
    return db.prepare('PRAGMA wal_checkpoint(PASSIVE)').all()[0] as { log: number; checkpointed: number };
  } finally {
    db.close();
  }
}

describe('SQLite checkpoints', () => {
  it('run in the background: the store’s connection never checkpoints, the worker copies the WAL', async () => {
    const dir = tempDir();
    const file = join(dir, 'wix-event-agent.sqlite');
    store = await openSqliteStore(dir, { checkpointer: { intervalMs: 20 } });
    const { rows } = await store.query<{ wal_autocheckpoint: number }>('PRAGMA wal_autocheckpoint');
    expect(rows[0]!.wal_autocheckpoint).toBe(0);
    await store.exec('CREATE TABLE t (v text)');
    const before = size(file);
    // 2,000 rows of 3 KB: well past the 1,000 pages at which SQLite would checkpoint inside a commit.
    for (let i = 0; i < 2000; i++) await store.query('INSERT INTO t (v) VALUES ($1)', [row]);
    await waitFor(() => size(file) > before + 4_000_000, { message: 'the worker copying the WAL' });
    await waitFor(() => {
      const wal = walState(file);
      return wal.log > 0 && wal.checkpointed === wal.log;
    });
  });

  it('empty the WAL once it passes its bound, though writes keep coming', async () => {
    const dir = tempDir();
    const wal = join(dir, 'wix-event-agent.sqlite-wal');
    store = await openSqliteStore(dir, { checkpointer: { intervalMs: 10, truncateAtFrames: 64 } });
    await store.exec('CREATE TABLE t (v text)');
    let largest = 0;
    let emptied = false;
    for (let i = 0; i < 3000 && !emptied; i++) {
      await store.query('INSERT INTO t (v) VALUES ($1)', [row]);
      const now = size(wal);
      if (now < largest) emptied = true;
      largest = Math.max(largest, now);
      // Let the worker run now and then (as the event loop does between requests).
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    expect(emptied).toBe(true);
    // Bounded: never far past 64 frames of 4 KiB (what piles up during one interval).
    expect(largest).toBeLessThan(4_000_000);
  });

  it('are SQLite’s own (inside commits) when asked, and in memory there is no WAL to checkpoint', async () => {
    store = await openSqliteStore(tempDir(), { offThread: false });
    const { rows } = await store.query<{ wal_autocheckpoint: number }>('PRAGMA wal_autocheckpoint');
    expect(rows[0]!.wal_autocheckpoint).toBe(1000);
  });

  it('go back inside commits when the worker fails, and the failure is told', async () => {
    const told: Error[] = [];
    let stopped = false;
    store = await openSqliteStore(tempDir(), {
      checkpointer: {
        start: (_file, options) => {
          setTimeout(() => options.onError(new Error('worker gone')), 10);
          return { wrote: () => {}, stop: async () => void (stopped = true) };
        },
      },
      onCheckpointError: (error) => told.push(error),
    });
    await waitFor(() => told.length > 0);
    expect(told.map((e) => e.message)).toEqual(['worker gone']);
    expect(stopped).toBe(true);
    const { rows } = await store.query<{ wal_autocheckpoint: number }>('PRAGMA wal_autocheckpoint');
    expect(rows[0]!.wal_autocheckpoint).toBe(1000);
  });

  it('report a worker that cannot open the database', async () => {
    const errors: Error[] = [];
    const checkpointer = startCheckpointer(join(tempDir(), 'no', 'such', 'dir', 'x.sqlite'), {
      synchronous: 'FULL',
      onError: (error) => errors.push(error),
    });
    await waitFor(() => errors.length > 0, { message: 'an error reported' });
    expect(errors[0]!.message).toMatch(/unable to open|no such|cannot open|SQLITE_CANTOPEN|stopped/i);
    await checkpointer.stop();
  });
});

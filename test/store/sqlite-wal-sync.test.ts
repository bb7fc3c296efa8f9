import { describe, expect, it } from 'vitest';
import { createWalSync } from '../../src/store/sqlite-wal-sync.js';

/** A file whose syncs are counted, resolved by the test, or failed. */
function fakeFiles(failWith?: Error) {
  const seen = { opens: [] as string[], datasyncs: 0, closes: 0 };
  const pending: (() => void)[] = [];
  const open = async (path: string) => {
    seen.opens.push(path);
    return {
      async datasync() {
        seen.datasyncs++;
        if (failWith) throw failWith;
        await new Promise<void>((resolve) => pending.push(resolve));
      },
      async sync() {},
      async close() {
        seen.closes++;
      },
    };
  };
  const finishSync = () => pending.shift()?.();
  return { open, seen, finishSync };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('the WAL sync of the SQLite store', () => {
  it('shares one sync among the commits of one callback, and the next among those made meanwhile', async () => {
    const files = fakeFiles();
    const wal = createWalSync('/data/x.sqlite-wal', { open: files.open });
    const first = [wal.synced(), wal.synced(), wal.synced()];
    await flush();
    expect(files.seen.datasyncs).toBe(1);
    const meanwhile = [wal.synced(), wal.synced()];
    let settled = 0;
    for (const p of [...first, ...meanwhile]) void p.then(() => settled++);
    files.finishSync();
    await flush();
    // The first three are durable; the two made during that sync wait for the next one.
    expect(settled).toBe(3);
    expect(files.seen.datasyncs).toBe(2);
    files.finishSync();
    await Promise.all(meanwhile);
    expect(settled).toBe(5);
    // The WAL (and its directory) opened once; closing closes the WAL.
    expect(files.seen.opens).toEqual(['/data/x.sqlite-wal', '/data']);
    await wal.close();
    expect(files.seen.closes).toBeGreaterThanOrEqual(1);
  });

  it('after a failed sync, reports nothing as durable again, naming the file', async () => {
    const eio = Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
    const files = fakeFiles(eio);
    const wal = createWalSync('/data/x.sqlite-wal', { open: files.open });
    await expect(wal.synced()).rejects.toThrow(/could not sync \/data\/x\.sqlite-wal to disk: EIO/);
    // Later commits fail too, without trying again (the kernel may have dropped the pages).
    await expect(wal.synced()).rejects.toThrow(/could not sync/);
    expect(files.seen.datasyncs).toBe(1);
  });

  it('has nothing to sync before SQLite created the WAL', async () => {
    const enoent = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
    const wal = createWalSync('/data/x.sqlite-wal', {
      open: async () => {
        throw enoent;
      },
    });
    await expect(wal.synced()).resolves.toBeUndefined();
  });
});

import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { hasCode } from '../lib/error-codes.js';

/** Makes the SQLite store's commits durable off the event loop: see `createWalSync`. */
export interface WalSync {
  /**
   * Resolves once every commit written before the call is on disk. Calls made in the same callback of
   * the event loop (and its promise jobs) share one sync, calls made while a sync is under way the next
   * one (group commit). Rejects with the sync's error, and from then on always: after a
   * failed fsync the kernel may have dropped the pages, so nothing later is reported durable (the
   * service must be restarted, and SQLite's recovery then reads what the disk holds).
   */
  synced(): Promise<void>;
  /** Waits for the sync under way, then closes the file. */
  close(): Promise<void>;
}

/**
 * Syncs SQLite's WAL file (`walFile`, `<database>-wal`) with `fdatasync` on libuv's thread pool, so a
 * commit made with `PRAGMA synchronous = NORMAL` (written to the WAL, not synced) becomes as durable as
 * one made with FULL, without the event loop waiting for the disk: it goes on verifying and parsing
 * other webhooks while the sync is under way.
 *
 * Sound because SQLite writes a commit's WAL frames before the statement returns, and fsync covers the
 * file (the inode), whichever descriptor asks. The WAL's directory is synced when the WAL is first
 * opened (as SQLite does when it creates a WAL in FULL mode), so a WAL created just before a power cut
 * is found again.
 */
export function createWalSync(
  walFile: string,
  deps: {
    /** Opens a file (default `fs/promises` `open`); tests pass one whose sync fails. */
    open?: (path: string, flags: string) => Promise<Pick<FileHandle, 'datasync' | 'sync' | 'close'>>;
  } = {},
): WalSync {
  const openFile = deps.open ?? open;
  let handle: Pick<FileHandle, 'datasync' | 'close'> | undefined;
  let failed: Error | undefined;
  let waiting: { resolve(): void; reject(error: unknown): void }[] = [];
  let running: Promise<void> | undefined;

  /**
   * The WAL, opened at the first sync that finds it and kept: SQLite creates it at the first write and
   * deletes it only when its last connection closes, or when it leaves WAL mode, which this store never
   * does while open (a checkpoint empties the file in place). Undefined while there is none: nothing was
   * written yet, so nothing needs syncing.
   */
  const openWal = async () => {
    if (handle) return handle;
    try {
      handle = await openFile(walFile, 'r');
    } catch (error) {
      if (hasCode(error, 'ENOENT')) return undefined;
      throw error;
    }
    await syncDirectory(dirname(walFile), openFile);
    return handle;
  };

  const loop = async () => {
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        if (failed) throw failed;
        await (await openWal())?.datasync();
        for (const w of batch) w.resolve();
      } catch (error) {
        failed ??= new Error(
          `could not sync ${walFile} to disk: ${String((error as Error).message ?? error)}`,
          {
            cause: error,
          },
        );
        for (const w of batch) w.reject(failed);
      }
    }
    running = undefined;
  };

  return {
    synced() {
      if (failed) return Promise.reject(failed);
      return new Promise<void>((resolve, reject) => {
        waiting.push({ resolve, reject });
        // Started once the current callback and its promise jobs are done, so that every commit they
        // made (a step's parallel tool calls journalling their writes) shares the first sync.
        running ??= new Promise<void>((started) => process.nextTick(started)).then(loop);
      });
    },
    async close() {
      await running;
      await handle?.close();
      handle = undefined;
    },
  };
}

/** fsync of a directory, where the platform has one (not on Windows; some file systems refuse it). */
async function syncDirectory(
  dir: string,
  openFile: (path: string, flags: string) => Promise<Pick<FileHandle, 'sync' | 'close'>>,
): Promise<void> {
  if (process.platform === 'win32') return;
  let file: Pick<FileHandle, 'sync' | 'close'> | undefined;
  try {
    file = await openFile(dir, 'r');
    await file.sync();
  } catch (error) {
    if (!hasCode(error, 'EISDIR', 'EINVAL', 'EPERM', 'EACCES')) throw error;
  } finally {
    await file?.close();
  }
}

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * What the checkpointer's worker runs (CommonJS, evaluated: no file to resolve under tsx, vitest or the
 * build). Its own libsql connection to the same file copies the WAL into the database (SQLite's
 * checkpoint) every `intervalMs` when the store has written since: PASSIVE, so it never waits for the
 * writer nor makes it wait. Under writes that never pause, a passive checkpoint never finds the WAL
 * wholly copied, so SQLite never starts it over; past `truncateAtFrames` frames the worker runs a
 * TRUNCATE checkpoint, which waits for the writer (and makes it wait, briefly) and empties the file.
 *
 * Once the WAL is wholly copied (or emptied), the worker starts it over itself with a write of its own
 * (`user_version` rewritten with its own value, in one transaction; the project does not use it):
 * SQLite syncs the header of a WAL started over before its first frame, on the connection that writes
 * it, so the store's next commit, which would otherwise start it over, does not sync on the event loop.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.libsql);
const db = new Database(workerData.file);
db.exec('PRAGMA busy_timeout = 5000');
db.exec('PRAGMA synchronous = ' + workerData.synchronous);
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const truncate = db.prepare('PRAGMA wal_checkpoint(TRUNCATE)');
const userVersion = db.prepare('PRAGMA user_version');
const startOver = () => {
  try {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec('PRAGMA user_version = ' + (Number(userVersion.get().user_version) | 0));
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  } catch {
    // Best effort: the store's next commit then starts the WAL over itself.
  }
};
const writes = new Int32Array(workerData.writes);
let seen = -1;
const tick = () => {
  const now = Atomics.load(writes, 0);
  if (now === seen) return;
  seen = now;
  try {
    const [row] = passive.all();
    if (row && row.log >= workerData.truncateAtFrames) {
      truncate.all();
      startOver();
    } else if (row && row.log > 0 && row.checkpointed === row.log) startOver();
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message ? error.message : error) });
  }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** The checkpointer of one SQLite store: see `startCheckpointer`. */
export interface Checkpointer {
  /** Call after each commit that may have written (a few nanoseconds: one atomic add). */
  wrote(): void;
  /** Stops the worker and closes its connection. Resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Moves SQLite's WAL checkpoints off the event loop: a worker thread with its own connection to `file`
 * checkpoints in the background, so the store's connection (which runs with `wal_autocheckpoint = 0`)
 * never stops to copy pages and sync the database file in the middle of a commit, nor to sync the
 * header of a WAL started over (the worker starts a wholly copied WAL over itself; see the worker's
 * source). That write of the worker's may make a store commit wait for the write lock, about a
 * millisecond, only right after a checkpoint that left nothing to copy.
 *
 * @param options.synchronous the store's `PRAGMA synchronous` (FULL, NORMAL, OFF): whether the checkpoint
 *   syncs (OFF: never). FULL runs as NORMAL: a checkpoint syncs alike at both.
 * @param options.intervalMs how often the worker looks, default 250 ms.
 * @param options.truncateAtFrames WAL frames (pages, 4 KiB by default) past which it empties the WAL,
 *   waiting for the writer, default 8192 (32 MiB).
 * @param options.onError called when a checkpoint fails or the worker stops unexpectedly; the worker
 *   may be gone: the caller should then checkpoint on its own connection again.
 */
export function startCheckpointer(
  file: string,
  options: {
    synchronous: string;
    intervalMs?: number;
    truncateAtFrames?: number;
    onError: (error: Error) => void;
  },
): Checkpointer {
  const writes = new SharedArrayBuffer(4);
  const counter = new Int32Array(writes);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      libsql: createRequire(import.meta.url).resolve('libsql'),
      file,
      // A checkpoint syncs alike at NORMAL and FULL (the WAL before copying it, the database after);
      // FULL would also sync the worker's own commit, the WAL-restarting write, which needs no sync.
      synchronous: options.synchronous.toUpperCase() === 'FULL' ? 'NORMAL' : options.synchronous,
      intervalMs: options.intervalMs ?? 250,
      truncateAtFrames: options.truncateAtFrames ?? 8192,
      writes,
    },
  });
  // Not a reason to keep the process alive: the store's close stops it.
  worker.unref();
  let stopping = false;
  worker.on('message', (message: { error?: string }) => {
    if (message.error) options.onError(new Error(`SQLite checkpoint failed: ${message.error}`));
  });
  worker.on('error', (error) => options.onError(error));
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      if (!stopping) options.onError(new Error(`SQLite checkpointer stopped (exit code ${code})`));
      resolve();
    }),
  );
  return {
    wrote: () => void Atomics.add(counter, 0, 1),
    async stop() {
      if (stopping) return exited;
      stopping = true;
      worker.postMessage('stop');
      const timer = setTimeout(() => void worker.terminate(), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

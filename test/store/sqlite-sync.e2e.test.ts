import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';
import { describeIfServer } from '../support/servers.js';

/**
 * When the SQLite store syncs to disk, counted by the kernel: the store's statements run in a child
 * under `strace`, which records every fsync/fdatasync between marks the child leaves (see
 * test/support/sqlite-syncs-child.ts). A synced commit must sync; an asynchronous one must not; the
 * next synced commit syncs what came before it.
 */
const hasStrace = (() => {
  try {
    execFileSync('strace', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs the child with `sync` under strace; resolves the syncs counted per step and the rows it wrote. */
async function syncsPerStep(sync: 'full' | 'normal', offThread = true) {
  const dir = mkdtempSync(join(tmpdir(), 'wea-syncs-'));
  dirs.push(dir);
  const trace = join(dir, 'trace.txt');
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(
      'strace',
      [
        '-f',
        '-qq',
        '-e',
        'trace=fsync,fdatasync,access,faccessat,faccessat2',
        '-o',
        trace,
        process.execPath,
        '--import',
        'tsx',
        'test/support/sqlite-syncs-child.ts',
      ],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          DATA_DIR: join(dir, 'data'),
          SQLITE_SYNC: sync,
          OFF_THREAD: String(offThread),
        },
        timeout: 60_000,
      },
      (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
    ),
  );
  // Each line starts with the id of the thread that made the call; the marks come from the main thread.
  const counts: Record<string, number> = {};
  const onMainThread: Record<string, number> = {};
  let step: string | undefined;
  let main: string | undefined;
  for (const line of readFileSync(trace, 'utf8').split('\n')) {
    const thread = /^(\d+)\s/.exec(line)?.[1];
    const marked = /"\/wix-event-agent-mark\/([\w-]+)"/.exec(line);
    if (marked) {
      step = marked[1]!;
      main = thread;
      counts[step] = 0;
      onMainThread[step] = 0;
    } else if (step && /\b(fsync|fdatasync)\(/.test(line)) {
      counts[step]! += 1;
      if (thread === main) onMainThread[step]! += 1;
    }
  }
  return { counts, onMainThread, rows: Number(/ROWS (\d+)/.exec(stdout)?.[1]) };
}

describeIfServer(hasStrace, 'strace (apt-get install strace)')(
  'when a SQLite commit reaches the disk',
  () => {
    it('with SQLITE_SYNC=full: every commit syncs but an asynchronous one, which the next synced commit covers', async () => {
      const { counts, onMainThread, rows } = await syncsPerStep('full');
      expect(rows).toBe(30);
      expect(counts.statement).toBeGreaterThan(0);
      expect(counts['async-statements']).toBe(0);
      expect(counts.read).toBe(0);
      expect(counts['async-transaction']).toBe(0);
      // This commit syncs the WAL, with the asynchronous commits before it.
      expect(counts['statement-after']).toBeGreaterThan(0);
      expect(counts['async-then-transaction']).toBeGreaterThan(0);
      // Concurrent commits share syncs (group commit): far fewer than one each.
      expect(counts['concurrent-statements']).toBeGreaterThan(0);
      expect(counts['concurrent-statements']).toBeLessThanOrEqual(4);
      // A clean close leaves everything committed on disk, asynchronous commits included: the store
      // syncs before it returns (libsql closes the connection itself only later, at exit).
      expect(counts.end).toBeGreaterThan(0);
      // A checkpoint copied the whole WAL meanwhile: the worker started the WAL over itself (SQLite
      // syncs a new WAL's header first), so the next commit syncs once, off the event loop.
      expect(counts.idle).toBeGreaterThan(0);
      expect(counts['commit-after-idle']).toBe(1);
      // Off the event loop: no sync runs on the main thread, but the connection's own checkpoint when
      // libsql closes it at exit.
      delete onMainThread.closed;
      expect(onMainThread).toEqual(Object.fromEntries(Object.keys(onMainThread).map((step) => [step, 0])));
    }, 90_000);

    it('with offThread false: SQLite syncs inside each commit, on the main thread, asynchronous or not', async () => {
      const { counts, onMainThread, rows } = await syncsPerStep('full', false);
      expect(rows).toBe(30);
      expect(onMainThread.statement).toBeGreaterThan(0);
      expect(onMainThread['async-statements']).toBeGreaterThanOrEqual(3);
      expect(onMainThread['concurrent-statements']).toBeGreaterThanOrEqual(20);
      expect(counts.read).toBe(0);
    }, 90_000);

    it('with SQLITE_SYNC=normal: no commit syncs (only the background checkpoint does)', async () => {
      const { counts, onMainThread, rows } = await syncsPerStep('normal');
      expect(rows).toBe(30);
      // The background checkpoint while idle syncs, and the header of the WAL it starts over, off the
      // main thread; libsql's connection, closed at exit, checkpoints.
      expect(counts.idle).toBeGreaterThan(0);
      expect(onMainThread.idle).toBe(0);
      const quiet = ['closed', 'idle'];
      for (const step of Object.keys(counts).filter((k) => !quiet.includes(k)))
        expect(counts[step], step).toBe(0);
      expect(Object.keys(counts)).toContain('concurrent-statements');
    }, 90_000);
  },
);

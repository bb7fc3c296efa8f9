/**
 * Child of test/store/sqlite-sync.e2e.test.ts, run under `strace`: opens the SQLite store in DATA_DIR with
 * SQLITE_SYNC and commits in several ways, marking each step with a syscall the tracer sees
 * (`access("/wix-event-agent-mark/<step>")`), so the test counts the file syncs of each step, and on
 * which thread they ran. OFF_THREAD=false opens the store with `offThread: false`.
 */
import { accessSync } from 'node:fs';
import { openSqliteStore } from '../../src/store/sqlite.js';

const mark = (step: string) => {
  try {
    accessSync(`/wix-event-agent-mark/${step}`);
  } catch {
    // The path does not exist: the call is only a mark in the trace.
  }
};

const store = await openSqliteStore(process.env.DATA_DIR!, {
  synchronous: (process.env.SQLITE_SYNC ?? 'full') as 'full' | 'normal' | 'off',
  offThread: process.env.OFF_THREAD !== 'false',
});
await store.exec('CREATE TABLE t (id integer PRIMARY KEY, v text)');
const insert = 'INSERT INTO t (v) VALUES ($1)';

mark('statement');
await store.query(insert, ['a']);
mark('async-statements');
for (let i = 0; i < 3; i++) await store.query(insert, [`b${i}`], { asyncCommit: true });
mark('read');
await store.query('SELECT count(*) AS n FROM t');
mark('async-transaction');
await store.transaction(
  async (tx) => {
    await tx.query(insert, ['c1']);
    await tx.query(insert, ['c2']);
  },
  { asyncCommit: true },
);
mark('statement-after');
await store.query(insert, ['d']);
mark('async-then-transaction');
await store.query(insert, ['e'], { asyncCommit: true });
await store.transaction(async (tx) => {
  await tx.query(insert, ['f']);
});
mark('concurrent-statements');
await Promise.all(Array.from({ length: 20 }, (_, i) => store.query(insert, [`g${i}`])));
mark('idle');
// Long enough for the background checkpoint (every 250 ms after writes) to copy the whole WAL.
await new Promise((resolve) => setTimeout(resolve, 1200));
mark('commit-after-idle');
await store.query(insert, ['h']);
mark('end');
const { rows } = await store.query<{ n: number }>('SELECT count(*) AS n FROM t');
await store.close();
mark('closed');
process.stdout.write(`ROWS ${rows[0]!.n}\n`);

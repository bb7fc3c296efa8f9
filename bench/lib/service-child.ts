/**
 * This service (d) in its own process: `createService(loadConfig(process.env), { role })` from the real
 * composition root, listening on PORT (default 0). Prints `READY <url>`; SIGTERM stops it cleanly (so a
 * `--cpu-prof` profile is written).
 *
 * With BENCH_NO_DEDUPE=1 (an experiment, not a shipped configuration) the Kafka bus is built without the
 * store, i.e. without the `accepted_events` check and insert around each publish: it shows what that
 * dedupe costs. Everything else is the same composition root.
 *
 * With BENCH_STATS=1 (the e2e benchmark) it also times every HTTP request to the LLM emulator and to the
 * Wix emulator (by base URL, from undici's diagnostics channels), and serves `GET <url>/__bench/stats` on a second port printed as
 * `STATS <url>` before READY: CPU used, fetch time, SQLite statements, commits and WAL syncs (counted
 * by wrapping libsql's methods), and the agent runs in the store.
 */
import Database from 'libsql';
import diagnostics from 'node:diagnostics_channel';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKafkaBus } from '../../src/bus/kafka.js';
import { loadConfig } from '../../src/config/load.js';
import { createService, type Role } from '../../src/app/service.js';
import { createLogger } from '../../src/observability/logger.js';

const stats = { llm: { calls: 0, ms: 0 }, wix: { calls: 0, ms: 0 }, other: { calls: 0, ms: 0 } };
/** Time (ms) with at least one model or Wix fetch in flight (the union, not the sum). */
const outside = { ms: 0 };
/**
 * SQLite (libsql) activity: statements run and their time (synchronous, on the event-loop thread), and
 * commits (a writing statement outside a transaction, or COMMIT) and their time: with SQLITE_SYNC=full
 * each commit syncs the WAL to disk.
 */
const sqlite = {
  statements: 0,
  ms: 0,
  /** fdatasync calls of the WAL, off the event loop (what a synced commit waits for). */
  syncs: 0,
  commits: { calls: 0, ms: 0 },
  bySql: {} as Record<string, { calls: number; ms: number }>,
};
/** Calls to the `Function` constructor: zod compiling a parser for a schema it has not parsed with yet. */
const compiles = { calls: 0 };
if (process.env.BENCH_STATS === '1') {
  const real = globalThis.Function;
  globalThis.Function = new Proxy(real, {
    construct(target, args, newTarget) {
      compiles.calls++;
      return Reflect.construct(target, args, newTarget) as object;
    },
    apply(target, self, args) {
      compiles.calls++;
      return Reflect.apply(target, self, args) as unknown;
    },
  });
}
if (process.env.BENCH_STATS === '1') {
  // Count SQLite work (bench instrumentation only: wraps methods of libsql's classes). The Statement
  // class is not exported: its prototype is taken from a statement of a throwaway in-memory database.
  type Method = (this: unknown, ...args: unknown[]) => unknown;
  const probe = new Database(':memory:');
  const statementProto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, Method>;
  probe.close();
  const info = new WeakMap<object, { sql: string; writes: boolean; database: { inTransaction: boolean } }>();
  const databaseProto = Database.prototype as unknown as Record<string, Method>;
  const prepare = databaseProto.prepare!;
  databaseProto.prepare = function (this: unknown, ...args: unknown[]) {
    const statement = prepare.apply(this, args) as object;
    const sql = String(args[0]).replace(/\s+/g, ' ').trim();
    info.set(statement, {
      sql: sql.slice(0, 90),
      writes: /^(INSERT|UPDATE|DELETE|REPLACE)\b|^WITH\b.*\b(INSERT|UPDATE|DELETE)\b/i.test(sql),
      database: this as { inTransaction: boolean },
    });
    return statement;
  };
  for (const name of ['run', 'all'] as const) {
    const original = statementProto[name]!;
    statementProto[name] = function (this: unknown, ...args: unknown[]) {
      const about = info.get(this as object);
      const commits = about !== undefined && about.writes && !about.database.inTransaction;
      const t0 = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const ms = performance.now() - t0;
        sqlite.statements++;
        sqlite.ms += ms;
        if (commits) {
          sqlite.commits.calls++;
          sqlite.commits.ms += ms;
        }
        const entry = (sqlite.bySql[about?.sql ?? '?'] ??= { calls: 0, ms: 0 });
        entry.calls++;
        entry.ms += ms;
      }
    };
  }
  // WAL syncs of the store (src/store/sqlite-wal-sync.ts): FileHandle.datasync, on libuv's thread pool.
  const probeFile = await import('node:fs/promises').then((fs) => fs.open('/dev/null', 'r'));
  const fileHandleProto = Object.getPrototypeOf(probeFile) as Record<string, Method>;
  await probeFile.close();
  const datasync = fileHandleProto.datasync!;
  fileHandleProto.datasync = function (this: unknown, ...args: unknown[]) {
    sqlite.syncs++;
    return datasync.apply(this, args);
  };
  const exec = databaseProto.exec!;
  databaseProto.exec = function (this: unknown, ...args: unknown[]) {
    const t0 = performance.now();
    try {
      return exec.apply(this, args);
    } finally {
      if (args[0] === 'COMMIT') {
        const ms = performance.now() - t0;
        sqlite.commits.calls++;
        sqlite.commits.ms += ms;
        const entry = (sqlite.bySql.COMMIT ??= { calls: 0, ms: 0 });
        entry.calls++;
        entry.ms += ms;
      }
    }
  };
}
if (process.env.BENCH_STATS === '1') {
  // Union of the time any model or Wix fetch is in flight: with one event at a time (e2e --serial), the
  // run's wait on the outside; its duration minus this is the service's own overhead.
  let outsideInFlight = 0;
  let outsideSince = 0;
  const outsideStart = () => {
    if (outsideInFlight++ === 0) outsideSince = performance.now();
  };
  const outsideEnd = () => {
    if (--outsideInFlight === 0) outside.ms += performance.now() - outsideSince;
  };
  const llmBase = process.env.LLM_BASE_URL ?? '\0';
  const wixBase = process.env.WIX_API_BASE_URL ?? '\0';
  // Every HTTP request the service makes (the built-in fetch and undici's request API, which the Wix
  // client and the model providers use through lib/http-fetch.ts) is published by undici on these
  // diagnostics channels: from its creation to the end of its response body (or its error).
  const started = new WeakMap<object, { t0: number; bucket: { calls: number; ms: number } }>();
  type UndiciRequest = { origin?: string | URL; path?: string };
  diagnostics.subscribe('undici:request:create', (message) => {
    const request = (message as { request: UndiciRequest }).request;
    const url = `${String(request.origin ?? '')}${request.path ?? ''}`;
    const bucket = url.startsWith(llmBase) ? stats.llm : url.startsWith(wixBase) ? stats.wix : stats.other;
    if (bucket !== stats.other) outsideStart();
    started.set(request, { t0: performance.now(), bucket });
  });
  const settled = (message: unknown) => {
    const request = (message as { request: UndiciRequest }).request;
    const entry = started.get(request);
    if (!entry) return;
    started.delete(request);
    entry.bucket.ms += performance.now() - entry.t0;
    entry.bucket.calls++;
    if (entry.bucket !== stats.other) outsideEnd();
  };
  diagnostics.subscribe('undici:request:trailers', settled);
  diagnostics.subscribe('undici:request:error', settled);
}

const config = loadConfig(process.env);
// Logs go where the config says (stdout, JSON): the parent discards them. The level is LOG_LEVEL.
const noDedupe = process.env.BENCH_NO_DEDUPE === '1';
if (noDedupe && !config.kafka) throw new Error('BENCH_NO_DEDUPE=1 needs KAFKA_BROKERS');
const service = await createService(config, {
  role: (process.env.ROLE as Role | undefined) ?? 'ingress',
  // The handlers' own settings (ORDER_TRIAGE_EVENT, …) come from the same environment.
  env: process.env,
  logger: createLogger({ level: config.logLevel }),
  ...(noDedupe
    ? {
        bus: ({ topics, logger, registry }) =>
          createKafkaBus({ kafka: config.kafka!, topics, logger, registry /* no store: no dedupe */ }),
      }
    : {}),
});
const { url } = await service.start();

if (process.env.BENCH_STATS === '1') {
  // Events handled so far, from the service's own counter (no store query): `GET …/__bench/wait?handled=N`
  // answers once N events are handled (e2e --serial waits on it between webhooks).
  let handled = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const counter = service.metrics.eventsProcessed;
  const inc = counter.inc.bind(counter) as (labels: Record<string, string>, value?: number) => void;
  (counter as unknown as { inc: typeof inc }).inc = (labels, value) => {
    inc(labels, value);
    if (labels.outcome !== 'handled') return;
    handled += 1;
    for (const w of waiters.splice(0).filter((w) => (w.n <= handled ? (w.resolve(), false) : true)))
      waiters.push(w);
  };
  const server = createServer((req, res) => {
    const wait = /[?&]handled=(\d+)/.exec(req.url ?? '');
    if (wait) {
      const n = Number(wait[1]);
      void new Promise<void>((resolve) => (n <= handled ? resolve() : waiters.push({ n, resolve }))).then(
        () => res.end(String(handled)),
      );
      return;
    }
    void (async () => {
      const { rows } = await service.store.query<Record<string, unknown>>(
        `SELECT status, CAST(count(*) AS integer) AS runs,
                CAST(coalesce(sum(duration_ms), 0) AS double precision) AS duration_ms,
                CAST(coalesce(sum(steps), 0) AS integer) AS steps,
                CAST(coalesce(sum(tool_calls), 0) AS integer) AS tool_calls,
                min(started_at) AS first_started, max(finished_at) AS last_finished
           FROM agent_runs GROUP BY status`,
      );
      const processed = await service.store.query<{ n: number; last: unknown }>(
        'SELECT CAST(count(*) AS integer) AS n, max(processed_at) AS last FROM processed_events',
      );
      // These two statements are the benchmark's, not the service's.
      if (service.store.kind === 'sqlite') sqlite.statements -= 2;
      const cpu = process.cpuUsage();
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          at: Date.now(),
          cpuMs: (cpu.user + cpu.system) / 1000,
          fetch: stats,
          outsideMs: outside.ms,
          sqlite,
          compiles: compiles.calls,
          runs: rows,
          processed: processed.rows[0]?.n ?? 0,
          lastProcessedAt: processed.rows[0]?.last ?? null,
          rssBytes: process.memoryUsage().rss,
        }),
      );
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(`STATS http://127.0.0.1:${(server.address() as AddressInfo).port}/__bench/stats\n`);
  process.once('SIGTERM', () => server.close());
}

process.stdout.write(`READY ${url}\n`);
process.once('SIGTERM', () => {
  void service.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});

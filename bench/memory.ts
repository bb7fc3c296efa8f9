/**
 * Memory of this service under the ingress load and after it: VmRSS and VmHWM of the server process
 * from /proc/<pid>/status every 100 ms, through four phases: ready → idle (before, "at rest") → load
 * (50 connections, autocannon pinned to the other core) → idle (after). Runs the default (d: `serve`
 * with only a key, embedded bus on SQLite) and, when reachable, d-pg (embedded bus on the Postgres
 * server); any mode of bench/lib/servers.ts can be named. An embedded run first starts and stops the
 * service once on its data directory (its VmHWM is reported as `first start`: the database created and
 * migrated), then measures a second start on the same directory, as a restarted service would be.
 *
 * By default it measures what `npm start` runs: the build (`npm run build` first), `node dist/cli/index.js
 * serve`; `--runner src` runs bench/lib/service-child.ts under tsx instead (the loader adds ≈ 35 MB).
 *
 *   node --import tsx bench/memory.ts [--duration 15] [--connections 50] [--idle-before 3] [--idle-after 10]
 *     [--servers d,d-pg] [--pool 15000] [--log-level info] [--postgres-url postgres://...] [--runner cli|src]
 *
 * Prints a table, then one JSON object with the figures as the last line.
 */
import { spawnSync } from 'node:child_process';
import {
  machine,
  num,
  options,
  printJson,
  repoRoot,
  round,
  runNodeJson,
  sleep,
  table,
  tempDir,
} from './lib/common.js';
import { ensurePool } from './lib/pool.js';
import { cpuPct, mb, readProc, sampleProc, type ProcSample } from './lib/procstat.js';
import {
  isService,
  loadArgs,
  openLab,
  postgresReachable,
  usesPostgres,
  type LoadResult,
  type ServerName,
} from './lib/servers.js';

const o = options({
  duration: '15',
  connections: '50',
  'idle-before': '3',
  'idle-after': '10',
  servers: 'd,d-pg',
  pool: '15000',
  'log-level': 'info',
  'postgres-url': process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  'broker-cpu': '1',
  runner: 'cli',
});
const duration = num(o.duration, 'duration');
/** `cli`: measure the build as `npm start` runs it (built first); `src`: bench/lib/service-child.ts under tsx. */
const runner = o.runner;
if (runner !== 'cli' && runner !== 'src') throw new Error('--runner: cli or src');
if (runner === 'cli') {
  console.log('building (npm run build) to measure dist/cli/index.js serve …');
  const build = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'ignore' });
  if (build.status !== 0) throw new Error('npm run build failed');
}
const connections = num(o.connections, 'connections');
const idleBefore = num(o['idle-before'], 'idle-before');
const idleAfter = num(o['idle-after'], 'idle-after');

const m = machine();
const pool = await ensurePool(num(o.pool, 'pool'));
let servers = o.servers.split(',').map((s) => s.trim()) as ServerName[];
for (const s of servers) if (!isService(s)) throw new Error(`--servers: ${s} is not a mode of this service`);
if (servers.some(usesPostgres) && !(await postgresReachable(o['postgres-url']))) {
  console.log(`${servers.filter(usesPostgres).join(', ')} skipped: ${o['postgres-url']} not reachable`);
  servers = servers.filter((s) => !usesPostgres(s));
}
const lab = await openLab({
  serverCpu: 0,
  brokerCpu: num(o['broker-cpu'], 'broker-cpu'),
  logLevel: o['log-level'],
  postgresUrl: o['postgres-url'],
});

interface MemoryFigures {
  server: ServerName;
  /** Embedded modes only: VmHWM of a first start on an empty data directory, before the measured restart. */
  firstStartHwmMb: number | null;
  rssAtReadyMb: number;
  rssIdleBeforeMb: number;
  peakRssUnderLoadMb: number;
  medianRssUnderLoadMb: number;
  rssEndOfLoadMb: number;
  rssAfterMb: number;
  vmHwmMb: number;
  reqPerSec: number;
  p99Ms: number;
  serverCpuPct: number;
  samples: number;
  /** RSS every second (MB), for a plot. */
  timelineMb: { phase: string; t: number; rssMb: number }[];
}

const results: MemoryFigures[] = [];
try {
  for (const server of servers) {
    let firstStartHwmMb: number | null = null;
    const data = usesPostgres(server) ? undefined : tempDir('mem-embedded');
    if (data) {
      const first = await lab.start(server, `${server}-mem-first`, {
        dataDir: `${data.path}/data`,
        cli: runner === 'cli',
      });
      firstStartHwmMb = mb(readProc(first.node.pid)?.hwmKb ?? NaN);
      await first.node.stop();
    }
    const s = await lab.start(server, `${server}-mem`, {
      ...(data ? { dataDir: `${data.path}/data` } : {}),
      cli: runner === 'cli',
    });
    try {
      const sampler = sampleProc(s.node.pid, 100);
      const t0 = sampler.samples[0]!.t;
      const ready = sampler.samples[0]!;
      await lab.probe(s);
      await sleep(idleBefore * 1000);
      const idle = sampler.now()!;
      const loadStart = performance.now();
      const load = await runNodeJson<LoadResult>('bench/lib/load.ts', {
        cpu: 1,
        args: loadArgs({ url: s.webhookUrl, pool: pool.file, connections, duration, warmup: 0 }),
      });
      const endOfLoad = sampler.now()!;
      await sleep(idleAfter * 1000);
      const samples = sampler.stop();
      const after = samples.at(-1)!;
      const during = samples.filter((x) => x.t >= loadStart && x.t <= endOfLoad.t);
      const sorted = during.map((x) => x.rssKb).sort((a, b) => a - b);
      const phase = (x: ProcSample) => (x.t < loadStart ? 'before' : x.t <= endOfLoad.t ? 'load' : 'after');
      const timeline = samples.filter((_, i) => i % 10 === 0);
      results.push({
        server,
        firstStartHwmMb,
        rssAtReadyMb: mb(ready.rssKb),
        rssIdleBeforeMb: mb(idle.rssKb),
        peakRssUnderLoadMb: mb(Math.max(...during.map((x) => x.rssKb))),
        medianRssUnderLoadMb: mb(sorted[Math.floor(sorted.length / 2)] ?? NaN),
        rssEndOfLoadMb: mb(endOfLoad.rssKb),
        rssAfterMb: mb(after.rssKb),
        vmHwmMb: mb(after.hwmKb),
        reqPerSec: round(load.reqPerSec, 0),
        p99Ms: load.latencyMs.p99,
        serverCpuPct: round(cpuPct(during[0], during.at(-1)), 0),
        samples: samples.length,
        timelineMb: timeline.map((x) => ({
          phase: phase(x),
          t: round((x.t - t0) / 1000, 1),
          rssMb: mb(x.rssKb),
        })),
      });
    } finally {
      await s.node.stop();
      await s.cleanup();
      data?.remove();
    }
  }
} finally {
  await lab.close();
}

console.log(
  `Memory of the service process (\`serve\`, role all, no Wix credentials), VmRSS/VmHWM sampled every 100 ms; ` +
    `${idleBefore} s idle, ${duration} s at ${connections} connections, ${idleAfter} s idle after; ${m.pinning}`,
);
console.log(
  table(
    [
      'server',
      'first start HWM MB',
      'ready MB',
      'at rest MB',
      'peak load MB',
      'median load MB',
      'end of load MB',
      `after ${idleAfter} s MB`,
      'VmHWM MB',
      'req/s',
      'p99 ms',
    ],
    results.map((r) => [
      r.server,
      r.firstStartHwmMb ?? '-',
      r.rssAtReadyMb,
      r.rssIdleBeforeMb,
      r.peakRssUnderLoadMb,
      r.medianRssUnderLoadMb,
      r.rssEndOfLoadMb,
      r.rssAfterMb,
      r.vmHwmMb,
      r.reqPerSec,
      r.p99Ms,
    ]),
  ),
);
const d = results.find((r) => r.server === 'd');
if (d)
  console.log(
    `target (issue 13) for d: at rest ≤ 150 MB: ${d.rssIdleBeforeMb <= 150 ? 'MET' : 'NOT MET'} (${d.rssIdleBeforeMb} MB); ` +
      `peak under load ≤ 250 MB: ${d.peakRssUnderLoadMb <= 250 ? 'MET' : 'NOT MET'} (${d.peakRssUnderLoadMb} MB)`,
  );
printJson({
  bench: 'memory',
  date: new Date().toISOString(),
  machine: m,
  settings: { duration, connections, idleBefore, idleAfter, logLevel: o['log-level'], runner },
  results,
});

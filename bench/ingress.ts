/**
 * Ingress throughput and latency: valid RS256 `order_created` webhooks (a pool of distinct signed
 * bodies, 6–20 KB) at 50 connections, side by side in one run:
 *   a                 raw node:http that only reads the body (transport ceiling; not run by default)
 *   b                 verify ceiling: raw node:http + the project's verify / unwrap / validate / bus record, no bus
 *   c                 typical receiver: Express + @wix/sdk + one kafkajs send per request (bench/peers/typical-express-wix-sdk.ts)
 *   d                 this service as `serve` with only a key: embedded bus, SQLite store (the default)
 *   d-pg              the same with DATABASE_URL: embedded bus on the Postgres server, when reachable
 *   d-kafka           KAFKA_BROKERS: Kafka bus (mock broker), SQLite store (accepted_events dedupe)
 *   d-kafka-pg        KAFKA_BROKERS + DATABASE_URL: Kafka bus, Postgres store
 *   d-kafka-nodedupe  experiment: d-kafka with the Kafka bus built without the store (not run by default)
 *   d-console         experiment: d with ADMIN_TOKEN, the console on (each webhook also goes to its arrivals log)
 *   d-console-pg      experiment: d-pg with ADMIN_TOKEN (not run by default, like d-console)
 * Each server runs in its own process pinned to core 0 (taskset), autocannon in another pinned to core 1;
 * every round restarts every server with an empty store, and rounds interleave the servers (rotating
 * the order). Before measuring, one probe request must get 200 and the right body and, for c and the
 * Kafka modes, land in Kafka; after each round the records in Kafka (or, for the embedded bus, the
 * rows in its queue table, counted once the server stopped) are compared with the 2xx answers. Then one
 * round per server at a fixed rate below saturation (latency when not overloaded), and CPU profiles of
 * the servers named by --profile under the same load, cut to the measured part.
 *
 *   node --import tsx bench/ingress.ts [--duration 8] [--warmup 2] [--connections 50] [--rounds 3]
 *     [--pool 15000] [--servers b,c,d,d-pg,d-kafka,d-kafka-pg] [--profile d] [--profile-duration 8]
 *     [--log-level info] [--postgres-url postgres://postgres@127.0.0.1:5432/test] [--broker-cpu 1]
 *     [--fixed-rate 300] [--fixed-rate-servers c,d,d-pg]   (an extra round below saturation; 0 = skip)
 * (or BENCH_DURATION, BENCH_ROUNDS, ... in the environment; BENCH_KEEP_PROFILE=<dir> keeps the raw
 * .cpuprofile files of --profile in <dir>/<server>/ for `bench/lib/profile-summary.ts --top N`)
 *
 * Prints tables, then one JSON object with every figure as the last line.
 */
import {
  machine,
  num,
  options,
  printJson,
  round,
  runNodeJson,
  showSpread,
  spread,
  table,
  tempDir,
  type Spread,
} from './lib/common.js';
import { ensurePool } from './lib/pool.js';
import { cpuPct, machineCores, mb, readMachineCpu, readProc, sampleProc } from './lib/procstat.js';
import {
  printProfileSummary,
  profileIn,
  summarizeProfile,
  type ProfileSummary,
} from './lib/profile-summary.js';
import {
  loadArgs,
  openLab,
  postgresReachable,
  serverDescriptions,
  isService,
  usesPostgres,
  type LoadResult,
  type ServerName,
} from './lib/servers.js';

const o = options({
  duration: '8',
  warmup: '2',
  connections: '50',
  rounds: '3',
  pool: '30000',
  servers: 'b,c,d,d-pg,d-kafka,d-kafka-pg',
  profile: 'd',
  'profile-duration': '8',
  'log-level': 'info',
  'postgres-url': process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  'broker-cpu': '1',
  /** One extra round per server at this fixed total rate (req/s), below saturation; 0 = skip. */
  'fixed-rate': '300',
  'fixed-rate-servers': 'c,d,d-pg',
});
const fixedRate = num(o['fixed-rate'], 'fixed-rate');
const duration = num(o.duration, 'duration');
const warmup = num(o.warmup, 'warmup');
const connections = num(o.connections, 'connections');
const rounds = num(o.rounds, 'rounds');
const profileSeconds = num(o['profile-duration'], 'profile-duration');
const SERVER_CPU = 0;
const LOAD_CPU = 1;

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean) as ServerName[];
const wanted = list(o.servers);
for (const s of [...wanted, ...list(o.profile)])
  if (!(s in serverDescriptions)) throw new Error(`unknown server ${s}`);

interface RoundFigures {
  server: ServerName;
  round: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  non2xx: number;
  serverCpuPct: number;
  cpuUsPerReq: number;
  peakRssMb: number;
  loadCpuPct: number;
  brokerCpuPct: number;
  otherCpuPct: number;
  /**
   * Records the server made durable in the round (probe, warm-up and measured part): Kafka records for
   * c and the Kafka modes, rows in the embedded bus's queue for d and d-pg.
   */
  kafkaRecords: number | null;
  /** 2xx answers seen by the client in the round (probe + warm-up + measured part). */
  answered2xx: number;
  /** d only: webhooks answered `duplicate` during the load (the pool wrapped around): should be 0. */
  duplicates: number | null;
}

const m = machine();
console.log(
  `ingress benchmark: ${connections} connections, ${rounds} round(s) × ${duration} s (+${warmup} s warm-up), ` +
    `${m.cores} cores (${m.cpuModel}), node ${m.node}`,
);
console.log(`pinning: ${m.pinning}; load average at start ${m.loadAvg1mAtStart}`);

const pool = await ensurePool(num(o.pool, 'pool'));
console.log(
  `pool: ${pool.count} distinct signed order_created webhooks, ${mb(pool.bytes / 1024)} MB` +
    (pool.reused ? ' (reused from an earlier run)' : `, signed in ${pool.signMs} ms`),
);
const pgAvailable = wanted.some(usesPostgres) && (await postgresReachable(o['postgres-url']));
const servers = wanted.filter((s) => !usesPostgres(s) || pgAvailable);
if (wanted.some(usesPostgres) && !pgAvailable)
  console.log(`${wanted.filter(usesPostgres).join(', ')} skipped: ${o['postgres-url']} not reachable`);

const lab = await openLab({
  serverCpu: SERVER_CPU,
  brokerCpu: num(o['broker-cpu'], 'broker-cpu'),
  logLevel: o['log-level'],
  postgresUrl: o['postgres-url'],
});
console.log(
  `Kafka: librdkafka mock cluster (kcat, 1 broker, in memory) at ${lab.broker.bootstrap}, ` +
    (lab.brokerPinned
      ? `pinned to core ${o['broker-cpu']} (shares it with the load generator)`
      : 'not pinned (shares the cores)'),
);

async function measure(server: ServerName, roundNo: number, rate = 0): Promise<RoundFigures> {
  const s = await lab.start(server, `${server}-r${roundNo}${rate ? '-fixed' : ''}`);
  try {
    await lab.probe(s);
    const outcomesBefore = isService(server) ? await lab.webhookOutcomes(s.baseUrl) : {};
    const sampler = sampleProc(s.node.pid, 100);
    const machine0 = readMachineCpu();
    const broker0 = readProc(lab.broker.pid);
    const load = await runNodeJson<LoadResult>('bench/lib/load.ts', {
      cpu: LOAD_CPU,
      args: loadArgs({ url: s.webhookUrl, pool: pool.file, connections, duration, warmup, rate }),
    });
    const samples = sampler.stop();
    const machineUsed = machineCores(machine0, readMachineCpu()) * 100;
    const brokerCpu = cpuPct(broker0, readProc(lab.broker.pid));
    const serverWhole = cpuPct(samples[0], samples.at(-1));
    const end = samples.at(-1);
    const from = samples.find((x) => end && x.t >= end.t - duration * 1000) ?? samples[0];
    const serverCpu = cpuPct(from, end);
    const answered2xx =
      1 +
      load.warmupRequests +
      Object.entries(load.statusCodes)
        .filter(([code]) => code.startsWith('2'))
        .reduce((sum, [, n]) => sum + n, 0);
    let kafkaRecords: number | null = null;
    if (s.topic) {
      await new Promise((r) => setTimeout(r, 300)); // requests cut off at the end may still be publishing
      kafkaRecords = await lab.recordsIn(s.topic);
    }
    let duplicates: number | null = null;
    if (isService(server)) {
      const after = await lab.webhookOutcomes(s.baseUrl);
      duplicates = (after.duplicate ?? 0) - (outcomesBefore.duplicate ?? 0);
    }
    if (s.queue) {
      await s.node.stop();
      kafkaRecords = await lab.queuedRows(s);
    }
    return {
      server,
      round: roundNo,
      reqPerSec: round(load.reqPerSec, 0),
      p50Ms: load.latencyMs.p50,
      p99Ms: load.latencyMs.p99,
      maxMs: load.latencyMs.max,
      errors: load.errors + load.timeouts,
      non2xx: load.non2xx,
      serverCpuPct: round(serverCpu, 0),
      cpuUsPerReq: round(((serverCpu / 100) * 1e6) / Math.max(1, load.reqPerSec), 0),
      peakRssMb: mb(Math.max(...samples.map((x) => x.rssKb))),
      loadCpuPct: round(load.loadCpuPct, 0),
      brokerCpuPct: round(brokerCpu, 0),
      // Everything else on the machine during warm-up + measurement, in % of one core: machine total −
      // server − load generator − broker = kernel network work, Postgres (d-pg), other people's processes.
      otherCpuPct: round(Math.max(0, machineUsed - serverWhole - load.loadCpuPct - brokerCpu), 0),
      kafkaRecords,
      answered2xx,
      duplicates,
    };
  } finally {
    await s.node.stop();
    await s.cleanup();
  }
}

/**
 * `node --cpu-prof` on the server child under the same load; the summary keeps only the samples of the
 * measured part (the load child reports it on the machine's monotonic clock), so start-up (migrations,
 * module compilation) and warm-up are left out.
 */
async function profileServer(server: ServerName): Promise<ProfileSummary> {
  const dir = tempDir('cpuprof');
  try {
    const s = await lab.start(server, `${server}-profile`, {
      nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir.path}`],
    });
    let load: LoadResult;
    try {
      await lab.probe(s);
      load = await runNodeJson<LoadResult>('bench/lib/load.ts', {
        cpu: LOAD_CPU,
        args: loadArgs({ url: s.webhookUrl, pool: pool.file, connections, duration: profileSeconds, warmup }),
      });
    } finally {
      await s.node.stop();
      await s.cleanup();
    }
    const summary = summarizeProfile(profileIn(dir.path), 15, {
      fromUs: load.measuredFromUs,
      toUs: load.measuredToUs,
    });
    summary.what =
      `of ${server} (${serverDescriptions[server]}): ${profileSeconds} s at ${connections} connections, ` +
      `${round(load.reqPerSec, 0)} req/s while profiled (measured part only)`;
    return summary;
  } finally {
    if (process.env.BENCH_KEEP_PROFILE) {
      const { cpSync } = await import('node:fs');
      cpSync(dir.path, `${process.env.BENCH_KEEP_PROFILE}/${server}`, { recursive: true });
    }
    dir.remove();
  }
}

const results: RoundFigures[] = [];
const fixed: RoundFigures[] = [];
const profiles: ProfileSummary[] = [];
try {
  for (let r = 1; r <= rounds; r++) {
    // Rotate the order each round so no server always runs first (or right after the heaviest one).
    const order = servers.map((_, i) => servers[(i + r - 1) % servers.length]!);
    for (const server of order) {
      const f = await measure(server, r);
      results.push(f);
      console.log(
        `round ${r} ${server.padEnd(10)} ${String(f.reqPerSec).padStart(6)} req/s  p50 ${f.p50Ms} ms  p99 ${f.p99Ms} ms  ` +
          `errors ${f.errors}  non-2xx ${f.non2xx}  CPU % server ${f.serverCpuPct} load ${f.loadCpuPct} ` +
          `broker ${f.brokerCpuPct} other ${f.otherCpuPct}` +
          (f.kafkaRecords !== null ? `  records ${f.kafkaRecords} / 2xx ${f.answered2xx}` : '') +
          (f.duplicates ? `  DUPLICATES ${f.duplicates} (pool too small: raise --pool)` : ''),
      );
    }
  }
  if (fixedRate > 0) {
    for (const server of list(o['fixed-rate-servers']).filter((x) => servers.includes(x))) {
      const f = await measure(server, 0, fixedRate);
      fixed.push(f);
      console.log(
        `fixed ${fixedRate} req/s ${server.padEnd(10)} ${String(f.reqPerSec).padStart(6)} req/s  p50 ${f.p50Ms} ms  ` +
          `p99 ${f.p99Ms} ms  max ${f.maxMs} ms  errors ${f.errors}  non-2xx ${f.non2xx}  CPU % server ${f.serverCpuPct}`,
      );
    }
  }
  if (profileSeconds > 0) {
    for (const server of list(o.profile).filter((s) => !usesPostgres(s) || pgAvailable))
      profiles.push(await profileServer(server));
  }
} finally {
  await lab.close();
}

interface Summary {
  server: ServerName;
  description: string;
  rounds: number;
  reqPerSec: Spread;
  p50Ms: Spread;
  p99Ms: Spread;
  errors: number;
  non2xx: number;
  serverCpuPct: Spread;
  cpuUsPerReq: Spread;
  peakRssMb: Spread;
  loadCpuPct: Spread;
  brokerCpuPct: Spread;
  otherCpuPct: Spread;
  kafkaRecordsLanded: number | null;
  answered2xx: number;
  /** Every 2xx has its record in Kafka or the queue (records ≥ 2xx answers); null when not counted. */
  kafkaOk: boolean | null;
  duplicates: number | null;
}
const summary: Summary[] = servers.map((server) => {
  const rs = results.filter((r) => r.server === server);
  const total = (f: (r: RoundFigures) => number | null) =>
    rs.some((r) => f(r) !== null) ? rs.reduce((a, r) => a + (f(r) ?? 0), 0) : null;
  const landed = total((r) => r.kafkaRecords);
  const answered2xx = rs.reduce((a, r) => a + r.answered2xx, 0);
  return {
    server,
    description: serverDescriptions[server],
    rounds: rs.length,
    reqPerSec: spread(
      rs.map((r) => r.reqPerSec),
      0,
    ),
    p50Ms: spread(
      rs.map((r) => r.p50Ms),
      1,
    ),
    p99Ms: spread(
      rs.map((r) => r.p99Ms),
      1,
    ),
    errors: rs.reduce((a, r) => a + r.errors, 0),
    non2xx: rs.reduce((a, r) => a + r.non2xx, 0),
    serverCpuPct: spread(
      rs.map((r) => r.serverCpuPct),
      0,
    ),
    cpuUsPerReq: spread(
      rs.map((r) => r.cpuUsPerReq),
      0,
    ),
    peakRssMb: spread(
      rs.map((r) => r.peakRssMb),
      0,
    ),
    loadCpuPct: spread(
      rs.map((r) => r.loadCpuPct),
      0,
    ),
    brokerCpuPct: spread(
      rs.map((r) => r.brokerCpuPct),
      0,
    ),
    otherCpuPct: spread(
      rs.map((r) => r.otherCpuPct),
      0,
    ),
    kafkaRecordsLanded: landed,
    answered2xx,
    kafkaOk: landed === null ? null : landed >= answered2xx,
    duplicates: total((r) => r.duplicates),
  };
});
const med = (s: ServerName) => summary.find((x) => x.server === s)?.reqPerSec.median;
const ratio = (x: number | undefined, y: number | undefined) => (x && y ? round(x / y, 2) : null);
const dServers = servers.filter(isService);
/**
 * d ÷ c within each round (the servers of a round run minutes apart at most), so a machine that speeds
 * up or slows down between rounds moves both sides of the ratio: its spread shows what one run's ratio
 * can be trusted to.
 */
const perRoundOverC = (d: ServerName) =>
  results
    .filter((r) => r.server === d)
    .map((r) => {
      const c = results.find((x) => x.server === 'c' && x.round === r.round);
      return c && c.reqPerSec > 0 ? round(r.reqPerSec / c.reqPerSec, 2) : null;
    })
    .filter((x): x is number => x !== null);
const ratios = Object.fromEntries(
  dServers.map((d) => {
    const rounds = perRoundOverC(d);
    return [
      d,
      {
        overC: ratio(med(d), med('c')),
        overB: ratio(med(d), med('b')),
        overA: ratio(med(d), med('a')),
        overCPerRound: rounds.length ? { rounds, ...spread(rounds, 2) } : null,
      },
    ];
  }),
);
/** Servers that show what one part costs, not a shipped mode the targets are about. */
const experiments: ServerName[] = ['d-kafka-nodedupe', 'd-console', 'd-console-pg'];
/** Issue 13: the default ≥ 2 × c in ≤ 250 MB; Postgres modes ≥ 2.5 × c; p99 ≤ 40 ms everywhere. */
const targetOverC = (d: ServerName) => (d === 'd' ? 2 : usesPostgres(d) ? 2.5 : null);
const targets = Object.fromEntries(
  dServers
    .filter((d) => !experiments.includes(d) && servers.includes('c'))
    .map((d) => {
      const s = summary.find((x) => x.server === d)!;
      const overC = ratios[d]?.overC ?? null;
      const want = targetOverC(d);
      return [
        d,
        {
          throughputTargetOverC: want,
          throughputMet: want === null ? null : overC !== null && overC >= want,
          overC,
          p99AtMost40ms: s.p99Ms.median <= 40,
          p99Ms: s.p99Ms.median,
          ...(d === 'd'
            ? { peakRssAtMost250Mb: s.peakRssMb.median <= 250, peakRssMb: s.peakRssMb.median }
            : {}),
        },
      ];
    }),
);

console.log('');
console.log(
  `Ingress, ${connections} connections, median (min–max) of ${rounds} round(s) of ${duration} s; ` +
    `server pinned to core ${SERVER_CPU}, load generator to core ${LOAD_CPU}`,
);
console.log(
  table(
    [
      'server',
      'req/s',
      'p50 ms',
      'p99 ms',
      'err',
      'non2xx',
      'server CPU %',
      'CPU µs/req',
      'peak RSS MB',
      'load CPU %',
      'broker CPU %',
      'other CPU %',
      'records / 2xx',
    ],
    summary.map((s) => [
      s.server,
      showSpread(s.reqPerSec),
      showSpread(s.p50Ms),
      showSpread(s.p99Ms),
      s.errors,
      s.non2xx,
      s.serverCpuPct.median,
      s.cpuUsPerReq.median,
      s.peakRssMb.median,
      s.loadCpuPct.median,
      s.brokerCpuPct.median,
      s.otherCpuPct.median,
      s.kafkaRecordsLanded === null
        ? '-'
        : `${s.kafkaRecordsLanded} / ${s.answered2xx} ${s.kafkaOk ? 'ok' : 'MISSING'}`,
    ]),
  ),
);
for (const s of summary) console.log(`  ${s.server}: ${s.description}`);
console.log(
  '  CPU % = share of one core (server and load generator are each pinned to one). other CPU % = the rest of ' +
    'the machine during the round: kernel network work (softirq, ~10 %), the Postgres server for d-pg, and ' +
    "other users' processes (noise). peak RSS of d includes creating its database (each round starts on an " +
    'empty data dir; the memory benchmark measures a restarted service).',
);
console.log(
  '  Kafka rec / 2xx: records in the topic after the rounds / 2xx answers (probe + warm-up + measured); ' +
    'records exceed 2xx by the requests in flight when autocannon stops (≤ 2 × connections a round).',
);
console.log('');
for (const [d, r] of Object.entries(ratios))
  console.log(
    `ratios ${d}: ${d}/c ${r.overC}  ${d}/b ${r.overB}  ${d}/a ${r.overA}` +
      (r.overCPerRound
        ? `  (${d}/c round by round: ${r.overCPerRound.rounds.join(', ')}; median ${r.overCPerRound.median})`
        : ''),
  );
for (const [d, t] of Object.entries(targets))
  console.log(
    `target (issue 13) for ${d}: ` +
      (t.throughputTargetOverC === null
        ? ''
        : `throughput ≥ ${t.throughputTargetOverC} × c: ${t.throughputMet ? 'MET' : 'NOT MET'} (${t.overC}×); `) +
      `p99 ≤ 40 ms: ${t.p99AtMost40ms ? 'MET' : 'NOT MET'} (${t.p99Ms} ms)` +
      ('peakRssMb' in t
        ? `; peak RSS ≤ 250 MB: ${t.peakRssAtMost250Mb ? 'MET' : 'NOT MET'} (${t.peakRssMb} MB)`
        : ''),
  );
if (fixed.length) {
  console.log('');
  console.log(
    `Below saturation: one round of ${duration} s, open loop at a steady ${fixedRate} req/s over ≤ ${connections} connections (latency from each request's scheduled time)`,
  );
  console.log(
    table(
      ['server', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors', 'non2xx', 'server CPU %'],
      fixed.map((f) => [
        f.server,
        f.reqPerSec,
        f.p50Ms,
        f.p99Ms,
        f.maxMs,
        f.errors,
        f.non2xx,
        f.serverCpuPct,
      ]),
    ),
  );
}
for (const p of profiles) {
  console.log('');
  printProfileSummary(p);
}

printJson({
  bench: 'ingress',
  date: new Date().toISOString(),
  machine: m,
  settings: {
    connections,
    duration,
    warmup,
    rounds,
    pool: pool.count,
    logLevel: o['log-level'],
    brokerPinned: lab.brokerPinned,
  },
  summary,
  ratios,
  targets,
  rounds: results,
  fixedRate: fixedRate > 0 ? { rate: fixedRate, rounds: fixed } : null,
  profiles,
});

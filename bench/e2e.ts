/**
 * End to end: signed order_created webhooks → ingress → bus → consumer → order-triage agent (sandbox
 * model, answering at once from the LLM emulator) → tools → Wix emulator (no rate limit), on the
 * embedded bus and on Kafka (mock broker; the sites' ids are chosen to spread over its 4 partitions). The service (`createService`, role all, the sandbox env of
 * test/support/agent-env.ts) runs in a child pinned to core 0; the emulators and the webhook sender run
 * in this process pinned to core 1. Events are fixture orders cloned with fresh event and order ids over
 * several sites, mostly from new buyers (one in five from a returning buyer), all seeded into the Wix
 * emulator first. After a warm-up (which also covers Kafka's first
 * group join), N events are sent and the benchmark waits until every one is processed.
 *
 * Per event it reports: events/s, run duration, model calls and time in them (fetches to the LLM
 * emulator, timed inside the service process), Wix calls and time, the agent overhead without model
 * time, and the service process's CPU. The service's own Wix limiter is raised (WIX_RATE_LIMIT_PER_MINUTE)
 * so it measures the pipeline, not the limit; the limiter's achieved rate against the emulator's limit
 * comes from bench/wix-limiter.ts, run as a child (its JSON is included).
 *
 *   node --import tsx bench/e2e.ts [--events 200] [--warmup-events 8] [--sites 8] [--concurrency 16]
 *     [--buses embedded,kafka] [--rate-limit-per-minute 1000000] [--log-level info] [--limiter on|off]
 *     [--serial on|off]   (on: one event at a time; adds "excl. model+Wix": the run minus the union of
 *                          time a model or Wix fetch was in flight, i.e. the service's own time per run)
 *
 * Prints a table, then one JSON object with every figure as the last line.
 */
import { join } from 'node:path';
import { loadFixtures } from '../src/sandbox/fixtures.js';
import { seedFromFixtures } from '../src/sandbox/fixture-seed.js';
import { scriptsOf, startLlmEmulator } from '../src/sandbox/llm-emulator.js';
import { builtInHandlers } from '../src/builtin/index.js';
import { startWixEmulator } from '../src/sandbox/wix-emulator.js';
import { resolveRateLimit } from '../src/wix/limiter/port.js';
import { startMockBroker, type MockBroker } from '../test/support/kafka-broker.js';
import {
  machine,
  num,
  options,
  pinPid,
  printJson,
  readPublicPem,
  round,
  runNodeJson,
  sleep,
  startNode,
  table,
  tempDir,
} from './lib/common.js';
import { fixturesDir, orderClones, signAll } from './lib/pool.js';
import {
  printProfileSummary,
  profileIn,
  summarizeProfile,
  type ProfileSummary,
} from './lib/profile-summary.js';

const o = options({
  events: '200',
  'warmup-events': '8',
  sites: '8',
  concurrency: '16',
  buses: 'embedded,kafka',
  'rate-limit-per-minute': '1000000',
  'log-level': 'info',
  limiter: 'on',
  'timeout-s': '180',
  /** Bus whose service gets an extra profiled run (`off` for none). */
  profile: 'embedded',
  'profile-events': '80',
  /** `on`: one event at a time (each webhook sent once the previous event is handled), so a run never waits for the CPU behind another. */
  serial: 'off',
});
const serial = o.serial === 'on';
const events = num(o.events, 'events');
const warmupEvents = num(o['warmup-events'], 'warmup-events');
const sites = num(o.sites, 'sites');
const concurrency = num(o.concurrency, 'concurrency');
const buses = o.buses.split(',').map((b) => b.trim()) as ('embedded' | 'kafka')[];
const timeoutMs = num(o['timeout-s'], 'timeout-s') * 1000;
const profileBus = o.profile === 'off' ? undefined : (o.profile as 'embedded' | 'kafka');
const profileEvents = num(o['profile-events'], 'profile-events');

const m = machine();
const selfPinned = pinPid(process.pid, 1);

// Emulators in this process, seeded with the fixtures and with every clone we are going to send.
const wix = await startWixEmulator({ rateLimit: false });
const llm = await startLlmEmulator({ scripts: scriptsOf(builtInHandlers) });
const clonesPerBus = buses.map(() => orderClones(warmupEvents + events, sites, { freshBuyers: true }));
const profileClones = profileBus
  ? orderClones(warmupEvents + profileEvents, sites, { freshBuyers: true })
  : [];
seedFromFixtures(wix.data, [...loadFixtures([fixturesDir]), ...clonesPerBus.flat(), ...profileClones]);
const tokensPerBus = await Promise.all(clonesPerBus.map((c) => signAll(c)));
const profileTokens = await signAll(profileClones);
const publicPem = readPublicPem();

interface Stats {
  at: number;
  cpuMs: number;
  fetch: Record<'llm' | 'wix' | 'other', { calls: number; ms: number }>;
  runs: {
    status: string;
    runs: number;
    duration_ms: number;
    steps: number;
    tool_calls: number;
  }[];
  /** Calls to the `Function` constructor so far (zod compiling a schema's parser). */
  compiles: number;
  sqlite: {
    statements: number;
    ms: number;
    syncs: number;
    commits: { calls: number; ms: number };
    bySql: Record<string, { calls: number; ms: number }>;
  };
  /** Time with a model or Wix fetch in flight (union), ms. */
  outsideMs: number;
  processed: number;
  lastProcessedAt: string | null;
  rssBytes: number;
}
const getStats = async (url: string) => (await (await fetch(url)).json()) as Stats;

/** Per statement text: calls and ms per event between two readings, most time first. */
function bySqlPerEvent(
  after: Record<string, { calls: number; ms: number }>,
  before: Record<string, { calls: number; ms: number }>,
  n: number,
) {
  return Object.entries(after)
    .map(([sql, a]) => {
      const b = before[sql] ?? { calls: 0, ms: 0 };
      return { sql, calls: round((a.calls - b.calls) / n, 2), ms: round((a.ms - b.ms) / n, 3) };
    })
    .filter((x) => x.calls > 0)
    .sort((x, y) => y.ms - x.ms);
}

async function send(
  webhookUrl: string,
  tokens: readonly string[],
  oneAtATime?: { statsUrl: string; handledBefore: number },
): Promise<{ ok: number; failed: string[] }> {
  let next = 0;
  let ok = 0;
  const failed: string[] = [];
  if (oneAtATime) {
    const waitUrl = oneAtATime.statsUrl.replace(/stats$/, `wait?handled=`);
    for (const token of tokens) {
      const res = await fetch(webhookUrl, { method: 'POST', body: token });
      const text = await res.text();
      if (res.status === 200 && text.includes('"published"')) {
        ok++;
        await (await fetch(`${waitUrl}${oneAtATime.handledBefore + ok}`)).text();
      } else failed.push(`${res.status} ${text.slice(0, 200)}`);
    }
    return { ok, failed };
  }
  await Promise.all(
    Array.from({ length: Math.min(concurrency, tokens.length) }, async () => {
      while (next < tokens.length) {
        const token = tokens[next++]!;
        const res = await fetch(webhookUrl, { method: 'POST', body: token });
        const text = await res.text();
        if (res.status === 200 && text.includes('"published"')) ok++;
        else failed.push(`${res.status} ${text.slice(0, 200)}`);
      }
    }),
  );
  return { ok, failed };
}

async function waitProcessed(statsUrl: string, target: number): Promise<Stats> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await getStats(statsUrl);
    if (s.processed >= target) return s;
    if (Date.now() > deadline) throw new Error(`only ${s.processed} of ${target} events processed in time`);
    await sleep(50);
  }
}

interface BusFigures {
  bus: string;
  events: number;
  accepted: number;
  ingestSeconds: number;
  seconds: number;
  eventsPerSec: number;
  runsByStatus: Record<string, number>;
  avgRunMs: number;
  modelCallsPerEvent: number;
  modelMsPerEvent: number;
  wixCallsPerEvent: number;
  /** Sum of Wix fetch time per event; a step's tool calls run in parallel, so it can exceed their wall time. */
  wixMsPerEvent: number;
  /**
   * Run duration minus the time waiting on the model (LLM emulator fetches; a run's model calls are
   * sequential), per event. Wall time: includes waiting for the CPU while other runs work.
   */
  agentOverheadExclModelMs: number;
  /**
   * Run duration minus the time any model or Wix fetch was in flight (their union), per event: the
   * service's own time in a run. Meaningful with --serial (one run at a time); null otherwise.
   */
  agentOverheadExclOutsideMs: number | null;
  /** CPU of the whole service process (ingress, bus, consumer, agent, store) per event. */
  serviceCpuMsPerEvent: number;
  serviceCpuPct: number;
  serviceRssMb: number;
  /** `Function` constructor calls per event after the warm-up: a schema built per call (should be 0). */
  compilesPerEvent: number;
  /** Embedded store (SQLite, the default) work per event: statements and their time (synchronous, on the event-loop thread), commits (each a WAL sync with SQLITE_SYNC=full) and their time. */
  sqlitePerEvent: {
    statements: number;
    ms: number;
    /** WAL syncs (fdatasync, off the event loop) per event. */
    syncs: number;
    commits: number;
    commitMs: number;
    bySql: { sql: string; calls: number; ms: number }[];
  };
  /** What the default limit (200/min/site) would allow with this many Wix calls per event, per site. */
  limiterBoundEventsPerSecPerSiteAt200: number;
}

let broker: MockBroker | undefined;
let runCounter = 0;

/** One service child on `bus`: warm-up, then `tokens` after the warm-up ones, until all are processed. */
async function runBus(
  bus: 'embedded' | 'kafka',
  tokens: readonly string[],
  nodeFlags: string[] = [],
): Promise<{ figures: BusFigures; window: { fromUs: number; toUs: number } }> {
  const data = tempDir(`e2e-${bus}`);
  if (bus === 'kafka' && !broker) {
    broker = await startMockBroker();
    pinPid(broker.pid, 1);
  }
  const tag = `e2e-${process.pid}-${runCounter++}`;
  let statsUrl = '';
  const child = await startNode('bench/lib/service-child.ts', {
    cpu: 0,
    nodeFlags,
    // Generous: a start on a busy shared core can be slow.
    timeoutMs: 180_000,
    onStdout: (line) => {
      const match = /^STATS (\S+)/.exec(line);
      if (match) statsUrl = match[1]!;
    },
    env: {
      ROLE: 'all',
      BENCH_STATS: '1',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: o['log-level'],
      DATA_DIR: join(data.path, 'data'),
      WIX_PUBLIC_KEY: publicPem,
      WIX_API_BASE_URL: wix.url,
      WIX_APP_ID: wix.appId,
      WIX_APP_SECRET: wix.appSecret,
      WIX_RATE_LIMIT_PER_MINUTE: o['rate-limit-per-minute'],
      LLM_PROVIDER: 'sandbox',
      LLM_BASE_URL: llm.url,
      // The benchmark sends order_created webhooks (as in earlier rounds); order-triage defaults to order_approved.
      ORDER_TRIAGE_EVENT: 'order_created',
      ...(bus === 'kafka'
        ? {
            KAFKA_BROKERS: broker!.bootstrap,
            KAFKA_IDEMPOTENT: 'false',
            KAFKA_ALLOW_AUTO_CREATE_TOPICS: 'true',
            KAFKA_SESSION_TIMEOUT_MS: '6000',
            KAFKA_TOPIC_PREFIX: `${tag}.`,
            KAFKA_GROUP_ID: tag,
          }
        : {}),
    },
  });
  try {
    if (!statsUrl) throw new Error('service child printed no STATS url');
    const webhookUrl = `${child.ready}/webhooks/wix`;
    // Warm-up: about one event per site, and (Kafka) the consumer group's first join (3 s on the mock).
    const warm = await send(webhookUrl, tokens.slice(0, warmupEvents));
    if (warm.failed.length)
      throw new Error(`warm-up webhooks refused: ${warm.failed.slice(0, 3).join('; ')}`);
    await waitProcessed(statsUrl, warmupEvents);
    const before = await getStats(statsUrl);
    const llmRequestsBefore = llm.requests.length;

    const fromUs = Number(process.hrtime.bigint() / 1000n);
    const t0 = Date.now();
    const sent = await send(
      webhookUrl,
      tokens.slice(warmupEvents),
      serial ? { statsUrl, handledBefore: warmupEvents } : undefined,
    );
    const ingestSeconds = (Date.now() - t0) / 1000;
    if (sent.failed.length) console.log(`${bus}: ${sent.failed.length} webhooks refused: ${sent.failed[0]}`);
    const after = await waitProcessed(statsUrl, warmupEvents + sent.ok);
    const toUs = Number(process.hrtime.bigint() / 1000n);
    const lastAt = after.lastProcessedAt ? new Date(after.lastProcessedAt).getTime() : after.at;
    const seconds = (lastAt - t0) / 1000;

    const sum = (st: Stats, f: (r: Stats['runs'][number]) => number) => st.runs.reduce((a, r) => a + f(r), 0);
    const n = sent.ok;
    const runsByStatus = Object.fromEntries(
      after.runs.map((r) => [r.status, r.runs - (before.runs.find((b) => b.status === r.status)?.runs ?? 0)]),
    );
    const runs = sum(after, (r) => r.runs) - sum(before, (r) => r.runs);
    const durationMs = sum(after, (r) => r.duration_ms) - sum(before, (r) => r.duration_ms);
    const d = (k: 'llm' | 'wix', f: 'calls' | 'ms') => after.fetch[k][f] - before.fetch[k][f];
    const modelMs = d('llm', 'ms') / n;
    const llmSeen = llm.requests.length - llmRequestsBefore;
    if (llmSeen !== d('llm', 'calls'))
      console.log(
        `${bus}: note: the LLM emulator saw ${llmSeen} requests, the service timed ${d('llm', 'calls')}`,
      );
    const wallMs = after.at - before.at;
    const wixCalls = d('wix', 'calls') / n;
    return {
      window: { fromUs, toUs },
      figures: {
        bus,
        events: n,
        accepted: sent.ok,
        ingestSeconds: round(ingestSeconds, 2),
        seconds: round(seconds, 2),
        eventsPerSec: round(n / seconds, 1),
        runsByStatus,
        avgRunMs: round(durationMs / Math.max(1, runs), 1),
        modelCallsPerEvent: round(d('llm', 'calls') / n, 2),
        modelMsPerEvent: round(modelMs, 1),
        wixCallsPerEvent: round(wixCalls, 2),
        wixMsPerEvent: round(d('wix', 'ms') / n, 1),
        agentOverheadExclModelMs: round(durationMs / n - modelMs, 1),
        agentOverheadExclOutsideMs: serial
          ? round((durationMs - (after.outsideMs - before.outsideMs)) / n, 1)
          : null,
        serviceCpuMsPerEvent: round((after.cpuMs - before.cpuMs) / n, 2),
        serviceCpuPct: round((100 * (after.cpuMs - before.cpuMs)) / Math.max(1, wallMs), 0),
        serviceRssMb: round(after.rssBytes / 1048576, 0),
        compilesPerEvent: round((after.compiles - before.compiles) / n, 2),
        sqlitePerEvent: {
          statements: round((after.sqlite.statements - before.sqlite.statements) / n, 1),
          ms: round((after.sqlite.ms - before.sqlite.ms) / n, 2),
          syncs: round((after.sqlite.syncs - before.sqlite.syncs) / n, 2),
          commits: round((after.sqlite.commits.calls - before.sqlite.commits.calls) / n, 1),
          commitMs: round((after.sqlite.commits.ms - before.sqlite.commits.ms) / n, 2),
          bySql: bySqlPerEvent(after.sqlite.bySql, before.sqlite.bySql, n),
        },
        // The limiter's sustained rate at 200/min (after a burst: (limit - burst) over the window plus
        // the arrival spread, src/wix/limiter/port.ts), not 200/60.
        limiterBoundEventsPerSecPerSiteAt200: round(
          1000 / resolveRateLimit({ limit: 200 }).intervalMs / Math.max(1, wixCalls),
          2,
        ),
      },
    };
  } finally {
    await child.stop();
    data.remove();
  }
}

const figures: BusFigures[] = [];
let profile: ProfileSummary | undefined;
try {
  for (const [index, bus] of buses.entries()) {
    const { figures: f } = await runBus(bus, tokensPerBus[index]!);
    figures.push(f);
    console.log(
      `${bus}: ${f.events} events in ${f.seconds} s = ${f.eventsPerSec} events/s (webhooks accepted in ${f.ingestSeconds} s), ` +
        `service CPU ${f.serviceCpuMsPerEvent} ms/event`,
    );
  }
  if (profileBus) {
    // Where the service's CPU goes end to end: an extra run under --cpu-prof, cut to the measured part.
    const dir = tempDir('e2e-cpuprof');
    let window: { fromUs: number; toUs: number } | undefined;
    try {
      const ran = await runBus(profileBus, profileTokens, ['--cpu-prof', `--cpu-prof-dir=${dir.path}`]);
      const f = ran.figures;
      window = ran.window;
      profile = summarizeProfile(profileIn(dir.path), 15, window);
      profile.what = `of the service end to end on the ${profileBus} bus: ${f.events} events, ${f.eventsPerSec} events/s while profiled (measured part only)`;
    } finally {
      // BENCH_KEEP_PROFILE=<dir> keeps the raw .cpuprofile (as bench/ingress.ts does), and the measured
      // part's bounds in window.json (for `bench/lib/profile-summary.ts --from-us … --to-us …`).
      if (process.env.BENCH_KEEP_PROFILE) {
        const { cpSync, writeFileSync } = await import('node:fs');
        const kept = `${process.env.BENCH_KEEP_PROFILE}/e2e-${profileBus}`;
        cpSync(dir.path, kept, { recursive: true });
        if (window) writeFileSync(`${kept}/window.json`, JSON.stringify(window));
      }
      dir.remove();
    }
  }
} finally {
  await broker?.stop();
  await llm.close();
  await wix.close();
}

// The limiter against the emulator's limit: bench/wix-limiter.ts in its own process.
type LimiterJson = Record<string, unknown> & {
  achievedPerSecond?: number;
  limitPerSecond?: number;
  achievedRatio?: number;
};
let limiter: LimiterJson | undefined;
if (o.limiter !== 'off') limiter = await runNodeJson<LimiterJson>('bench/wix-limiter.ts', { cpu: 1 });

console.log('');
console.log(
  `End to end (webhook → finished order-triage run), ${events} events over ${sites} sites after ${warmupEvents} warm-up; ` +
    `service pinned to core 0, emulators + sender to core 1 (${selfPinned ? 'pinned' : 'not pinned'}); LLM emulator answers at once; ` +
    `service Wix limit ${o['rate-limit-per-minute']}/min/site, emulator unlimited`,
);
console.log(
  table(
    [
      'bus',
      'events/s',
      'run ms',
      'model calls',
      'model ms',
      'Wix calls',
      'Wix ms',
      'run ms excl. model',
      'excl. model+Wix',
      'service CPU ms/event',
      'service CPU %',
      'runs',
    ],
    figures.map((f) => [
      f.bus,
      f.eventsPerSec,
      f.avgRunMs,
      f.modelCallsPerEvent,
      f.modelMsPerEvent,
      f.wixCallsPerEvent,
      f.wixMsPerEvent,
      f.agentOverheadExclModelMs,
      f.agentOverheadExclOutsideMs ?? '-',
      f.serviceCpuMsPerEvent,
      f.serviceCpuPct,
      Object.entries(f.runsByStatus)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ]),
  ),
);
console.log(
  '  per event: model / Wix calls and ms = fetches to the emulators timed inside the service (to the end of the body; ' +
    'Wix ms is summed over parallel tool calls); run ms excl. model = run duration minus model time (wall time, ' +
    'including waits for the CPU); service CPU = the whole service process (ingress, bus, consumer, agent, store).',
);
for (const f of figures) {
  console.log(
    `  ${f.bus}: schema compiles (\`Function\` constructor) per event after the warm-up: ${f.compilesPerEvent}`,
  );
  if (f.sqlitePerEvent.statements > 0)
    console.log(
      `  ${f.bus}: SQLite per event: ${f.sqlitePerEvent.statements} statements (${f.sqlitePerEvent.ms} ms on the event loop), ` +
        `${f.sqlitePerEvent.commits} commits (${f.sqlitePerEvent.commitMs} ms of it), ${f.sqlitePerEvent.syncs} WAL syncs off the event loop`,
    );
}
for (const f of figures) {
  for (const [engine, bySql, note] of [['SQLite', f.sqlitePerEvent.bySql, 'synchronous']] as const) {
    if (bySql.length === 0) continue;
    console.log(`  ${f.bus}: ${engine} statements per event (calls, ms ${note}; most time first):`);
    for (const x of bySql.slice(0, 25))
      console.log(`    ${String(x.calls).padStart(5)}  ${x.ms.toFixed(3).padStart(7)} ms  ${x.sql}`);
  }
}
for (const f of figures)
  console.log(
    `  ${f.bus}: at Wix's default 200 requests/min/site (the limiter's sustained ${round(60_000 / resolveRateLimit({ limit: 200 }).intervalMs, 0)}/min), ${f.wixCallsPerEvent} Wix calls per event cap one site at ` +
      `${f.limiterBoundEventsPerSecPerSiteAt200} events/s`,
  );
if (profile) {
  console.log('');
  printProfileSummary(profile);
}
if (limiter)
  console.log(
    `limiter (bench/wix-limiter.ts): achieved ${limiter.achievedPerSecond}/s of a ${limiter.limitPerSecond}/s emulator limit ` +
      `(${round(Number(limiter.achievedRatio) * 100, 1)}%), 429s ${String(limiter.rateLimited429)}`,
  );
printJson({
  bench: 'e2e',
  date: new Date().toISOString(),
  machine: m,
  settings: {
    events,
    warmupEvents,
    sites,
    concurrency,
    rateLimitPerMinute: Number(o['rate-limit-per-minute']),
    logLevel: o['log-level'],
    serial,
    llmLatencyMs: 0,
  },
  figures,
  limiter: limiter ?? null,
  profile: profile ?? null,
});

/**
 * Runs the benchmarks (all, or those named) one after another, each in its own process, shows their
 * output, then a short summary, and as the last line one JSON object holding every benchmark's JSON.
 *
 *   npm run bench                      # all: ingress micro e2e http memory limiter batching
 *   npm run bench -- ingress micro     # some
 *   npm run bench -- ingress --rounds 5 --duration 10   # flags go to ingress, micro, e2e and memory
 *   BENCH_ROUNDS=5 npm run bench       # or as BENCH_* environment variables
 *
 * limiter = bench/wix-limiter.ts, batching = bench/ingress-kafka-batching.ts and http = bench/http-client.ts
 * run with their defaults.
 */
import { machine, round, runNodeJson, table } from './lib/common.js';

interface Bench {
  script: string;
  /** Takes the shared flags (our benchmarks parse them leniently; the two older scripts do not). */
  flags: boolean;
  cpu?: number;
  about: string;
}
const benches: Record<string, Bench> = {
  ingress: {
    script: 'bench/ingress.ts',
    flags: true,
    about:
      'HTTP ingress: every mode of the service, the typical receiver and the verify ceiling, + CPU profile',
  },
  micro: {
    script: 'bench/micro.ts',
    flags: true,
    cpu: 0,
    about: 'CPU µs per event: verify, parse, record, @wix/sdk, dedupe',
  },
  e2e: {
    script: 'bench/e2e.ts',
    flags: true,
    about: 'webhook → agent run finished, embedded bus and Kafka',
  },
  http: {
    script: 'bench/http-client.ts',
    flags: false,
    about: "CPU per outbound HTTP call: Node's built-in fetch against httpFetch (undici request)",
  },
  memory: {
    script: 'bench/memory.ts',
    flags: true,
    about: 'RSS / VmHWM of the service under ingress load and after',
  },
  limiter: {
    script: 'bench/wix-limiter.ts',
    flags: false,
    about: 'Wix limiter: achieved rate vs the emulator limit',
  },
  batching: {
    script: 'bench/ingress-kafka-batching.ts',
    flags: false,
    about: 'Kafka publish with / without micro-batching',
  },
};

const args = process.argv.slice(2);
const names = args.filter((a, i) => !a.startsWith('-') && !args[i - 1]?.startsWith('--'));
const flags = args.filter((a) => !names.includes(a));
for (const n of names)
  if (!(n in benches)) throw new Error(`unknown benchmark ${n} (${Object.keys(benches).join('|')})`);
const selected = names.length ? names : Object.keys(benches);

const m = machine();
console.log(
  `wix-event-agent benchmarks: ${selected.join(', ')} — node ${m.node}, ${m.cores} cores (${m.cpuModel}), ${m.pinning}, ` +
    `load average ${m.loadAvg1mAtStart}`,
);
const results: Record<string, unknown> = {};
const timings: Record<string, number> = {};
const failures: Record<string, string> = {};
const started = performance.now();
for (const name of selected) {
  const b = benches[name]!;
  console.log(`\n===== ${name}: ${b.about} (${b.script}) =====`);
  const extra = name === 'e2e' && selected.includes('limiter') ? ['--limiter', 'off'] : [];
  const t0 = performance.now();
  try {
    results[name] = await runNodeJson(b.script, {
      args: [...(b.flags ? flags : []), ...extra],
      echo: true,
      ...(b.cpu !== undefined ? { cpu: b.cpu } : {}),
    });
  } catch (error) {
    failures[name] = String(error).slice(0, 2000);
    console.log(`${name} FAILED: ${failures[name]}`);
  }
  timings[name] = round((performance.now() - t0) / 1000, 1);
}

// Headline figures.
type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const rows: string[][] = [];
const ingress = results.ingress as Any | undefined;
if (ingress) {
  for (const s of ingress.summary as Any[])
    rows.push([
      `ingress ${s.server}`,
      `${s.reqPerSec.median} req/s (${s.reqPerSec.min}–${s.reqPerSec.max}), p50 ${s.p50Ms.median} ms, p99 ${s.p99Ms.median} ms`,
    ]);
  if (ingress.fixedRate)
    for (const f of ingress.fixedRate.rounds as Any[])
      rows.push([
        `ingress ${f.server} @${ingress.fixedRate.rate}/s`,
        `open loop: p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms, max ${f.maxMs} ms, server CPU ${f.serverCpuPct} %`,
      ]);
  for (const [d, t] of Object.entries(ingress.targets as Record<string, Any>))
    rows.push([
      `target ${d}`,
      (t.throughputTargetOverC === null
        ? `${t.overC}× c; `
        : `≥ ${t.throughputTargetOverC} × c: ${t.throughputMet ? 'met' : 'NOT met'} (${t.overC}×); `) +
        `p99 ≤ 40 ms: ${t.p99AtMost40ms ? 'met' : 'NOT met'} (${t.p99Ms} ms)`,
    ]);
}
const micro = results.micro as Any | undefined;
if (micro)
  for (const f of (micro.figures as Any[]).filter((x) =>
    ['full', 'verify', 'parse+validate', 'sdk process', 'dedupe per event'].includes(x.name),
  ))
    rows.push([`micro ${f.name}`, `${f.cpuUsPerEvent.median} µs CPU/event`]);
const http = results.http as Any | undefined;
if (http)
  rows.push([
    'http client',
    `built-in fetch ${http.cpuUsPerCall.builtInFetch.median} µs CPU/call, httpFetch ${http.cpuUsPerCall.httpFetch.median} µs (${http.ratio}×)`,
  ]);
const e2e = results.e2e as Any | undefined;
if (e2e)
  for (const f of e2e.figures as Any[])
    rows.push([
      `e2e ${f.bus}`,
      `${f.eventsPerSec} events/s, run ${f.avgRunMs} ms (${f.agentOverheadExclModelMs} ms excl. model), service CPU ${f.serviceCpuMsPerEvent} ms/event`,
    ]);
const memory = results.memory as Any | undefined;
if (memory)
  for (const r of memory.results as Any[])
    rows.push([
      `memory ${r.server}`,
      `peak under load ${r.peakRssUnderLoadMb} MB, after ${r.rssAfterMb} MB, VmHWM ${r.vmHwmMb} MB`,
    ]);
const limiter = (results.limiter ?? e2e?.limiter) as Any | undefined;
if (limiter)
  rows.push([
    'limiter',
    `${limiter.achievedPerSecond}/s of ${limiter.limitPerSecond}/s (${round(limiter.achievedRatio * 100, 1)}%), 429s ${limiter.rateLimited429}`,
  ]);
const batching = results.batching as Any | undefined;
if (batching)
  rows.push([
    'batching',
    `batched ${batching.batched.eventsPerSecond}/s vs one send per publish ${batching.unbatched.eventsPerSecond}/s (${batching.speedup}×)`,
  ]);
for (const [name, error] of Object.entries(failures)) rows.push([name, `FAILED: ${error.split('\n')[0]}`]);

const total = round((performance.now() - started) / 1000, 0);
console.log(
  `\n===== summary (${total} s: ${Object.entries(timings)
    .map(([k, v]) => `${k} ${v} s`)
    .join(', ')}) =====`,
);
console.log(table(['benchmark', 'figures'], rows, { left: true }));
console.log(
  JSON.stringify({
    bench: 'all',
    date: new Date().toISOString(),
    machine: m,
    seconds: total,
    timings,
    failures,
    results,
  }),
);
if (Object.keys(failures).length) process.exitCode = 1;

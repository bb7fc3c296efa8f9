/**
 * Load generator child: POSTs webhooks from a pool file (one body per line, each used once in turn,
 * starting at --offset) to --url, after a warm-up, and prints one JSON line with the measured part.
 * Run it pinned to another core than the server.
 *
 * Default: autocannon, closed loop, --connections connections each sending its next request when the
 * previous one is answered (throughput at saturation).
 * With --rate R: an open loop at a steady R requests/s in total over at most --connections keep-alive
 * connections (node:http); latency is measured from each request's scheduled time, so a server that
 * falls behind shows it (no coordinated omission). autocannon's own rate option sends bursts at the
 * start of every second, which would measure the burst, not the server.
 *
 *   node --import tsx bench/lib/load.ts --url http://127.0.0.1:3000/webhooks/wix --pool /tmp/pool.txt
 *     [--connections 50] [--duration 10] [--warmup 2] [--offset 0] [--rate 0]
 */
import autocannon from 'autocannon';
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';
import { readPool } from './pool.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    pool: { type: 'string' },
    connections: { type: 'string', default: '50' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    offset: { type: 'string', default: '0' },
    'content-type': { type: 'string', default: 'text/plain' },
    rate: { type: 'string', default: '0' },
  },
});
if (!values.url || !values.pool) throw new Error('--url and --pool are required');
const rate = Number(values.rate);
const connections = Number(values.connections);
const contentType = values['content-type']!;
const pool = readPool(values.pool);
let next = Number(values.offset);
/** Bodies handed out in turn (a request re-sent after a reconnect takes a new one). */
const take = () => pool[next++ % pool.length]!;
const url = new URL(values.url);

interface Measured {
  seconds: number;
  requests: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
}

async function closedLoop(seconds: number): Promise<Measured> {
  const r = await autocannon({
    url: url.origin,
    connections,
    duration: seconds,
    pipelining: 1,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: url.pathname,
        headers: { 'content-type': contentType },
        setupRequest: (req) => ({ ...req, body: take() }),
      },
    ],
  });
  return {
    seconds: r.duration,
    requests: r.requests.total,
    latencyMs: {
      mean: r.latency.mean,
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      max: r.latency.max,
    },
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    statusCodes: Object.fromEntries(
      Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count ?? 0]),
    ),
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: connections });

async function openLoop(seconds: number): Promise<Measured> {
  const total = Math.round(seconds * rate);
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  let sent = 0;
  let inFlight = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const done = () => {
      inFlight--;
      if (sent >= total && inFlight === 0) resolve();
    };
    const fire = (scheduled: number) => {
      const body = take();
      inFlight++;
      const req = request(
        url,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(body) },
          timeout: 10_000,
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - scheduled);
            const code = String(res.statusCode);
            statusCodes[code] = (statusCodes[code] ?? 0) + 1;
            done();
          });
        },
      );
      req.on('error', () => {
        errors++;
        done();
      });
      req.end(body);
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (sent < due) fire(start + (sent++ * 1000) / rate);
      if (sent < total) setTimeout(tick, 1);
      else if (inFlight === 0) resolve();
    };
    tick();
  });
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0);
  const non2xx = Object.entries(statusCodes)
    .filter(([code]) => !code.startsWith('2'))
    .reduce((a, [, n]) => a + n, 0);
  return {
    seconds: elapsed,
    requests: latencies.length,
    latencyMs: {
      mean: Math.round((latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length)) * 100) / 100,
      p50: q(0.5),
      p90: q(0.9),
      p99: q(0.99),
      max: Math.round(latencies.at(-1) ?? 0),
    },
    errors,
    timeouts: 0,
    non2xx,
    statusCodes,
  };
}

const run = rate > 0 ? openLoop : closedLoop;
const warmupSeconds = Number(values.warmup);
let warmupRequests = 0;
if (warmupSeconds > 0) warmupRequests = (await run(warmupSeconds)).requests;
const startIndex = next;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const measuredFromUs = Number(process.hrtime.bigint() / 1000n);
const r = await run(Number(values.duration));
const measuredToUs = Number(process.hrtime.bigint() / 1000n);
const cpu = process.cpuUsage(cpu0);
const loadCpuPct = (100 * (cpu.user + cpu.system)) / 1000 / (performance.now() - t0);
agent.destroy();
console.log(
  JSON.stringify({
    mode: rate > 0 ? `open loop at ${rate} req/s` : 'closed loop (autocannon)',
    connections,
    ...r,
    reqPerSec: r.requests / r.seconds,
    warmupRequests,
    bodiesUsed: next,
    bodiesInMeasuredPart: next - startIndex,
    poolSize: pool.length,
    /** CPU the load generator used while measuring, as % of one core (near 100 = it was the limit). */
    loadCpuPct,
    /** The measured part on the machine's monotonic clock (µs), to cut a server's CPU profile to it. */
    measuredFromUs,
    measuredToUs,
  }),
);

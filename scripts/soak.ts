/**
 * Soak: the whole pipeline (webhook → embedded bus → agents → Wix emulator) at a steady rate for a long
 * time. Prints a table and, as the last line, one JSON object. Exit code 1 if anything went wrong:
 * a non-200 answer, an event not handled, a failed run, or memory that keeps growing.
 *
 *   npm run soak                          # 10 minutes at 10 webhooks/s
 *   SOAK_SECONDS=60 SOAK_RATE=20 npm run soak
 *   SOAK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run soak   # store on a server
 *   SOAK_RETENTION=60s SOAK_SECONDS=300 npm run soak   # every horizon 60 s, a pass every 15 s: rows stay flat
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { loadFixtures, type Fixture } from '../src/replay/fixtures.js';
import { seedFromFixtures } from '../src/sandbox/fixture-seed.js';
import { startLlmEmulator } from '../src/sandbox/llm-emulator.js';
import { startWixEmulator } from '../src/sandbox/wix-emulator.js';
import { rs256Key, signWebhook } from '../src/webhooks/sign.js';

const seconds = Number(process.env.SOAK_SECONDS ?? 600);
const rate = Number(process.env.SOAK_RATE ?? 10);
const key = rs256Key(readFileSync('fixtures/keys/test-private.pem', 'utf8'));
const base = loadFixtures(['fixtures/wix']).filter((f) => f.expect?.outcome === 'published');

/** A fixture event with fresh ids (orders get a fresh order id, contacts a fresh contact id). */
function fresh(f: Fixture): Fixture {
  const copy = structuredClone(f);
  const data = copy.webhook.data as Record<string, unknown> & { createdEvent: Record<string, unknown> };
  const created = data.createdEvent;
  const entity = (created.entity ??
    (typeof created.entityAsJson === 'string'
      ? JSON.parse(created.entityAsJson)
      : created.entityAsJson)) as Record<string, unknown>;
  const id = randomUUID();
  entity.id = id;
  data.entityId = id;
  data.id = randomUUID();
  data.createdEvent = { entity };
  return copy;
}

const dir = mkdtempSync(join(tmpdir(), 'wea-soak-'));
const wix = await startWixEmulator({ rateLimit: false, maxLogEntries: 1000 });
const llm = await startLlmEmulator({ maxLogEntries: 100 });
seedFromFixtures(wix.data, base);
// The service runs in its own process, so its memory is measured alone.
const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
  env: {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: join(dir, 'data'),
    ...(process.env.SOAK_DATABASE_URL ? { DATABASE_URL: process.env.SOAK_DATABASE_URL } : {}),
    WIX_PUBLIC_KEY: readFileSync('fixtures/keys/test-public.pem', 'utf8'),
    WIX_API_BASE_URL: wix.url,
    WIX_APP_ID: wix.appId,
    WIX_APP_SECRET: wix.appSecret,
    LLM_PROVIDER: 'sandbox',
    LLM_BASE_URL: llm.url,
    // The emulator's limit is off: measure the service, not Wix's 200 requests/minute/site.
    WIX_RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'info',
    ADMIN_TOKEN: 'soak',
    ...(process.env.SOAK_RETENTION
      ? {
          RETENTION_DEDUPE: process.env.SOAK_RETENTION,
          RETENTION_QUEUE: process.env.SOAK_RETENTION,
          RETENTION_AUDIT: process.env.SOAK_RETENTION,
          RETENTION_DEAD_LETTERS: process.env.SOAK_RETENTION,
          RETENTION_INTERVAL: '15s',
        }
      : {}),
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve, reject) => {
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
    if (m) resolve(m[1]!);
    if (out.length > 1e6) out = out.slice(-1e5);
  });
  child.once('exit', (code) => reject(new Error(`service exited (${code})`)));
});
child.stdout!.resume();

function rssMb(): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}
async function metric(name: string, label?: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(name) && (!label || l.includes(label)))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

const samples: { t: number; rssMb: number; rows?: number }[] = [];
const statuses = new Map<number, number>();
const sent: string[] = [];
const started = Date.now();
const sampler = setInterval(() => {
  const sample: (typeof samples)[number] = { t: (Date.now() - started) / 1000, rssMb: rssMb() };
  samples.push(sample);
  // Rows in the store's tables, as counted after the last retention pass (absent before the first).
  void metric('wix_store_rows').then(
    (rows) => (sample.rows = rows),
    () => {},
  );
}, 5000);

let i = 0;
const inFlight = new Set<Promise<void>>();
while (Date.now() - started < seconds * 1000) {
  const f = fresh(base[i++ % base.length]!);
  seedFromFixtures(wix.data, [f]);
  const eventId = (f.webhook.data as { id: string }).id;
  sent.push(eventId);
  const p = signWebhook(f.webhook, key)
    .then((body) => fetch(`${url}/webhooks/wix`, { method: 'POST', body }))
    .then((r) => void statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1))
    .catch(() => void statuses.set(0, (statuses.get(0) ?? 0) + 1));
  inFlight.add(p);
  void p.finally(() => inFlight.delete(p));
  const next = started + (i * 1000) / rate;
  await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
}
await Promise.all(inFlight);

// Wait for the workers to finish what was accepted.
const drainStart = Date.now();
let handled = 0;
for (;;) {
  handled = await metric('wix_events_processed_total', 'outcome="handled"');
  if (handled >= sent.length || Date.now() - drainStart > 120_000) break;
  await new Promise((r) => setTimeout(r, 500));
}
clearInterval(sampler);
if (handled < sent.length) {
  const events = (await (
    await fetch(`${url}/api/events?limit=500`, { headers: { authorization: 'Bearer soak' } })
  ).json()) as {
    events: { status: string; attempts: number; lastError: string | null; instanceId: string }[];
  };
  const byStatus = new Map<string, number>();
  for (const e of events.events)
    byStatus.set(
      `${e.status} attempts=${e.attempts} ${e.lastError ?? ''}`,
      (byStatus.get(`${e.status} attempts=${e.attempts} ${e.lastError ?? ''}`) ?? 0) + 1,
    );
  console.log('not drained; recent events by status:', Object.fromEntries(byStatus));
}
const drainSeconds = (Date.now() - drainStart) / 1000;
const failedRuns = await metric('wix_agent_runs_total', 'outcome="failed"');
const dead = await metric('wix_dead_letters_total');
const rssAfter = rssMb();
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
await llm.close();
await wix.close();
rmSync(dir, { recursive: true, force: true });

const minute = (from: number, to: number) => {
  const xs = samples.filter((s) => s.t >= from && s.t < to).map((s) => s.rssMb);
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
};
const firstMin = minute(60, 120); // after warm-up
const lastMin = minute(seconds - 60, seconds);
const growthPct = ((lastMin - firstMin) / firstMin) * 100;
const non200 = [...statuses].filter(([s]) => s !== 200).reduce((n, [, c]) => n + c, 0);
const result = {
  seconds,
  rate,
  sent: sent.length,
  statuses: Object.fromEntries(statuses),
  handled,
  drainSeconds,
  failedRuns,
  deadLetters: dead,
  rssMb: {
    min: Math.min(...samples.map((s) => s.rssMb)),
    max: Math.max(...samples.map((s) => s.rssMb)),
    secondMinute: firstMin,
    lastMinute: lastMin,
    afterDrain: rssAfter,
  },
  rssGrowthPct: Number.isFinite(growthPct) ? Number(growthPct.toFixed(1)) : null,
  store: process.env.SOAK_DATABASE_URL ? 'postgres' : 'pglite',
  rssMbPerMinute: Array.from({ length: Math.ceil(seconds / 60) }, (_, m) =>
    Math.round(minute(m * 60, (m + 1) * 60)),
  ),
  retention: process.env.SOAK_RETENTION ?? null,
  /** Store rows (all retained tables) at the end of each minute, once retention has counted them. */
  storeRowsPerMinute: Array.from({ length: Math.ceil(seconds / 60) }, (_, m) => {
    const inMinute = samples.filter((s) => s.t >= m * 60 && s.t < (m + 1) * 60 && s.rows !== undefined);
    return inMinute.at(-1)?.rows ?? null;
  }),
};
console.log('soak');
console.log(
  `  sent ${result.sent} webhooks over ${seconds}s at ${rate}/s; answers ${JSON.stringify(result.statuses)}`,
);
console.log(
  `  handled ${handled} (drained ${drainSeconds}s after the last send), failed runs ${failedRuns}, dead letters ${dead}`,
);
console.log(`  store ${result.store}; RSS MB per minute: ${result.rssMbPerMinute.join(' ')}`);
console.log(
  `  retention ${result.retention ?? 'default'}; store rows per minute: ${result.storeRowsPerMinute.join(' ')}`,
);
console.log(
  `  RSS MB min ${result.rssMb.min.toFixed(0)} max ${result.rssMb.max.toFixed(0)}; second minute ${firstMin.toFixed(0)} → last minute ${lastMin.toFixed(0)} (${result.rssGrowthPct}%)`,
);
console.log(JSON.stringify(result));
const ok =
  non200 === 0 &&
  handled >= sent.length &&
  failedRuns === 0 &&
  (result.rssGrowthPct === null || result.rssGrowthPct < 20);
process.exit(ok ? 0 : 1);

/**
 * Soak: the whole pipeline (webhook → embedded bus → agents → Wix emulator) at a steady rate for a long
 * time. Prints a table and, as the last line, one JSON object. Exit code 1 if anything went wrong:
 * a non-200 answer, an event not handled, a failed run, or memory that keeps growing.
 *
 *   npm run soak                          # 10 minutes at 10 webhooks/s
 *   SOAK_SECONDS=60 SOAK_RATE=20 npm run soak
 *   SOAK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run soak   # store on a server
 *   SOAK_RETENTION=60s SOAK_SECONDS=360 npm run soak   # every horizon 60 s, a pass every 15 s: rows and
 *                                                      # store size stay flat after the first horizon (checked)
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { loadConfig } from '../src/config/load.js';
import { loadFixtures, type Fixture } from '../src/sandbox/fixtures.js';
import { seedFromFixtures } from '../src/sandbox/fixture-seed.js';
import { scriptsOf, startLlmEmulator } from '../src/sandbox/llm-emulator.js';
import { builtInHandlers } from '../src/builtin/index.js';
import { startWixEmulator } from '../src/sandbox/wix-emulator.js';
import { rs256Key, signWebhook } from '../src/webhooks/sign.js';

const seconds = Number(process.env.SOAK_SECONDS ?? 600);
const rate = Number(process.env.SOAK_RATE ?? 10);
const key = rs256Key(readFileSync('fixtures/keys/test-private.pem', 'utf8'));
const base = loadFixtures(['fixtures/wix']).filter((f) => f.expect?.outcome === 'published');

/**
 * Event types the default handlers take: order-triage's event (ORDER_TRIAGE_EVENT, default
 * order_approved) and contact_created. Events of other types are published and left to retention.
 */
const handledTypes = new Set([process.env.ORDER_TRIAGE_EVENT || 'order_approved', 'contact_created']);

/** A fixture event with fresh ids (orders get a fresh order id, contacts a fresh contact id). */
function fresh(f: Fixture): Fixture {
  const copy = structuredClone(f);
  const data = copy.webhook.data as Record<string, unknown> & {
    createdEvent?: Record<string, unknown>;
    actionEvent?: { body: { order: Record<string, unknown> } };
  };
  const id = randomUUID();
  data.entityId = id;
  data.id = randomUUID();
  if (data.actionEvent) {
    data.actionEvent.body.order.id = id;
    return copy;
  }
  const created = data.createdEvent!;
  const entity = (created.entity ??
    (typeof created.entityAsJson === 'string'
      ? JSON.parse(created.entityAsJson)
      : created.entityAsJson)) as Record<string, unknown>;
  entity.id = id;
  data.createdEvent = { entity };
  return copy;
}

const dir = mkdtempSync(join(tmpdir(), 'wea-soak-'));
/** On Postgres, the soak's own schema (dropped at the end), so its size is the soak's alone. */
const schema = `soak_${randomUUID().slice(0, 8)}`;
/** The retention horizon in ms (SOAK_RETENTION, parsed as the service parses it), or undefined. */
const horizonMs = process.env.SOAK_RETENTION
  ? loadConfig({ RETENTION_QUEUE: process.env.SOAK_RETENTION }).retention.queueMs
  : undefined;
const pgPool = process.env.SOAK_DATABASE_URL
  ? new pg.Pool({ connectionString: process.env.SOAK_DATABASE_URL, max: 1 })
  : undefined;

/** Bytes the store takes: DATA_DIR on disk (the embedded store), or the soak schema's tables and indexes (Postgres). */
async function storeBytes(): Promise<number> {
  if (pgPool) {
    const { rows } = await pgPool.query<{ bytes: string | null }>(
      `SELECT sum(pg_total_relation_size(c.oid))::bigint AS bytes FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
      [schema],
    );
    return Number(rows[0]?.bytes ?? 0);
  }
  const walk = (path: string): number =>
    readdirSync(path, { withFileTypes: true }).reduce((sum, e) => {
      const p = join(path, e.name);
      return sum + (e.isDirectory() ? walk(p) : e.isFile() ? statSync(p).size : 0);
    }, 0);
  try {
    return walk(join(dir, 'data'));
  } catch {
    return 0;
  }
}
const wix = await startWixEmulator({ rateLimit: false, maxLogEntries: 1000 });
const llm = await startLlmEmulator({ maxLogEntries: 100, scripts: scriptsOf(builtInHandlers) });
seedFromFixtures(wix.data, base);
// The service runs in its own process, so its memory is measured alone.
const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'serve'], {
  env: {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: join(dir, 'data'),
    ...(process.env.SOAK_DATABASE_URL
      ? { DATABASE_URL: process.env.SOAK_DATABASE_URL, DATABASE_SCHEMA: schema }
      : {}),
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

const samples: { t: number; rssMb: number; rows?: number; storeMb?: number }[] = [];
/** wix_store_bytes per table (MB), sampled with the rest: at the first horizon, and the latest. */
let tablesAtHorizon: Record<string, number> | undefined;
let tablesLatest: Record<string, number> = {};
async function tableMb(): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Object.fromEntries(
    [...text.matchAll(/^wix_store_bytes\{table="(\w+)"\} (\d+)/gm)].map(([, t, b]) => [
      t!,
      Number(b) / 1024 / 1024,
    ]),
  );
}
const statuses = new Map<number, number>();
const sent: string[] = [];
/** Of `sent`, the events some default handler takes (the rest get no run). */
let sentHandled = 0;
const started = Date.now();
const sampler = setInterval(() => {
  const sample: (typeof samples)[number] = { t: (Date.now() - started) / 1000, rssMb: rssMb() };
  samples.push(sample);
  // Rows in the store's tables, as counted after the last retention pass (absent before the first).
  void metric('wix_store_rows').then(
    (rows) => (sample.rows = rows),
    () => {},
  );
  void tableMb().then(
    (tables) => {
      tablesLatest = tables;
      if (!tablesAtHorizon && horizonMs !== undefined && sample.t * 1000 > horizonMs + 30_000)
        tablesAtHorizon = tables;
    },
    () => {},
  );
  void storeBytes().then(
    (bytes) => (sample.storeMb = bytes / 1024 / 1024),
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
  if (handledTypes.has(f.expect?.type ?? '')) sentHandled++;
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
  if (handled >= sentHandled || Date.now() - drainStart > 120_000) break;
  await new Promise((r) => setTimeout(r, 500));
}
clearInterval(sampler);
if (handled < sentHandled) {
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
{
  // Bytes per table (wix_store_bytes, after the last retention pass), largest first, and at the horizon.
  const tables = Object.entries(tablesLatest).sort((a, b) => b[1] - a[1]);
  const then = (t: string) =>
    tablesAtHorizon?.[t] !== undefined ? `${tablesAtHorizon[t]!.toFixed(1)} → ` : '';
  console.log(
    `  tables MB (at the first horizon → end): ${tables.map(([t, mb]) => `${t} ${then(t)}${mb.toFixed(1)}`).join(', ')}`,
  );
}
if (!pgPool) {
  // Where the store's bytes are, for when they do not stay flat: by entry of the data directory
  // (SQLite's database and WAL files).
  const walk = (path: string): number =>
    readdirSync(path, { withFileTypes: true }).reduce((sum, f) => {
      const p = join(path, f.name);
      return sum + (f.isDirectory() ? walk(p) : f.isFile() ? statSync(p).size : 0);
    }, 0);
  const parts = readdirSync(join(dir, 'data'), { withFileTypes: true })
    .map((e) => {
      const p = join(dir, 'data', e.name);
      const bytes = e.isDirectory() ? walk(p) : e.isFile() ? statSync(p).size : 0;
      return [e.name, Number((bytes / 1024 / 1024).toFixed(1))] as const;
    })
    .filter(([, mb]) => mb >= 1);
  console.log(`  data directory MB: ${parts.map(([name, mb]) => `${name} ${mb}`).join(', ')}`);
}
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
await llm.close();
await wix.close();
rmSync(dir, { recursive: true, force: true });
if (pgPool) {
  await pgPool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pgPool.end();
}

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
  sentHandled,
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
  store: process.env.SOAK_DATABASE_URL ? 'postgres' : 'sqlite',
  rssMbPerMinute: Array.from({ length: Math.ceil(seconds / 60) }, (_, m) =>
    Math.round(minute(m * 60, (m + 1) * 60)),
  ),
  retention: process.env.SOAK_RETENTION ?? null,
  /** Store rows (all retained tables) at the end of each minute, once retention has counted them. */
  storeRowsPerMinute: Array.from({ length: Math.ceil(seconds / 60) }, (_, m) => {
    const inMinute = samples.filter((s) => s.t >= m * 60 && s.t < (m + 1) * 60 && s.rows !== undefined);
    return inMinute.at(-1)?.rows ?? null;
  }),
  /** Store size (MB) at the end of each minute: DATA_DIR on disk, or the Postgres schema's relations. */
  storeMbPerMinute: Array.from({ length: Math.ceil(seconds / 60) }, (_, m) => {
    const inMinute = samples.filter((s) => s.t >= m * 60 && s.t < (m + 1) * 60 && s.storeMb !== undefined);
    const mb = inMinute.at(-1)?.storeMb;
    return mb === undefined ? null : Number(mb.toFixed(1));
  }),
  /** With SOAK_RETENTION: rows and store size in the last minute against the first minute after a horizon. */
  flat: null as null | { fromMinute: number; rowsGrowthPct: number | null; storeGrowthPct: number | null },
};
if (horizonMs !== undefined) {
  // Rows stop growing once the first rows pass the horizon and a pass (every 15 s) deleted them.
  const fromMinute = Math.ceil((horizonMs + 30_000) / 60_000);
  const growth = (xs: (number | null)[]) => {
    const a = xs[fromMinute];
    const b = xs.at(-1);
    return a && b ? Number((((b - a) / a) * 100).toFixed(1)) : null;
  };
  result.flat = {
    fromMinute,
    rowsGrowthPct: growth(result.storeRowsPerMinute),
    storeGrowthPct: growth(result.storeMbPerMinute),
  };
}
console.log('soak');
console.log(
  `  sent ${result.sent} webhooks over ${seconds}s at ${rate}/s; answers ${JSON.stringify(result.statuses)}`,
);
console.log(
  `  handled ${handled} of ${sentHandled} a handler takes (drained ${drainSeconds}s after the last send), failed runs ${failedRuns}, dead letters ${dead}`,
);
console.log(`  store ${result.store}; RSS MB per minute: ${result.rssMbPerMinute.join(' ')}`);
console.log(
  `  retention ${result.retention ?? 'default'}; store rows per minute: ${result.storeRowsPerMinute.join(' ')}`,
);
console.log(`  store MB per minute: ${result.storeMbPerMinute.join(' ')}`);
if (result.flat) {
  console.log(
    `  after the first horizon (minute ${result.flat.fromMinute} → last): rows ${result.flat.rowsGrowthPct}%, store size ${result.flat.storeGrowthPct}%`,
  );
}
console.log(
  `  RSS MB min ${result.rssMb.min.toFixed(0)} max ${result.rssMb.max.toFixed(0)}; second minute ${firstMin.toFixed(0)} → last minute ${lastMin.toFixed(0)} (${result.rssGrowthPct}%)`,
);
console.log(JSON.stringify(result));
const ok =
  non200 === 0 &&
  handled >= sentHandled &&
  failedRuns === 0 &&
  (result.rssGrowthPct === null || result.rssGrowthPct < 20) &&
  (result.flat === null ||
    (result.flat.rowsGrowthPct !== null &&
      result.flat.rowsGrowthPct < 20 &&
      result.flat.storeGrowthPct !== null &&
      result.flat.storeGrowthPct < 20));
process.exit(ok ? 0 : 1);

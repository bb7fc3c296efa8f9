/**
 * CPU per statement of the PGlite store's main per-event statements, each SQL text through PGlite's
 * `query()` (parsed and planned on every call: `openPgliteStore(dir, { preparedStatements: 0 })`) and as
 * a named prepared statement (the default), on a migrated store in a temporary DATA_DIR:
 *   claim           the embedded bus's claim (UPDATE … RETURNING over the pending heads; copied from
 *                   src/bus/embedded.ts) of one published row, and its finish
 *   publish 50      the embedded bus's group commit of 50 events (one INSERT … unnest; copied from
 *                   src/bus/embedded-publish.ts), per statement
 *   run start       audit.startRun (INSERT agent_runs)
 *   tool call       audit.recordCall (INSERT tool_calls)
 *   run finish      audit.finishRun (UPDATE agent_runs, with two deferred reads: WITH … INSERT tool_calls)
 * CPU = process.cpuUsage() (user + system) per statement after a warm-up, median of the rounds.
 * `--plan-cache-mode force_generic_plan|force_custom_plan|auto` sets Postgres's plan_cache_mode on the
 * prepared store (default auto).
 *
 *   node --import tsx bench/pglite-statements.ts [--iterations 300] [--warmup 30] [--rounds 3]
 *
 * Prints a table, then one JSON object with the figures as the last line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAudit } from '../src/calls/audit.js';
import { claimSql, finishSql } from '../src/bus/embedded.js';
import { migrate } from '../src/store/migrate.js';
import { openPgliteStore } from '../src/store/pglite.js';
import type { Store } from '../src/store/port.js';

const { values: args } = parseArgs({
  options: {
    iterations: { type: 'string', default: '300' },
    warmup: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '3' },
    'plan-cache-mode': { type: 'string', default: 'auto' },
  },
});
const iterations = Number(args.iterations);
const warmup = Number(args.warmup);
const rounds = Number(args.rounds);

type Case = {
  name: string;
  setup?: (i: number) => Promise<unknown>;
  run: (i: number, s: unknown) => Promise<unknown>;
};

function cases(store: Store): Case[] {
  const audit = createAudit(store);
  const topic = 'wix.order_created';
  const publish = (i: number) =>
    store.query(
      `INSERT INTO bus_events (event_id, topic, key, payload) VALUES ($1, $2, $3, $4::jsonb) RETURNING seq`,
      [`ev-${i}-${Math.random()}`, topic, `site-${i % 7}`, JSON.stringify({ i, note: 'x'.repeat(2000) })],
    );
  const run = () =>
    audit.startRun({
      eventId: `ev-${Math.random()}`,
      eventType: 'order_created',
      instanceId: 'site-1',
      handler: 'order-triage',
      model: 'sandbox',
      mode: 'dry-run',
      attempt: 1,
    });
  const counts = {
    writesExecuted: 0,
    writesSimulated: 1,
    writesParked: 0,
    writesUnknown: 0,
    writesRefused: 0,
    writesFailed: 0,
  };
  return [
    {
      name: 'claim',
      setup: (i) => publish(i),
      run: () => store.query(claimSql.postgres, ['w1', 30_000, [topic], [], 16]),
    },
    {
      name: 'finish',
      setup: async (i) => {
        await publish(i);
        const { rows } = await store.query<{ seq: number }>(claimSql.postgres, [
          'w1',
          30_000,
          [topic],
          [],
          1,
        ]);
        return rows[0]?.seq;
      },
      run: (_i, seq) => store.query(finishSql.postgres, [seq, 'w1']),
    },
    {
      // The embedded bus's group commit (src/bus/embedded-publish.ts): 50 events in one statement.
      name: 'publish 50',
      run: (i) => {
        const ids = Array.from({ length: 50 }, (_, k) => `g-${i}-${k}-${Math.random()}`);
        return store.query(
          `INSERT INTO bus_events (event_id, topic, key, payload)
           SELECT id, topic, key, payload::jsonb
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS e(id, topic, key, payload, n)
            ORDER BY n
           ON CONFLICT (event_id) DO NOTHING
           RETURNING event_id`,
          [
            ids,
            ids.map(() => 'wix.other'),
            ids.map((_, k) => `site-${k % 7}`),
            ids.map((id) => JSON.stringify({ id, note: 'x'.repeat(2000) })),
          ],
        );
      },
    },
    { name: 'run start', run: () => run() },
    {
      name: 'tool call',
      setup: () => run(),
      run: (i, runId) =>
        audit.recordCall({
          runId: runId as string,
          seq: 1,
          eventId: `ev-${i}`,
          handler: 'order-triage',
          instanceId: 'site-1',
          tool: 'orders.tag',
          access: 'write',
          arguments: { orderId: `o-${i}`, tags: ['vip'] },
          result: { ok: true },
          status: 'simulated',
          idempotencyKey: `k-${i}-${Math.random()}`,
          durationMs: 3,
        }),
    },
    {
      name: 'run finish',
      setup: () => run(),
      run: (i, runId) =>
        audit.finishRun(
          runId as string,
          {
            status: 'succeeded',
            steps: 3,
            inputTokens: 100,
            outputTokens: 20,
            toolCalls: 3,
            durationMs: 12,
            error: null,
            summary: 'tagged',
            counts,
          },
          [1, 2].map((seq) => ({
            id: crypto.randomUUID(),
            runId: runId as string,
            seq,
            eventId: `ev-${i}`,
            handler: 'order-triage',
            instanceId: 'site-1',
            tool: 'orders.get',
            access: 'read' as const,
            arguments: { orderId: `o-${i}` },
            result: { total: 10 },
            status: 'executed' as const,
            idempotencyKey: null,
            durationMs: 2,
            createdAt: new Date().toISOString(),
          })),
        ),
    },
  ];
}

/** µs of CPU per `run` call (setup excluded), over `n` calls. */
async function measure(c: Case, from: number, n: number): Promise<number> {
  let cpu = 0;
  for (let i = from; i < from + n; i++) {
    const s = c.setup ? await c.setup(i) : undefined;
    const t0 = process.cpuUsage();
    await c.run(i, s);
    const d = process.cpuUsage(t0);
    cpu += d.user + d.system;
  }
  return cpu / n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results: Record<string, Record<string, number>> = {};
const plans: Record<string, { generic: number; custom: number }> = {};
for (const mode of ['query()', 'prepared'] as const) {
  const dir = mkdtempSync(join(tmpdir(), 'pglite-statements-'));
  const store = await openPgliteStore(dir, { preparedStatements: mode === 'prepared' ? 200 : 0 });
  try {
    await migrate(store);
    if (mode === 'prepared' && args['plan-cache-mode'] !== 'auto')
      await store.exec(`SET plan_cache_mode = ${args['plan-cache-mode']}`);
    let i = 0;
    for (const c of cases(store)) {
      await measure(c, i, warmup);
      i += warmup;
      const perRound: number[] = [];
      for (let r = 0; r < rounds; r++) {
        perRound.push(await measure(c, i, iterations));
        i += iterations;
      }
      (results[c.name] ??= {})[mode] = Math.round(median(perRound));
    }
    if (mode === 'prepared') {
      // Which statements Postgres settled on a generic plan for (planned once) and which it keeps
      // planning for each call's values (custom), after all the calls above.
      const { rows } = await store.query<{ statement: string; generic_plans: number; custom_plans: number }>(
        `SELECT statement, generic_plans::int, custom_plans::int FROM pg_prepared_statements WHERE NOT from_sql`,
      );
      for (const r of rows)
        plans[r.statement.replace(/\s+/g, ' ').trim().slice(0, 70)] = {
          generic: r.generic_plans,
          custom: r.custom_plans,
        };
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `PGlite CPU µs per statement (median of ${rounds} rounds × ${iterations}; plan_cache_mode ${args['plan-cache-mode']} when prepared)`,
);
console.log(`${'statement'.padEnd(12)} ${'query()'.padStart(9)} ${'prepared'.padStart(9)}`);
for (const [name, r] of Object.entries(results))
  console.log(`${name.padEnd(12)} ${String(r['query()']).padStart(9)} ${String(r.prepared).padStart(9)}`);
console.log('prepared statements: generic plans, custom plans (planned for each call), text');
for (const [sql, p] of Object.entries(plans))
  console.log(`  ${String(p.generic).padStart(6)} ${String(p.custom).padStart(6)}  ${sql}`);
console.log(
  JSON.stringify({
    bench: 'pglite-statements',
    planCacheMode: args['plan-cache-mode'],
    iterations,
    rounds,
    cpuMicros: results,
    plans,
  }),
);

/**
 * CPU per event of the webhook pipeline, in one process (pin it: run.ts starts it with taskset -c 0),
 * key imported once, over a pool of distinct signed order_created webhooks (6–20 KB fixtures):
 *   full            verify + unwrap + validate + bus event + Kafka record value (what ingress does before publishing)
 *   verify          verifyWixWebhook alone (jose jwtVerify, RS256)
 *   parse+validate  parseOuter + routeFor + parseEvent + toBusEvent on already verified claims
 *   record          eventRecord (JSON of the bus event + headers)
 *   crypto floor    node:crypto RS256 signature check alone (no JWT/JSON work)
 *   @wix/sdk        client.webhooks.process (verify with importSPKI per call, parse, dispatch to a handler),
 *                   parseJWT, and importSPKI alone
 *   verify (node:crypto)  what a verify on node:crypto alone costs (signature, decode, parse, exp)
 *   tool schemas    the agent loop: zod → JSON Schema of order-triage's tools on every step (what the agent did
 *                   before src/agents/tools.ts cached each tool's schema) vs once (as it does now)
 *   dedupe          the Kafka bus's accepted_events check + insert on the embedded store (SQLite, on disk):
 *                   per event and 50 at once (coalesced: one SELECT, one INSERT)
 *   publish         the embedded bus's durable record (SQLite, on disk): one publish at a time (one
 *                   statement each, what a lone webhook costs) and 50 at once (group commit: one statement)
 *   full+durable    full + the embedded publish, 50 webhooks at once: what the default `serve` spends per
 *                   webhook before it answers 200
 * CPU = process.cpuUsage() (all threads, user + system) over N events after a warm-up, per event.
 *
 *   node --import tsx bench/micro.ts [--iterations 4000] [--warmup 500] [--pool 2000] [--rounds 3]
 *
 * Prints a table, then one JSON object with the figures as the last line.
 */
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { AppStrategy, createClient } from '@wix/sdk';
import { EventDefinition } from '@wix/sdk-types';
import { asSchema, zodSchema } from 'ai';
import { importSPKI } from 'jose';
import type { z } from 'zod';
import { eventRecord } from '../src/bus/kafka-records.js';
import { createEmbeddedBus } from '../src/bus/embedded.js';
import { acceptedEventsIn } from '../src/bus/kafka-accepted-events.js';
import { eventTypes } from '../src/domain/events.js';
import { topicsFor } from '../src/domain/topics.js';
import { orderTriage } from '../src/builtin/order-triage.js';
import { migrate } from '../src/store/migrate.js';
import type { Store } from '../src/store/port.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { parseEvent, parseOuter } from '../src/webhooks/envelope.js';
import { routeFor } from '../src/webhooks/routes.js';
import { toBusEvent } from '../src/webhooks/to-event.js';
import { importWebhookKeys, verifyWixWebhook } from '../src/webhooks/verify.js';
import {
  machine,
  num,
  options,
  printJson,
  readPublicPem,
  round,
  showSpread,
  spread,
  table,
  tempDir,
} from './lib/common.js';
import { eventIdOf, orderClones, signAll } from './lib/pool.js';

const o = options({ iterations: '4000', warmup: '500', pool: '2000', rounds: '3' });
const iterations = num(o.iterations, 'iterations');
const warmup = num(o.warmup, 'warmup');
const rounds = num(o.rounds, 'rounds');

const m = machine();
const fixtures = orderClones(num(o.pool, 'pool'), 16);
const tokens = await signAll(fixtures);
const publicPem = readPublicPem();
const keys = await importWebhookKeys({ publicKeyPem: publicPem });
const topics = topicsFor('wix.', eventTypes);
const avgBytes = Math.round(tokens.reduce((a, t) => a + t.length, 0) / tokens.length);

// Pre-verified claims for the parse-only case, and bus events for the record-only case.
const claims: unknown[] = [];
for (const t of tokens) {
  const v = await verifyWixWebhook(t, keys, { clockToleranceSec: 60 });
  if (!v.ok) throw new Error(`pool token does not verify: ${v.reason}`);
  claims.push(v.claims);
}

function pipelineFromClaims(c: unknown) {
  const outer = parseOuter(c);
  if (!outer.ok) throw new Error(outer.error);
  const route = routeFor(outer.value.eventType);
  if (!route) throw new Error('not routed');
  const event = parseEvent(outer.value.data);
  if (!event.ok) throw new Error(event.error);
  const bus = toBusEvent(outer.value, event.value, route, new Date());
  if (!bus.ok) throw new Error(bus.error);
  return bus.value;
}
const busEvents = claims.map(pipelineFromClaims);

// node:crypto floor: the signature check of the same tokens, nothing else.
const rsaKey = createPublicKey(publicPem);
const split = tokens.map((t) => {
  const i = t.lastIndexOf('.');
  return { input: Buffer.from(t.slice(0, i)), sig: Buffer.from(t.slice(i + 1), 'base64url') };
});

// The @wix/sdk path (see bench/peers/typical-express-wix-sdk.ts for what is and is not @wix/ecom).
const onOrderCreated = EventDefinition('wix.ecom.v1.order_created', true)<{ entity: { id?: string } }>();
const sdk = createClient({
  auth: AppStrategy({ appId: 'bench-app', publicKey: publicPem }),
  modules: { orders: { onOrderCreated } },
});
let handled = 0;
sdk.orders.onOrderCreated(async () => {
  handled++;
});

interface Case {
  name: string;
  what: string;
  run(i: number): unknown;
  /** Events per call (batched cases). */
  per?: number;
  iterations?: number;
}

const cases: Case[] = [
  {
    name: 'full',
    what: 'verify + unwrap + validate + bus event + record',
    run: async (i) => {
      const v = await verifyWixWebhook(tokens[i]!, keys, { clockToleranceSec: 60 });
      if (!v.ok) throw new Error(v.reason);
      return eventRecord(pipelineFromClaims(v.claims), topics);
    },
  },
  {
    name: 'verify',
    what: 'verifyWixWebhook (RS256, key imported once)',
    run: (i) => verifyWixWebhook(tokens[i]!, keys, { clockToleranceSec: 60 }),
  },
  {
    name: 'parse+validate',
    what: 'parseOuter + routeFor + parseEvent + toBusEvent',
    run: (i) => pipelineFromClaims(claims[i]),
  },
  {
    name: 'record',
    what: 'eventRecord (JSON.stringify of the bus event)',
    run: (i) => eventRecord(busEvents[i]!, topics),
  },
  {
    name: 'crypto floor',
    what: 'node:crypto RSA-SHA256 verify of the JWS only',
    run: (i) => cryptoVerify('sha256', split[i]!.input, rsaKey, split[i]!.sig),
  },
  {
    name: 'verify (node:crypto)',
    what: 'hand-rolled: crypto.verify + base64url decode + JSON.parse + exp check',
    run: (i) => {
      const { input, sig } = split[i]!;
      if (!cryptoVerify('sha256', input, rsaKey, sig)) throw new Error('bad signature');
      const text = input.toString('latin1');
      const payload = JSON.parse(
        Buffer.from(text.slice(text.indexOf('.') + 1), 'base64url').toString('utf8'),
      ) as { exp?: number };
      if (typeof payload.exp === 'number' && payload.exp + 60 < Date.now() / 1000) throw new Error('expired');
      return payload;
    },
  },
  {
    name: 'sdk process',
    what: '@wix/sdk webhooks.process (importSPKI + verify + parse + handler)',
    run: (i) => sdk.webhooks.process(tokens[i]!),
  },
  {
    name: 'sdk parseJWT',
    what: '@wix/sdk webhooks.parseJWT (no dispatch)',
    run: (i) => sdk.webhooks.parseJWT(tokens[i]!),
  },
  {
    name: 'sdk importSPKI',
    what: "jose importSPKI of the PEM (the SDK's per-call key import)",
    run: () => importSPKI(publicPem, 'RS256'),
  },
];

async function measure(c: Case): Promise<{ cpuUs: number; wallUs: number }> {
  const n = c.iterations ?? iterations;
  for (let i = 0; i < warmup; i++) await c.run(i % tokens.length);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await c.run(i % tokens.length);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const events = n * (c.per ?? 1);
  return { cpuUs: (cpu.user + cpu.system) / events, wallUs: (wall * 1000) / events };
}

// The store cases, on the embedded store in DATA_DIR on disk (SQLite). Case names carry the engine
// (`publish group commit (SQLite)`).
const BATCH = 50;
let seq = 0;
const freshId = () => `${eventIdOf(fixtures[seq % fixtures.length]!)}-${seq++}`;
const opened: { store: Store; remove(): void }[] = [];
for (const [engine, open] of [['SQLite', openSqliteStore]] as const) {
  const data = tempDir(`micro-${engine.toLowerCase()}`);
  const store = await open(`${data.path}/data`);
  opened.push({ store, remove: data.remove });
  await migrate(store);
  const accepted = acceptedEventsIn(store);
  cases.push(
    {
      name: `dedupe per event (${engine})`,
      what: `${engine}: has() + add() per event (2 statements, as the Kafka bus does)`,
      run: async () => {
        const id = freshId();
        if (!(await accepted.has(id))) await accepted.add(id);
      },
      iterations: Math.min(iterations, 2000),
    },
    {
      name: `dedupe batched (${engine})`,
      what: `${engine}: ${BATCH} has() + ${BATCH} add() at once (the Kafka bus's coalescing: one SELECT + one INSERT)`,
      per: BATCH,
      iterations: Math.max(20, Math.round(Math.min(iterations, 2000) / BATCH)),
      run: async () => {
        const ids = Array.from({ length: BATCH }, freshId);
        const seen = await Promise.all(ids.map((id) => accepted.has(id)));
        await Promise.all(ids.filter((_, k) => !seen[k]).map((id) => accepted.add(id)));
      },
    },
  );

  // The embedded bus's publish (the default's durable record), on the same store.
  const bus = createEmbeddedBus({ store, topics });
  const fresh = (i: number) => ({ ...busEvents[i % busEvents.length]!, id: freshId() });
  cases.push(
    {
      name: `publish one at a time (${engine})`,
      what: `embedded bus on ${engine}: one publish at a time (one INSERT each)`,
      run: (i) => bus.publish(fresh(i)),
      iterations: Math.min(iterations, 2000),
    },
    {
      name: `publish group commit (${engine})`,
      what: `embedded bus on ${engine}: ${BATCH} publishes at once (group commit: one INSERT)`,
      per: BATCH,
      iterations: Math.max(20, Math.round(Math.min(iterations, 2000) / BATCH)),
      run: (i) => Promise.all(Array.from({ length: BATCH }, (_, j) => bus.publish(fresh(i * BATCH + j)))),
    },
    {
      name: `full+durable (${engine})`,
      what: `full + embedded publish on ${engine}, ${BATCH} webhooks at once (serve, before its 200)`,
      per: BATCH,
      iterations: Math.max(20, Math.round(Math.min(iterations, 2000) / BATCH)),
      run: (i) =>
        Promise.all(
          Array.from({ length: BATCH }, async (_, j) => {
            const v = await verifyWixWebhook(tokens[(i * BATCH + j) % tokens.length]!, keys, {
              clockToleranceSec: 60,
            });
            if (!v.ok) throw new Error(v.reason);
            const event = pipelineFromClaims(v.claims);
            return bus.publish({ ...event, id: freshId() });
          }),
        ),
    },
  );
}

// The agent loop: the AI SDK turns every tool's zod input schema into JSON Schema on every step
// (prepareToolsAndToolChoice → asSchema(tool.inputSchema).jsonSchema), because policyTools hands it the
// zod schema itself. order-triage offers 7 tools and a run takes 3 steps.
const STEPS = 3;
const cachedSchemas = orderTriage.tools.map((t) => zodSchema(t.input as z.ZodType));
cases.push(
  {
    name: 'tool schemas/run',
    what: `order-triage: ${orderTriage.tools.length} tools → JSON Schema × ${STEPS} steps, per run, uncached (before src/agents/tools.ts cached them)`,
    run: async () => {
      for (let step = 0; step < STEPS; step++)
        for (const t of orderTriage.tools) await asSchema(t.input as z.ZodType).jsonSchema;
    },
    iterations: Math.min(iterations, 1000),
  },
  {
    name: 'cached schemas/run',
    what: 'the same with each tool schema wrapped once (zodSchema) and reused',
    run: async () => {
      for (let step = 0; step < STEPS; step++) for (const sc of cachedSchemas) await sc.jsonSchema;
    },
    iterations: Math.min(iterations, 1000),
  },
);

const results: Record<string, { cpuUs: number[]; wallUs: number[] }> = {};
try {
  for (let r = 0; r < rounds; r++) {
    for (const c of cases) {
      const { cpuUs, wallUs } = await measure(c);
      (results[c.name] ??= { cpuUs: [], wallUs: [] }).cpuUs.push(cpuUs);
      results[c.name]!.wallUs.push(wallUs);
    }
  }
} finally {
  for (const o of opened) {
    await o.store.close();
    o.remove();
  }
}
if (handled === 0) throw new Error('the @wix/sdk handler never ran');

const figures = cases.map((c) => ({
  name: c.name,
  what: c.what,
  cpuUsPerEvent: spread(results[c.name]!.cpuUs, 1),
  wallUsPerEvent: spread(results[c.name]!.wallUs, 1),
}));
const cpuOf = (name: string) => figures.find((f) => f.name === name)!.cpuUsPerEvent.median;

console.log(
  `micro: CPU µs per event, median (min–max) of ${rounds} round(s), ${iterations} events each after ${warmup} warm-up; ` +
    `${tokens.length} distinct webhooks, ${avgBytes} bytes on average; node ${m.node}, ${m.cores} cores`,
);
console.log(
  table(
    ['case', 'CPU µs/event', 'wall µs/event', 'what'],
    figures.map((f) => [f.name, showSpread(f.cpuUsPerEvent), showSpread(f.wallUsPerEvent), f.what]),
  ),
);
const fullUs = cpuOf('full');
console.log(
  `full pipeline = ${round(1e6 / fullUs, 0)} events/s per core at most; @wix/sdk process = ${round(cpuOf('sdk process') / fullUs, 2)} × full; ` +
    `dedupe per event adds ${cpuOf('dedupe per event (SQLite)')} µs on SQLite (${round((100 * cpuOf('dedupe per event (SQLite)')) / fullUs, 0)}% of full), batched ${cpuOf('dedupe batched (SQLite)')} µs`,
);
console.log(
  `default serve (SQLite): verify + unwrap + validate + durable record ${cpuOf('full+durable (SQLite)')} µs CPU per webhook ` +
    `(target ≤ 150); a publish alone ${cpuOf('publish one at a time (SQLite)')} µs one at a time, ` +
    `${cpuOf('publish group commit (SQLite)')} µs grouped`,
);
console.log(
  `agent tool schemas: ${round(cpuOf('tool schemas/run') / 1000, 2)} ms CPU per order-triage run uncached, ` +
    `${round(cpuOf('cached schemas/run') / 1000, 3)} ms when each schema is converted once (what src/agents/tools.ts does)`,
);
printJson({
  bench: 'micro',
  date: new Date().toISOString(),
  machine: m,
  settings: { iterations, warmup, rounds, pool: tokens.length, avgBodyBytes: avgBytes, dedupeBatch: BATCH },
  figures,
});

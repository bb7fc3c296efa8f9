/**
 * Content never becomes a 503: a buyer note holding U+0000 and a lone surrogate (which Postgres `text`
 * and `jsonb` refuse) is answered 200 and processed, on SQLite and on Postgres; a signed but invalid
 * envelope holding them is dead-lettered. What is stored is the documented storable form
 * (src/lib/storable.ts): NUL dropped, a lone surrogate replaced by U+FFFD.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fixture } from '../../src/sandbox/fixtures.js';
import { seedFromFixtures } from '../../src/sandbox/fixture-seed.js';
import { signWebhook } from '../../src/webhooks/sign.js';
import { entityOf, fixture, freshOrders, startEmulators } from '../support/agent-env.js';
import { rsKey } from '../support/keys.js';
import { describeIfServer, POSTGRES_URL, reachable } from '../support/servers.js';
import { startTestService } from '../support/service.js';

const NOTE = 'Please gift wrap\u0000 it \ud800 thanks \udc00 🎁';
const STORED = 'Please gift wrap it \ufffd thanks \ufffd 🎁';

const pgUrl = new URL(POSTGRES_URL);
const postgresUp = await reachable(pgUrl.hostname, Number(pgUrl.port || 5432));

type Emulators = Awaited<ReturnType<typeof startEmulators>>;
type TestService = Awaited<ReturnType<typeof startTestService>>;

function suite(store: 'sqlite' | 'postgres') {
  let emu: Emulators;
  let t: TestService;
  const schema = `unstorable_${randomBytes(5).toString('hex')}`;

  beforeAll(async () => {
    emu = await startEmulators();
    t = await startTestService({
      ...emu.env,
      ...(store === 'postgres' ? { DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: schema } : {}),
    });
  });
  afterAll(async () => {
    await t?.service.stop();
    await emu?.close();
    if (store === 'postgres') {
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    }
  });

  it('answers 200 for an order whose buyer note holds U+0000 and lone surrogates, and processes it', async () => {
    const [order] = freshOrders(1, { namePrefix: `nul-${store}`, firstNumber: 41000 });
    entityOf(order!.fixture).buyerNote = NOTE;
    seedFromFixtures(emu.wix.data, [order!.fixture]);

    const body = await signWebhook(order!.fixture.webhook, rsKey);
    for (let delivery = 0; delivery < 2; delivery++) {
      const res = await fetch(t.webhookUrl, { method: 'POST', body });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: delivery === 0 ? 'published' : 'duplicate' });
    }

    const run = await t.runs.until((seen) => seen.find((r) => r.eventId === order!.eventId), {
      timeoutMs: 30_000,
      what: 'the order was processed',
    });
    expect(run.status).toBe('succeeded');
    const { rows } = await t.service.store.query<{ payload: unknown }>(
      'SELECT payload FROM bus_events WHERE event_id = $1',
      [order!.eventId],
    );
    const payload = (
      typeof rows[0]!.payload === 'string' ? JSON.parse(rows[0]!.payload) : rows[0]!.payload
    ) as {
      entity: { buyerNote: string };
    };
    expect(payload.entity.buyerNote).toBe(STORED);
  });

  it('dead-letters a signed but invalid envelope holding them (200, not 503)', async () => {
    const invalid = structuredClone(fixture('order-created.invalid-missing-id-and-time')) as Fixture;
    const data = invalid.webhook.data as Record<string, unknown>;
    data.id = randomUUID();
    const entity = (data.createdEvent as { entity?: Record<string, unknown> } | undefined)?.entity;
    if (entity) entity.buyerNote = NOTE;
    data.note = NOTE;
    const res = await fetch(t.webhookUrl, {
      method: 'POST',
      body: await signWebhook(invalid.webhook, rsKey),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'dead_lettered' });
    const letters = await t.service.bus.listDeadLetters({ limit: 20 });
    const letter = letters.find((l) => JSON.stringify(l.payload).includes('\ufffd'));
    expect(letter, JSON.stringify(letters).slice(0, 500)).toBeDefined();
    expect(JSON.stringify(letter!.payload)).toContain(JSON.stringify(STORED).slice(1, -1));
  });
}

describe('unstorable text on SQLite', () => suite('sqlite'));
describeIfServer(postgresUp, 'PostgreSQL at 127.0.0.1:5432')('unstorable text on Postgres', () =>
  suite('postgres'),
);

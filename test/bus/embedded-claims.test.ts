import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createEmbeddedBus } from '../../src/bus/embedded.js';
import type { Delivery } from '../../src/bus/port.js';
import { AppError } from '../../src/errors.js';
import { eventTypes } from '../../src/domain/events.js';
import { topicsFor } from '../../src/domain/topics.js';
import { migrate } from '../../src/store/migrate.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import type { Store } from '../../src/store/port.js';
import { makeEvent, uniquePrefix } from '../support/events.js';
import { POSTGRES_URL, describeIfServer } from '../support/servers.js';
import { postgresFactory, sqliteFactory } from '../support/stores.js';
import { waitFor } from '../support/wait.js';

const CLAIM = /^\s*UPDATE bus_events\s+SET locked_by = \$1/;

/** The real store, counting the subscriber's claim statements. */
function counted(store: Store) {
  const seen = { claims: 0 };
  const wrapped: Store = {
    ...store,
    kind: store.kind,
    async query(sql, params, options) {
      if (CLAIM.test(sql)) seen.claims++;
      return store.query(sql, params, options);
    },
  };
  return { store: wrapped, seen };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const subscribeOptions = { maxAttempts: 5, retryBaseMs: 10, retryMaxMs: 50, concurrency: 4 };

describe('Embedded bus on SQLite: claims only when this process has news', () => {
  const embedded = sqliteFactory;
  it('runs no claim while idle, and one per publish', async () => {
    const real = await (await embedded()).open();
    const { store, seen } = counted(real);
    const bus = createEmbeddedBus({
      store,
      topics: topicsFor(uniquePrefix(), eventTypes),
      pollIntervalMs: 5,
      sweepMs: 600_000,
    });
    try {
      const delivered: string[] = [];
      await bus.subscribe(
        ['order_created'],
        async (d: Delivery) => void delivered.push(d.event.id),
        subscribeOptions,
      );
      await waitFor(() => seen.claims >= 1); // the first look at what a previous run left
      const events = [makeEvent({ instanceId: 'site-a' }), makeEvent({ instanceId: 'site-b' })];
      for (const event of events) {
        const before = seen.claims;
        await bus.publish(event);
        await waitFor(() => delivered.includes(event.id));
        await sleep(50); // ten polls
        expect(seen.claims - before).toBe(1);
      }
      expect(delivered).toEqual(events.map((e) => e.id));
    } finally {
      await bus.close();
      await real.close();
    }
  }, 60_000);

  it('picks a delayed retry up when its time comes, and a key’s next event once the first is done', async () => {
    const real = await (await embedded()).open();
    const bus = createEmbeddedBus({
      store: real,
      topics: topicsFor(uniquePrefix(), eventTypes),
      pollIntervalMs: 5,
      sweepMs: 600_000,
    });
    try {
      const attempts: Array<[string, number]> = [];
      const first = makeEvent({ instanceId: 'site-a' });
      const second = makeEvent({ instanceId: 'site-a' });
      await bus.subscribe(
        ['order_created'],
        async (d: Delivery) => {
          attempts.push([d.event.id, d.attempt]);
          if (d.event.id === first.id && d.attempt < 3) {
            throw new AppError('try later', { code: 'TEST', retryable: true, retryAfterMs: 150 });
          }
        },
        { ...subscribeOptions, retryMaxMs: 1000 },
      );
      await bus.publish(first);
      await bus.publish(second);
      await waitFor(() => attempts.some(([id]) => id === second.id), { timeoutMs: 20_000 });
      expect(attempts).toEqual([
        [first.id, 1],
        [first.id, 2],
        [first.id, 3],
        [second.id, 1],
      ]);
    } finally {
      await bus.close();
      await real.close();
    }
  }, 60_000);

  it('sweeps up rows changed outside the bus', async () => {
    const real = await (await embedded()).open();
    const bus = createEmbeddedBus({
      store: real,
      topics: topicsFor(uniquePrefix(), eventTypes),
      pollIntervalMs: 5,
      sweepMs: 100,
    });
    try {
      const delivered: string[] = [];
      const event = makeEvent();
      await bus.subscribe(
        ['order_created'],
        async (d: Delivery) => void delivered.push(d.event.id),
        subscribeOptions,
      );
      await bus.publish(event);
      await waitFor(() => delivered.length === 1);
      await waitFor(async () => {
        const { rows } = await real.query<{ status: string }>('SELECT status FROM bus_events');
        return rows[0]?.status === 'done';
      });
      await real.query(`UPDATE bus_events SET status = 'pending' WHERE event_id = $1`, [event.id]);
      await waitFor(() => delivered.length === 2);
      expect(delivered).toEqual([event.id, event.id]);
    } finally {
      await bus.close();
      await real.close();
    }
  }, 60_000);
});

const postgres = await postgresFactory();
describeIfServer(postgres.available, 'PostgreSQL at 127.0.0.1:5432')('Embedded bus on Postgres', () => {
  it('delivers, by polling, what another process published', async () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    const scoped = new URL(POSTGRES_URL);
    scoped.searchParams.set('options', `-c search_path=${schema}`);
    // Two stores on one database: two processes as far as the bus can tell.
    const publisherStore = openPostgresStore(scoped.toString(), { max: 2 });
    const workerStore = openPostgresStore(scoped.toString(), { max: 2 });
    const topics = topicsFor(uniquePrefix(), eventTypes);
    const publisher = createEmbeddedBus({ store: publisherStore, topics, pollIntervalMs: 20 });
    const worker = createEmbeddedBus({ store: workerStore, topics, pollIntervalMs: 20 });
    try {
      await migrate(publisherStore);
      const delivered: string[] = [];
      await worker.subscribe(
        ['order_created'],
        async (d: Delivery) => void delivered.push(d.event.id),
        subscribeOptions,
      );
      const events = [makeEvent({ instanceId: 'site-a' }), makeEvent({ instanceId: 'site-a' }), makeEvent()];
      for (const event of events) await publisher.publish(event);
      await waitFor(() => delivered.length === events.length, { timeoutMs: 20_000 });
      expect(delivered.filter((id) => id !== events[2]!.id)).toEqual([events[0]!.id, events[1]!.id]);
    } finally {
      await worker.close();
      await publisher.close();
      await workerStore.close();
      await publisherStore.close();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    }
  }, 60_000);
});

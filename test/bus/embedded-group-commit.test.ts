import { describe, expect, it } from 'vitest';
import { createEmbeddedBus } from '../../src/bus/embedded.js';
import type { GroupCommitOptions } from '../../src/bus/embedded-publish.js';
import type { Delivery } from '../../src/bus/port.js';
import type { BusEvent } from '../../src/domain/events.js';
import { eventTypes } from '../../src/domain/events.js';
import { topicsFor } from '../../src/domain/topics.js';
import { migrate } from '../../src/store/migrate.js';
import type { Store } from '../../src/store/port.js';
import { makeEvent, uniquePrefix } from '../support/events.js';
import { describeIfServer } from '../support/servers.js';
import { storeFactories } from '../support/stores.js';
import { waitFor } from '../support/wait.js';

/** The event ids a group insert writes (four parameters per row, the id first). */
function idsOf(params: readonly unknown[] | undefined): string[] {
  return (params ?? []).filter((_, i) => i % 4 === 0).map(String);
}

/**
 * The real store, counting the statements that write `bus_events` (and the most under way at once),
 * refusing any naming `refuse`, and failing the test's `overlaps` when two statements under way at once
 * hold the same event id.
 */
function watched(store: Store, refuse?: string) {
  const seen = { inserts: 0, underWay: 0, mostUnderWay: 0, overlaps: [] as string[] };
  const writing = new Map<string, number>();
  const wrapped: Store = {
    ...store,
    async query(sql, params, options) {
      if (!/INSERT INTO bus_events/.test(sql)) return store.query(sql, params, options);
      seen.inserts++;
      const ids = idsOf(params);
      if (refuse && ids.includes(refuse)) throw new Error('refused by the test store');
      for (const id of new Set(ids)) {
        if (writing.has(id)) seen.overlaps.push(id);
        writing.set(id, (writing.get(id) ?? 0) + 1);
      }
      seen.mostUnderWay = Math.max(seen.mostUnderWay, ++seen.underWay);
      try {
        return await store.query(sql, params, options);
      } finally {
        seen.underWay--;
        for (const id of new Set(ids)) {
          const n = writing.get(id)! - 1;
          if (n === 0) writing.delete(id);
          else writing.set(id, n);
        }
      }
    },
  };
  return { store: wrapped, seen };
}

for (const factory of await storeFactories()) {
  const suite =
    factory.name !== 'postgres'
      ? describe
      : describeIfServer(factory.available, 'PostgreSQL at 127.0.0.1:5432');

  suite(`Embedded bus group commit on ${factory.name}`, () => {
    /** A bus on a fresh store of this factory, its `bus_events` inserts `watched`; `close` closes both. */
    const openBus = async (o: { refuse?: string; groupCommit?: GroupCommitOptions } = {}) => {
      const real = await factory.open();
      const { store, seen } = watched(real, o.refuse);
      const bus = createEmbeddedBus({
        store,
        topics: topicsFor(uniquePrefix(), eventTypes),
        pollIntervalMs: 20,
        ...(o.groupCommit ? { groupCommit: o.groupCommit } : {}),
      });
      const close = async () => {
        await bus.close();
        await real.close();
      };
      return { real, bus, seen, close };
    };

    it('answers each concurrent publish after its shared statement: one published per new id, duplicates otherwise', async () => {
      const { real, bus, seen, close } = await openBus();
      try {
        const stored = makeEvent({ instanceId: 'site-g' });
        expect(await bus.publish(stored)).toBe('published');
        const fresh = Array.from({ length: 40 }, (_, i) => makeEvent({ instanceId: `site-${i % 4}` }));
        // Three ids sent three times at once (Wix retrying while the first copy is being written), and
        // the already stored event again.
        const copies = fresh.slice(0, 3).flatMap((e) => [e, { ...e, receivedAt: new Date().toISOString() }]);
        const sent = [...fresh, ...copies, stored, ...copies];
        const before = seen.inserts;
        const results = await Promise.all(sent.map((e) => bus.publish(e)));

        const byId = new Map<string, string[]>();
        sent.forEach((e, i) => byId.set(e.id, [...(byId.get(e.id) ?? []), results[i]!]));
        for (const e of fresh) {
          const r = byId.get(e.id)!;
          expect(r.filter((x) => x === 'published')).toHaveLength(1);
          expect(r.filter((x) => x === 'duplicate')).toHaveLength(r.length - 1);
        }
        expect(byId.get(stored.id)).toEqual(['duplicate']);
        // Shared: far fewer statements than publishes.
        expect(seen.inserts - before).toBeLessThan(sent.length / 4);

        const { rows } = await real.query<{ event_id: string; key: string }>(
          'SELECT event_id, key FROM bus_events ORDER BY seq',
        );
        expect(rows.map((r) => r.event_id).sort()).toEqual([stored.id, ...fresh.map((e) => e.id)].sort());
        // Rows keep the order of arrival within each site.
        for (let s = 0; s < 4; s++) {
          expect(rows.filter((r) => r.key === `site-${s}`).map((r) => r.event_id)).toEqual(
            fresh.filter((e) => e.instanceId === `site-${s}`).map((e) => e.id),
          );
        }

        const delivered: string[] = [];
        const sub = await bus.subscribe(
          ['order_created'],
          async (d: Delivery) => void delivered.push(d.event.id),
          { maxAttempts: 3, retryBaseMs: 10, retryMaxMs: 50 },
        );
        await waitFor(() => delivered.length === fresh.length + 1);
        await sub.close();
        expect(new Set(delivered).size).toBe(delivered.length);
      } finally {
        await close();
      }
    }, 90_000);

    it('writes the publishes of one event-loop turn with one statement, as webhooks read together ask for them', async () => {
      const { bus, seen, close } = await openBus();
      try {
        const events = Array.from({ length: 20 }, (_, i) => makeEvent({ instanceId: `site-t${i % 3}` }));
        // Node runs the handler of each request it read in one turn as its own task, one after another.
        const results = await new Promise<string[]>((resolve) => {
          const asked: Promise<string>[] = [];
          for (const e of events)
            setImmediate(() => {
              asked.push(bus.publish(e));
              if (asked.length === events.length) resolve(Promise.all(asked));
            });
        });
        expect(results).toEqual(events.map(() => 'published'));
        expect(seen.inserts).toBe(1);
      } finally {
        await close();
      }
    });

    it('keeps one event the store refuses from failing the others in its batch', async () => {
      const poison = makeEvent();
      const { real, bus, close } = await openBus({ refuse: poison.id });
      try {
        const others = Array.from({ length: 10 }, () => makeEvent());
        const results = await Promise.allSettled([poison, ...others].map((e) => bus.publish(e)));
        expect(results[0]).toMatchObject({ status: 'rejected', reason: { name: 'BusUnavailableError' } });
        expect(results.slice(1)).toEqual(others.map(() => ({ status: 'fulfilled', value: 'published' })));
        const { rows } = await real.query<{ n: number }>('SELECT count(*) AS n FROM bus_events');
        expect(rows[0]!.n).toBe(others.length);
      } finally {
        await close();
      }
    }, 90_000);

    it('runs several statements at once when allowed, never two holding one id, and answers each copy once', async () => {
      const { real, bus, seen, close } = await openBus({ groupCommit: { maxInFlight: 3, maxBatch: 5 } });
      try {
        const fresh = Array.from({ length: 30 }, () => makeEvent());
        // Every event twice, the copy arriving a few publishes later (while the first may be under way).
        const sent: BusEvent[] = [];
        fresh.forEach((e, i) => {
          sent.push(e);
          if (i >= 3) sent.push(fresh[i - 3]!);
        });
        sent.push(...fresh.slice(-3));
        const results: Promise<string>[] = [];
        for (const e of sent) {
          results.push(bus.publish(e));
          // A turn of the event loop between arrivals, as separate requests would have: the publisher
          // starts statements while later copies arrive.
          await new Promise((r) => setImmediate(r));
        }
        const answers = await Promise.all(results);

        const byId = new Map<string, string[]>();
        sent.forEach((e, i) => byId.set(e.id, [...(byId.get(e.id) ?? []), answers[i]!]));
        for (const e of fresh) expect(byId.get(e.id)!.sort()).toEqual(['duplicate', 'published']);
        expect(seen.overlaps).toEqual([]);
        if (factory.name === 'postgres') expect(seen.mostUnderWay).toBeGreaterThan(1);
        const { rows } = await real.query<{ n: number }>('SELECT count(*) AS n FROM bus_events');
        expect(rows[0]!.n).toBe(fresh.length);
      } finally {
        await close();
      }
    }, 90_000);

    it('runs two statements at once by default on a Postgres server, one on an embedded store', async () => {
      const { bus, seen, close } = await openBus();
      try {
        const results: Promise<string>[] = [];
        for (let i = 0; i < 40; i++) {
          results.push(bus.publish(makeEvent({ instanceId: `site-d${i % 5}` })));
          await new Promise((r) => setImmediate(r));
        }
        expect(new Set(await Promise.all(results))).toEqual(new Set(['published']));
        expect(seen.mostUnderWay).toBe(factory.name === 'postgres' ? 2 : 1);
      } finally {
        await close();
      }
    }, 90_000);

    it('answers published for an event id holding NUL or a lone surrogate (stored in its storable form)', async () => {
      const { real, bus, close } = await openBus();
      try {
        const odd = [makeEvent(), makeEvent()];
        odd[0]!.id = `nul\u0000-${odd[0]!.id}`;
        odd[1]!.id = `lone\ud800-${odd[1]!.id}`;
        const plain = makeEvent({ entity: { id: 'e', note: 'gift\u0000 wrap \udc00 🎁' } });
        expect(await Promise.all([...odd, plain].map((e) => bus.publish(e)))).toEqual([
          'published',
          'published',
          'published',
        ]);
        expect(await Promise.all(odd.map((e) => bus.publish(e)))).toEqual(['duplicate', 'duplicate']);
        const { rows } = await real.query<{ event_id: string; note: string | null }>(
          "SELECT event_id, payload->'entity'->>'note' AS note FROM bus_events ORDER BY seq",
        );
        expect(rows.map((r) => r.event_id)).toEqual([
          odd[0]!.id.replace('\u0000', ''),
          odd[1]!.id.replace('\ud800', '\ufffd'),
          plain.id,
        ]);
        expect(rows[2]!.note).toBe('gift wrap \ufffd 🎁');
      } finally {
        await close();
      }
    }, 90_000);

    if (factory.name !== 'sqlite') {
      it('delivers events an earlier version queued (payload jsonb, before migration 007) unchanged, and dedupes against them', async () => {
        const store = await factory.open({ upTo: 6 });
        const topics = topicsFor(uniquePrefix(), eventTypes);
        const queued = [
          makeEvent({ instanceId: 'site-old', entity: { id: 'o1', note: 'Grüße 🎁 "quoted"' } }),
        ];
        queued.push(makeEvent({ instanceId: 'site-old' }));
        // What the publish of migrations 001–006 wrote: the bus event as jsonb.
        await store.query(
          `INSERT INTO bus_events (event_id, topic, key, payload)
           SELECT e->>'id', e->>'topic', e->>'key', e->'payload' FROM jsonb_array_elements($1::jsonb) AS b(e)`,
          [
            JSON.stringify(
              queued.map((e) => ({ id: e.id, topic: topics.forType(e.type), key: e.instanceId, payload: e })),
            ),
          ],
        );
        expect(await migrate(store)).toContain(7);
        const bus = createEmbeddedBus({ store, topics, pollIntervalMs: 20 });
        try {
          const fresh = makeEvent({ instanceId: 'site-old' });
          expect(await Promise.all([queued[0]!, fresh].map((e) => bus.publish(e)))).toEqual([
            'duplicate',
            'published',
          ]);
          const delivered: BusEvent[] = [];
          const sub = await bus.subscribe(
            ['order_created'],
            async (d: Delivery) => void delivered.push(d.event),
            {
              maxAttempts: 3,
              retryBaseMs: 10,
              retryMaxMs: 50,
            },
          );
          await waitFor(() => delivered.length === 3);
          await sub.close();
          // In order of arrival for the site, each exactly as published.
          expect(delivered).toEqual([...queued, fresh]);
        } finally {
          await bus.close();
          await store.close();
        }
      }, 90_000);
    }
  });
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { migrate, readMigrations } from '../../src/store/migrate.js';
import { pruneOnce, retentionMetrics } from '../../src/store/retention.js';
import { DataDirInUseError } from '../../src/store/data-dir-lock.js';
import { openPgliteStore } from '../../src/store/pglite.js';
import type { Store } from '../../src/store/port.js';
import { describeIfServer } from '../support/servers.js';
import { storeFactories } from '../support/stores.js';

for (const factory of await storeFactories()) {
  const suite =
    factory.name === 'pglite'
      ? describe
      : describeIfServer(factory.available, 'PostgreSQL at 127.0.0.1:5432');
  suite(`Store contract on ${factory.name}`, () => {
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    it('has applied every migration once; migrating again applies nothing', async () => {
      store = await factory.open();
      const { rows } = await store.query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      expect(rows.map((r) => Number(r.version))).toEqual(readMigrations().map((m) => m.version));
      expect(await migrate(store)).toEqual([]);
    });

    it('round-trips parameters: text, integers, jsonb and text arrays', async () => {
      store = await factory.open();
      const payload = { nested: { list: [1, 'two', null] }, unicode: 'Grüße ✓' };
      await store.query(
        `INSERT INTO dead_letters (id, reason, error, attempts, payload) VALUES ($1, 'max_attempts', 'e', 3, $2)`,
        ['dl-1', JSON.stringify(payload)],
      );
      const { rows } = await store.query<{ payload: unknown; attempts: number }>(
        'SELECT payload, attempts FROM dead_letters WHERE id = ANY($1::text[])',
        [['dl-1', 'other']],
      );
      expect(rows).toEqual([{ payload, attempts: 3 }]);
    });

    it('commits a transaction that resolves and rolls back one that throws', async () => {
      store = await factory.open();
      await store.transaction(async (tx) => {
        await tx.query(`INSERT INTO processed_events (event_id, handler) VALUES ('kept', 'h')`);
      });
      await expect(
        store.transaction(async (tx) => {
          await tx.query(`INSERT INTO processed_events (event_id, handler) VALUES ('lost', 'h')`);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      const { rows } = await store.query<{ event_id: string }>('SELECT event_id FROM processed_events');
      expect(rows.map((r) => r.event_id)).toEqual(['kept']);
    });

    it('stores NUL and lone surrogates in text and jsonb, as their storable form', async () => {
      store = await factory.open();
      const nasty = 'a\u0000b\ud800c';
      await store.query(
        `INSERT INTO dead_letters (id, reason, error, attempts, payload) VALUES ($1, 'max_attempts', $2, 1, $3)`,
        ['dl-nul', nasty, JSON.stringify({ note: nasty })],
      );
      const { rows } = await store.query<{ error: string; payload: unknown }>(
        `SELECT error, payload FROM dead_letters WHERE id = 'dl-nul'`,
      );
      expect(rows[0]!.error).toBe('ab\ufffdc');
      const payload = typeof rows[0]!.payload === 'string' ? JSON.parse(rows[0]!.payload) : rows[0]!.payload;
      expect(payload).toEqual({ note: 'ab\ufffdc' });
    });

    it('retention deletes rows past their horizon in bounded batches, and keeps the rest', async () => {
      store = await factory.open();
      const old = `now() - interval '10 days'`;
      for (let i = 0; i < 25; i++) {
        await store.query(
          `INSERT INTO processed_events (event_id, handler, processed_at) VALUES ($1, 'h', ${old})`,
          [`old-${i}`],
        );
        await store.query(`INSERT INTO accepted_events (event_id, accepted_at) VALUES ($1, ${old})`, [
          `old-${i}`,
        ]);
        await store.query(
          `INSERT INTO bus_events (event_id, topic, key, payload, status, finished_at) VALUES ($1, 't', 'k', '{}', 'done', ${old})`,
          [`old-${i}`],
        );
      }
      await store.query(`INSERT INTO processed_events (event_id, handler) VALUES ('new', 'h')`);
      // Pending: one a worker took (waiting to retry) stays however old; one no worker ever took goes after
      // the queue horizon (a type nobody subscribes to), like an unconsumed record past a topic's retention.
      await store.query(
        `INSERT INTO bus_events (event_id, topic, key, payload, status, attempts, created_at)
         VALUES ('pending-taken', 't', 'k', '{}', 'pending', 1, ${old}),
                ('pending-untaken-old', 't2', 'k', '{}', 'pending', 0, ${old}),
                ('pending-untaken-new', 't2', 'k', '{}', 'pending', 0, now())`,
      );
      await store.query(
        `INSERT INTO dead_letters (id, reason, error, attempts, payload, dead_at) VALUES ('dl-old', 'max_attempts', 'e', 1, '{}', ${old}), ('dl-new', 'max_attempts', 'e', 1, '{}', now())`,
      );
      // A finished run with a final call goes; a run whose write is still pending approval stays.
      for (const [run, status] of [
        ['r-done', 'executed'],
        ['r-pending', 'pending'],
      ] as const) {
        await store.query(
          `INSERT INTO agent_runs (id, event_id, event_type, instance_id, handler, model, mode, attempt, status, started_at)
           VALUES ($1, 'e', 'order_created', 'i', 'h', 'm', 'live', 1, 'succeeded', ${old})`,
          [run],
        );
        await store.query(
          `INSERT INTO tool_calls (id, run_id, seq, event_id, handler, instance_id, tool, access, status, created_at)
           VALUES ($1, $2, 1, 'e', 'h', 'i', 't', 'write', $3, ${old})`,
          [`c-${run}`, run, status],
        );
      }
      const day = 86_400_000;
      const registry = new Registry();
      const deleted = await pruneOnce(
        store,
        { dedupeMs: 7 * day, queueMs: 7 * day, auditMs: 7 * day, deadLettersMs: 7 * day, batchSize: 10 },
        { metrics: retentionMetrics(registry) },
      );
      expect(deleted).toMatchObject({
        processed_events: 25,
        accepted_events: 25,
        bus_events: 25,
        bus_events_unconsumed: 1,
        dead_letters: 1,
        agent_runs: 1,
      });
      const ids = async (sql: string) =>
        (await store!.query<{ id: string }>(sql)).rows.map((r) => r.id).sort();
      expect(await ids('SELECT event_id AS id FROM processed_events')).toEqual(['new']);
      expect(await ids('SELECT event_id AS id FROM bus_events')).toEqual([
        'pending-taken',
        'pending-untaken-new',
      ]);
      expect(await ids('SELECT id FROM dead_letters')).toEqual(['dl-new']);
      expect(await ids('SELECT id FROM agent_runs')).toEqual(['r-pending']);
      expect(await ids('SELECT id FROM tool_calls')).toEqual(['c-r-pending']);
      const text = await registry.metrics();
      expect(text).toMatch(/wix_retention_deleted_total\{table="bus_events"\} 26/);
      expect(text).toMatch(/wix_store_rows\{table="bus_events"\} 2/);
      const bytes = Number(/wix_store_bytes\{table="bus_events"\} (\d+)/.exec(text)?.[1]);
      expect(bytes).toBeGreaterThan(8192); // at least one page of the table, plus its indexes
    });

    it('reports rowCount for writes', async () => {
      store = await factory.open();
      const first = await store.query(
        `INSERT INTO accepted_events (event_id) VALUES ('a') ON CONFLICT DO NOTHING`,
      );
      const second = await store.query(
        `INSERT INTO accepted_events (event_id) VALUES ('a') ON CONFLICT DO NOTHING`,
      );
      expect([first.rowCount, second.rowCount]).toEqual([1, 0]);
    });
  });
}

describe('the embedded store on disk', () => {
  it('keeps committed data across a close and reopen of DATA_DIR', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wea-store-'));
    try {
      const first = await openPgliteStore(dir);
      await migrate(first);
      await first.query(`INSERT INTO accepted_events (event_id) VALUES ('persisted')`);
      await first.close();
      const second = await openPgliteStore(dir);
      expect(await migrate(second)).toEqual([]);
      const { rows } = await second.query('SELECT event_id FROM accepted_events');
      expect(rows).toEqual([{ event_id: 'persisted' }]);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a second opener of the same DATA_DIR while the first holds it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wea-lock-'));
    try {
      const first = await openPgliteStore(dir);
      await expect(openPgliteStore(dir)).rejects.toBeInstanceOf(DataDirInUseError);
      await first.close();
      const again = await openPgliteStore(dir);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

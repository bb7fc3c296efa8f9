import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { migrate, migrationsFor } from '../../src/store/migrate.js';
import { pruneOnce, retentionMetrics } from '../../src/store/retention.js';
import { DataDirInUseError } from '../../src/store/data-dir-lock.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { openEmbeddedStore } from '../../src/store/embedded.js';
import { loadConfig } from '../../src/config/load.js';
import { StartupError } from '../../src/lib/startup-error.js';
import { inArray, nowSql, sqlFor, type Store } from '../../src/store/port.js';
import { describeIfServer } from '../support/servers.js';
import { storeFactories } from '../support/stores.js';

for (const factory of await storeFactories()) {
  const suite =
    factory.name !== 'postgres'
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
      expect(rows.map((r) => Number(r.version))).toEqual(migrationsFor(store.dialect).map((m) => m.version));
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
        `SELECT payload, attempts FROM dead_letters WHERE ${inArray(store, 'id', '$1')}`,
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

    if (factory.name !== 'sqlite') {
      it('keeps the event documents as json text, compressed with lz4 where the server has it', async () => {
        store = await factory.open();
        const { rows } = await store.query<{ type: string; compression: string }>(
          `SELECT format_type(atttypid, atttypmod) AS type, attcompression::text AS compression
             FROM pg_attribute
            WHERE (attrelid, attname) IN (('bus_events'::regclass, 'payload'), ('webhook_arrivals'::regclass, 'event'))`,
        );
        expect(rows.map((r) => r.type)).toEqual(['json', 'json']);
        // Whether this server was built with lz4: a column of its own asks for it.
        const lz4 = await store
          .exec('CREATE TEMP TABLE lz4_probe (t text COMPRESSION lz4); DROP TABLE lz4_probe')
          .then(() => true)
          .catch(() => false);
        expect(rows.map((r) => r.compression)).toEqual(lz4 ? ['l', 'l'] : ['', '']);
      });
    }

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
      const old = sqlFor(store, {
        postgres: `now() - interval '10 days'`,
        sqlite: `strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-10 days')`,
      });
      const now = nowSql(store);
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
                ('pending-untaken-new', 't2', 'k', '{}', 'pending', 0, ${now})`,
      );
      await store.query(
        `INSERT INTO dead_letters (id, reason, error, attempts, payload, dead_at) VALUES ('dl-old', 'max_attempts', 'e', 1, '{}', ${old}), ('dl-new', 'max_attempts', 'e', 1, '{}', ${now})`,
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

describe('the embedded store on disk (sqlite)', () => {
  it('keeps committed data across a close and reopen of DATA_DIR', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wea-store-'));
    try {
      const first = await openSqliteStore(dir);
      await migrate(first);
      await first.query(`INSERT INTO accepted_events (event_id) VALUES ('persisted')`);
      await first.close();
      const second = await openSqliteStore(dir);
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
      const first = await openSqliteStore(dir);
      await expect(openSqliteStore(dir)).rejects.toBeInstanceOf(DataDirInUseError);
      await first.close();
      const again = await openSqliteStore(dir);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the embedded engine DATA_DIR gets', () => {
  it('is SQLite for a new or empty directory and in memory', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'wea-engine-'));
    try {
      const inMemory = await openEmbeddedStore('memory://x');
      expect(inMemory.kind).toBe('sqlite');
      await inMemory.close();
      const sqlite = await openEmbeddedStore(fresh);
      expect(sqlite.kind).toBe('sqlite');
      await sqlite.close();
      expect(existsSync(join(fresh, 'wix-event-agent.sqlite'))).toBe(true);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('refuses, writing nothing, a directory holding an earlier version’s PGlite database', async () => {
    // What an earlier version left (PGlite's PG_VERSION, no SQLite file); the e2e test
    // startup-errors.test.ts checks the line `serve` prints for it.
    const earlier = mkdtempSync(join(tmpdir(), 'wea-engine-'));
    try {
      writeFileSync(join(earlier, 'PG_VERSION'), '17\n');
      mkdirSync(join(earlier, 'base'));
      const error = await openEmbeddedStore(earlier).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StartupError);
      expect((error as StartupError).variable).toBe('DATA_DIR');
      expect((error as Error).message).toMatch(/earlier version \(PGlite\).*store upgrade.*9e1abec/);
      expect(readdirSync(earlier).sort()).toEqual(['PG_VERSION', 'base']);
      expect(readdirSync(join(earlier, 'base'))).toEqual([]);
    } finally {
      rmSync(earlier, { recursive: true, force: true });
    }
  });
});

describe('SQLITE_SYNC', () => {
  it('sets when a SQLite commit is synced: full by default, normal and off when asked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wea-sync-'));
    try {
      const seen: Record<string, unknown> = {};
      for (const mode of [undefined, 'full', 'normal', 'off'] as const) {
        const store = await openEmbeddedStore(dir, mode ? { sqliteSync: mode } : {});
        const { rows } = await store.query<{ synchronous: number }>('PRAGMA synchronous');
        seen[mode ?? 'default'] = rows[0]?.synchronous;
        await store.close();
      }
      // SQLite's codes: 0 OFF, 1 NORMAL, 2 FULL. With full the connection commits as NORMAL and the
      // store syncs the WAL itself, off the event loop, before a commit resolves: the syncs are counted
      // in store-sync.test.ts.
      expect(seen).toEqual({ default: 1, full: 1, normal: 1, off: 0 });
      expect(loadConfig({}).sqliteSync).toBe('full');
      expect(() => loadConfig({ SQLITE_SYNC: 'sometimes' })).toThrow(/SQLITE_SYNC/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the SQLite store reads rows as the Postgres drivers do', () => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('returns timestamptz columns as Dates and jsonb columns parsed, also through RETURNING', async () => {
    store = await openSqliteStore(undefined);
    await migrate(store);
    const before = Date.now();
    const inserted = await store.query<{ payload: unknown; created_at: unknown; seq: unknown }>(
      `INSERT INTO bus_events (event_id, topic, key, payload) VALUES ('e1', 't', 'k', $1)
       RETURNING seq, payload, created_at`,
      [JSON.stringify({ a: [1, 'x'], n: null })],
    );
    const row = inserted.rows[0]!;
    expect(row.payload).toEqual({ a: [1, 'x'], n: null });
    expect(row.seq).toBe(1);
    expect(row.created_at).toBeInstanceOf(Date);
    const at = (row.created_at as Date).getTime();
    expect(at).toBeGreaterThanOrEqual(before - 5);
    expect(at).toBeLessThanOrEqual(Date.now() + 5);
    // A Date parameter compares with stored times.
    const { rows } = await store.query(`SELECT event_id FROM bus_events WHERE created_at <= $1`, [
      new Date(at + 1),
    ]);
    expect(rows).toEqual([{ event_id: 'e1' }]);
  });

  it('holds statements from outside a transaction until it ends, and rolls back on a throw', async () => {
    const s = await openSqliteStore(undefined);
    store = s;
    await migrate(s);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let began!: () => void;
    const inside = new Promise<void>((r) => (began = r));
    const seen: string[] = [];
    const tx = s.transaction(async (t) => {
      await t.query(`INSERT INTO processed_events (event_id, handler) VALUES ('in-tx', 'h')`);
      began();
      await gate;
      throw new Error('rolled back');
    });
    await inside;
    // Asked while the transaction is open: must not see (nor commit inside) its uncommitted row.
    const outside = s.query<{ n: number }>('SELECT count(*) AS n FROM processed_events').then((r) => {
      seen.push(`count ${r.rows[0]!.n}`);
    });
    await new Promise((r) => setImmediate(r));
    const early = [...seen];
    release();
    await expect(tx).rejects.toThrow('rolled back');
    await outside;
    expect(early).toEqual([]);
    expect(seen).toEqual(['count 0']);
  });
});

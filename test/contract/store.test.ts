import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../../src/store/migrate.js';
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

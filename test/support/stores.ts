import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate, migrationsFor } from '../../src/store/migrate.js';
import type { Store } from '../../src/store/port.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { POSTGRES_URL, reachable } from './servers.js';

/** Applies `store`'s migrations, all of them or those up to `upTo`. */
const migrateUpTo = (store: Store, upTo: number | undefined) =>
  migrate(
    store,
    upTo === undefined ? undefined : migrationsFor(store.dialect).filter((m) => m.version <= upTo),
  );

export interface StoreFactory {
  name: 'sqlite' | 'postgres';
  /** False when the server is not reachable (the embedded stores are always available). */
  available: boolean;
  /**
   * A fresh, migrated, isolated store (Postgres: its own schema, dropped by `close`); with `upTo`, only
   * the migrations up to that version (what an earlier version of the service left).
   */
  open(options?: { upTo?: number }): Promise<Store>;
}

export async function sqliteFactory(): Promise<StoreFactory> {
  return {
    name: 'sqlite',
    available: true,
    async open(options) {
      const store = await openSqliteStore(undefined);
      await migrateUpTo(store, options?.upTo);
      return store;
    },
  };
}

export async function postgresFactory(): Promise<StoreFactory> {
  const url = new URL(POSTGRES_URL);
  const available = await reachable(url.hostname, Number(url.port || 5432));
  return {
    name: 'postgres',
    available,
    async open(options) {
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.end();
      const scoped = new URL(POSTGRES_URL);
      scoped.searchParams.set('options', `-c search_path=${schema}`);
      const store = openPostgresStore(scoped.toString(), { max: 5 });
      await migrateUpTo(store, options?.upTo);
      return {
        ...store,
        async close() {
          await store.close();
          const c = new pg.Client({ connectionString: POSTGRES_URL });
          await c.connect();
          await c.query(`DROP SCHEMA ${schema} CASCADE`);
          await c.end();
        },
      };
    },
  };
}

export async function storeFactories(): Promise<StoreFactory[]> {
  return [await sqliteFactory(), await postgresFactory()];
}

/**
 * The store, opened and migrated: Postgres with `DATABASE_URL`, else the embedded SQLite store in
 * `DATA_DIR`. Built here only (the composition root); every room receives it.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config/load.js';
import { closingOnError } from '../lib/closing-on-error.js';
import { duringStartup, StartupError, urlTarget } from '../lib/startup-error.js';
import type { Logger } from '../observability/logger.js';

import { migrate } from '../store/migrate.js';
import type { Store } from '../store/port.js';

/** The configuration a store needs. */
export type StoreSettings = Pick<Config, 'databaseUrl' | 'databaseSchema' | 'dataDir' | 'sqliteSync'>;

/**
 * Opens and migrates the configured store; a failure is a StartupError naming DATABASE_URL or DATA_DIR.
 * `logger` hears of the embedded SQLite store's background checkpoints failing (it then checkpoints inline).
 */
export async function openStore(config: StoreSettings, logger?: Pick<Logger, 'warn'>): Promise<Store> {
  const url = config.databaseUrl;
  if (url) {
    // Loaded only when asked for (like Kafka, Redis, the model providers and MCP): `serve` on the
    // embedded defaults never imports the clients it does not use (memory at rest).
    const { effectiveSchema, ensureSchema, openPostgresStore } = await import('../store/postgres.js');
    const schema = effectiveSchema(url, config.databaseSchema);
    return duringStartup(
      'DATABASE_URL',
      async () => {
        const store = openPostgresStore(url, schema ? { schema } : {});
        if (schema) await closingOnError([store], () => ensureSchema(store, schema));
        return migrated(store);
      },
      { target: urlTarget(url) },
    );
  }
  // SQLite in DATA_DIR (store/embedded.ts), loaded only here: a process on Postgres never holds libsql.
  const { openEmbeddedStore } = await import('../store/embedded.js');
  return duringStartup(
    'DATA_DIR',
    async () =>
      migrated(
        await openEmbeddedStore(config.dataDir, {
          sqliteSync: config.sqliteSync,
          onCheckpointError: (error) =>
            logger?.warn({ err: error }, 'SQLite background checkpoints stopped: checkpointing inline'),
        }),
      ),
    { target: config.dataDir, timeoutMs: 60_000 },
  );
}

/**
 * The configured store for a command that reads what a service wrote (`dlq`, `runs`, `approvals`, `mcp`):
 * an embedded store that does not exist is an error, not a new empty one (that would report "0 dead
 * letters" next to a service using another DATA_DIR).
 */
export async function openExistingStore(config: StoreSettings): Promise<Store> {
  if (!config.databaseUrl && !config.dataDir.startsWith('memory://') && !existsSync(config.dataDir)) {
    throw new StartupError(
      'DATA_DIR',
      `no embedded store at ${resolve(config.dataDir)}: point DATA_DIR at the service's data directory, or ask the running service with --api <url>`,
    );
  }
  return openStore(config);
}

async function migrated(store: Store): Promise<Store> {
  return closingOnError([store], async () => {
    await migrate(store);
    return store;
  });
}

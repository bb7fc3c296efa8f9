import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from './port.js';
import { SQLITE_FILE } from './dialects.js';

/**
 * Opens the embedded store in `dataDir` (`DATA_DIR`): SQLite (`wix-event-agent.sqlite`, see sqlite.ts),
 * unless the directory holds a PGlite database an earlier version created (its `PG_VERSION` file) and no
 * SQLite file, which then keeps being used as it is (nothing is converted or lost; see the README's
 * "Upgrading" for moving to SQLite). Undefined or `memory://…`: SQLite in memory.
 *
 * Each engine is loaded only when it is opened, so a process never holds the other one's code.
 * `options.sqliteSync`: SQLite's `synchronous` (`SQLITE_SYNC`), default `full` (see sqlite.ts);
 * `options.onCheckpointError`: told when SQLite's background checkpoints fail (it then checkpoints inline).
 *
 * @throws DataDirInUseError when another live process holds `dataDir`; the engine's error when the
 *   database cannot be opened.
 */
export async function openEmbeddedStore(
  dataDir: string | undefined,
  options: { sqliteSync?: 'full' | 'normal' | 'off'; onCheckpointError?: (error: Error) => void } = {},
): Promise<Store> {
  if (dataDir !== undefined && !dataDir.startsWith('memory://') && isPgliteDataDir(dataDir)) {
    const { openPgliteStore } = await import('./pglite.js');
    return openPgliteStore(dataDir);
  }
  const { openSqliteStore } = await import('./sqlite.js');
  return openSqliteStore(dataDir, {
    synchronous: options.sqliteSync ?? 'full',
    ...(options.onCheckpointError ? { onCheckpointError: options.onCheckpointError } : {}),
  });
}

/** True when `dataDir` holds a PGlite (Postgres) data directory and no SQLite store. */
export function isPgliteDataDir(dataDir: string): boolean {
  return existsSync(join(dataDir, 'PG_VERSION')) && !existsSync(join(dataDir, SQLITE_FILE));
}

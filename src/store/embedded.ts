import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { StartupError } from '../lib/startup-error.js';
import type { Store } from './port.js';
import { SQLITE_FILE } from './dialects.js';
import { openSqliteStore } from './sqlite.js';

/**
 * Opens the embedded store in `dataDir` (`DATA_DIR`): SQLite (`wix-event-agent.sqlite`, see sqlite.ts).
 * Undefined or `memory://…`: SQLite in memory.
 *
 * `options.sqliteSync`: SQLite's `synchronous` (`SQLITE_SYNC`), default `full` (see sqlite.ts);
 * `options.onCheckpointError`: told when SQLite's background checkpoints fail (it then checkpoints inline).
 *
 * @throws StartupError (DATA_DIR) when `dataDir` holds the PGlite database an earlier version created
 *   there (its `PG_VERSION` file, no SQLite file), which this version no longer opens; nothing is written
 *   to the directory then.
 * @throws DataDirInUseError when another live process holds `dataDir`; the engine's error when the
 *   database cannot be opened.
 */
export async function openEmbeddedStore(
  dataDir: string | undefined,
  options: { sqliteSync?: 'full' | 'normal' | 'off'; onCheckpointError?: (error: Error) => void } = {},
): Promise<Store> {
  if (dataDir !== undefined && !dataDir.startsWith('memory://') && isPgliteDataDir(dataDir)) {
    throw new StartupError(
      'DATA_DIR',
      `${dataDir} holds a store from an earlier version (PGlite), which this version no longer opens: ` +
        'point DATA_DIR at a new directory, or, to keep its data, run `wix-event-agent store upgrade` on it ' +
        'from a checkout of the previous version (git commit 9e1abec) first',
    );
  }
  return openSqliteStore(dataDir, {
    synchronous: options.sqliteSync ?? 'full',
    ...(options.onCheckpointError ? { onCheckpointError: options.onCheckpointError } : {}),
  });
}

/** True when `dataDir` holds a PGlite (Postgres) data directory and no SQLite store. */
function isPgliteDataDir(dataDir: string): boolean {
  return existsSync(join(dataDir, 'PG_VERSION')) && !existsSync(join(dataDir, SQLITE_FILE));
}

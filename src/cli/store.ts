/** `store upgrade`: move a DATA_DIR from PGlite to SQLite. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { isPgliteDataDir, SQLITE_FILE, upgradePgliteDataDir } from '../app/store.js';
import { duringStartup, StartupError } from '../lib/startup-error.js';
import { config } from './context.js';

export function registerStore(program: Command): void {
  const storeCommand = program.command('store').description('the embedded store in DATA_DIR');
  storeCommand
    .command('upgrade')
    .description(
      'move DATA_DIR from PGlite (what versions before SQLite created) to SQLite, every row copied; stop the service first',
    )
    .action(async () => {
      const cfg = config();
      const dir = resolve(cfg.dataDir);
      // isPgliteDataDir is false too when wix-event-agent.sqlite is there already.
      if (cfg.dataDir.startsWith('memory://') || !isPgliteDataDir(dir)) {
        throw new StartupError(
          'DATA_DIR',
          `${dir} holds no PGlite database to upgrade (the service already uses SQLite there, or it is not the service's data directory)`,
        );
      }
      const rows = await duringStartup(
        'DATA_DIR',
        () => upgradePgliteDataDir(dir, (line) => console.log(line)),
        {
          target: dir,
          timeoutMs: 3_600_000,
        },
      );
      const total = Object.values(rows).reduce((a, b) => a + b, 0);
      console.log(
        `${total} rows copied: DATA_DIR ${dir} now opens SQLite (${SQLITE_FILE}). The PGlite files beside it ` +
          '(PG_VERSION, base/, global/, the pg_* directories, postgresql.conf and the other *.conf) are no longer read: ' +
          'delete them once the service runs.',
      );
    });
}

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** True when `dataDir` holds an initialised Postgres cluster (initdb writes PG_VERSION). */
export const isInitialised = (dataDir: string) => existsSync(join(dataDir, 'PG_VERSION'));

const tmpPrefix = '.initdb-';

/**
 * Runs PGlite's initdb for `dataDir` in a short-lived child process, so that the service process never
 * holds initdb's memory: initdb loads a second WebAssembly engine and peaks at ≈ 0.7–0.9 GB, which the
 * process keeps as resident memory afterwards (measured by bench/memory.ts). The child only creates the
 * cluster and exits; migrations run later in the service process as usual.
 *
 * The cluster is built in a fresh `.initdb-*` directory inside `dataDir` and its entries are then moved
 * in, `PG_VERSION` last: a process killed at any point leaves `dataDir` without `PG_VERSION`, and the
 * next start builds it again (leftovers of an earlier attempt are removed first).
 *
 * @throws Error with the child's stderr when initdb fails.
 */
export async function initdbInChild(dataDir: string): Promise<void> {
  for (const entry of readdirSync(dataDir))
    if (entry.startsWith(tmpPrefix)) rmSync(join(dataDir, entry), { recursive: true, force: true });
  const tmp = join(dataDir, `${tmpPrefix}${randomBytes(6).toString('hex')}`);
  try {
    await runInitdb(tmp);
    const entries = readdirSync(tmp).sort((a, b) => Number(a === 'PG_VERSION') - Number(b === 'PG_VERSION'));
    for (const entry of entries) {
      // Same name in dataDir = left by an interrupted earlier move of ours.
      rmSync(join(dataDir, entry), { recursive: true, force: true });
      renameSync(join(tmp, entry), join(dataDir, entry));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function runInitdb(dataDir: string): Promise<void> {
  // Resolved here, from this package, so the child finds PGlite whatever its working directory.
  const pglite = pathToFileURL(createRequire(import.meta.url).resolve('@electric-sql/pglite')).href;
  const code =
    `const { PGlite } = await import(${JSON.stringify(pglite)});` +
    'const db = await PGlite.create({ dataDir: process.argv[1] }); await db.close();';
  const child = spawn(process.execPath, ['--input-type=module', '-e', code, dataDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: process.env,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    if (stderr.length < 8000) stderr += d;
  });
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (exitCode !== 0)
    throw new Error(`initdb of ${dataDir} failed (exit ${exitCode}): ${stderr.trim().slice(-2000)}`);
}

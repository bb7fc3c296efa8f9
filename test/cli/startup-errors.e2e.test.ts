/**
 * Every start-up failure is one line on stderr naming the variable and the likely fix, a non-zero exit,
 * and no stack trace unless LOG_LEVEL=debug. Each case runs the real CLI (`serve`) in its own process.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { describeIfServer, POSTGRES_URL, reachable } from '../support/servers.js';

const timeout = 180_000;

/** Variables that would change what `serve` does, blanked (empty = unset) unless the case sets them. */
const clean = {
  DATABASE_URL: '',
  DATA_DIR: '',
  KAFKA_BROKERS: '',
  REDIS_URL: '',
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'info',
  WIX_APP_ID: '',
  WIX_APP_SECRET: '',
  WIX_API_KEY: '',
  LLM_PROVIDER: '',
};

async function serve(env: Record<string, string>) {
  const result = await runCli(['serve'], { env: { ...clean, ...env }, timeoutMs: timeout - 10_000 });
  return { ...result, lines: result.stderr.trim().split('\n') };
}

/** The contract: non-zero exit, exactly one line on stderr starting with `variable`, no stack anywhere. */
function expectOneLine(result: Awaited<ReturnType<typeof serve>>, variable: string, fix: RegExp) {
  expect(result.status, result.stderr).not.toBe(0);
  expect(result.status).not.toBeNull(); // exited by itself, not killed by the timeout
  expect(result.lines, result.stderr).toHaveLength(1);
  expect(result.lines[0]).toMatch(new RegExp(`^${variable}: `));
  expect(result.lines[0]).toMatch(fix);
  expect(result.stderr + result.stdout).not.toMatch(/\n\s+at /);
  expect(result.stdout).not.toContain('"stack"');
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe.concurrent('start-up failures without servers', () => {
  it('a malformed DATABASE_URL', { timeout }, async () => {
    const r = await serve({ DATABASE_URL: 'mysql://user:hunter2@db/x' });
    expectOneLine(r, 'DATABASE_URL', /postgres:\/\/user:password@host/);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toContain('hunter2');
  });

  it('an unreachable DATABASE_URL', { timeout }, async () => {
    const port = await freePort();
    const r = await serve({ DATABASE_URL: `postgres://postgres:pw@127.0.0.1:${port}/test` });
    expectOneLine(r, 'DATABASE_URL', new RegExp(`connections at 127\\.0\\.0\\.1:${port}: start Postgres`));
    expect(r.stderr).not.toContain(':pw@');
  });

  it('a DATA_DIR that is a file', { timeout }, async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'startup-')), 'a-file');
    writeFileSync(file, 'x');
    expectOneLine(await serve({ DATA_DIR: file }), 'DATA_DIR', /is a file.*point DATA_DIR at a directory/);
  });

  it('a DATA_DIR that is not writable', { timeout }, async () => {
    // root ignores permission bits; sysfs refuses new directories even to root.
    let dir = '/sys/wix-event-agent-startup-test';
    if (process.getuid?.() !== 0) {
      const parent = mkdtempSync(join(tmpdir(), 'startup-'));
      mkdirSync(join(parent, 'ro'));
      chmodSync(join(parent, 'ro'), 0o500);
      dir = join(parent, 'ro', 'data');
    }
    expectOneLine(await serve({ DATA_DIR: dir }), 'DATA_DIR', /not writable/);
  });

  it('a DATA_DIR whose database file is not a SQLite database', { timeout }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'startup-'));
    writeFileSync(
      join(dir, 'wix-event-agent.sqlite'),
      'not a database, but a file someone put here '.repeat(200),
    );
    expectOneLine(await serve({ DATA_DIR: dir }), 'DATA_DIR', /is not a SQLite database.*move it away/);
  });

  it('a DATA_DIR an earlier version filled with PGlite, left untouched', { timeout }, async () => {
    // What the detection looks for: PGlite's PG_VERSION and no wix-event-agent.sqlite.
    const dir = mkdtempSync(join(tmpdir(), 'startup-'));
    writeFileSync(join(dir, 'PG_VERSION'), '17\n');
    mkdirSync(join(dir, 'base'));
    const r = await serve({ DATA_DIR: dir });
    expectOneLine(r, 'DATA_DIR', /earlier version \(PGlite\)/);
    expect(r.lines[0]).toBe(
      `DATA_DIR: ${dir} holds a store from an earlier version (PGlite), which this version no longer opens: ` +
        'point DATA_DIR at a new directory, or, to keep its data, run `wix-event-agent store upgrade` on it ' +
        'from a checkout of the previous version (git commit 9e1abec) first',
    );
    expect(readdirSync(dir).sort()).toEqual(['PG_VERSION', 'base']);
    expect(readdirSync(join(dir, 'base'))).toEqual([]);
    expect(readFileSync(join(dir, 'PG_VERSION'), 'utf8')).toBe('17\n');
  });

  it('a *_FILE secret that cannot be read', { timeout }, async () => {
    const r = await serve({ ADMIN_TOKEN_FILE: '/nonexistent/admin-token' });
    expectOneLine(r, 'ADMIN_TOKEN_FILE', /cannot read \/nonexistent\/admin-token \(ENOENT\)/);
    expect(r.status).toBe(2);
  });

  it('shows the stack with LOG_LEVEL=debug', { timeout }, async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'startup-')), 'a-file');
    writeFileSync(file, 'x');
    const r = await serve({ DATA_DIR: file, LOG_LEVEL: 'debug' });
    expect(r.status).not.toBe(0);
    expect(r.lines[0]).toMatch(/^DATA_DIR: /);
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});

const postgres = new URL(POSTGRES_URL);
const postgresUp = await reachable(postgres.hostname, Number(postgres.port || 5432));
const redisPort = await freePort();

describeIfServer(postgresUp, 'Postgres')('start-up failures with Postgres as the store', () => {
  const schemas: string[] = [];
  /** A DATABASE_URL plus a schema of its own for this case (dropped afterwards). */
  const store = () => {
    const schema = `startup_${randomBytes(5).toString('hex')}`;
    schemas.push(schema);
    return { DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: schema };
  };
  afterAll(async () => {
    const c = new pg.Client({ connectionString: POSTGRES_URL });
    await c.connect();
    for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await c.end();
  });

  it.concurrent('a DATABASE_URL naming a missing database', { timeout }, async () => {
    const url = new URL(POSTGRES_URL);
    url.pathname = `/missing_${randomBytes(4).toString('hex')}`;
    expectOneLine(await serve({ DATABASE_URL: url.toString() }), 'DATABASE_URL', /does not exist: create it/);
  });

  it.concurrent('a DATABASE_URL with a user the server refuses', { timeout }, async () => {
    const url = new URL(POSTGRES_URL);
    url.username = 'no_such_role_wix_event_agent';
    url.password = 'pw-that-must-not-show';
    const r = await serve({ DATABASE_URL: url.toString() });
    expectOneLine(r, 'DATABASE_URL', /refused the (login|password)/);
    expect(r.stderr).not.toContain('pw-that-must-not-show');
  });

  it.concurrent('a PORT already in use', { timeout }, async () => {
    const holder: Server = await new Promise((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => resolve(s));
    });
    const { port } = holder.address() as { port: number };
    try {
      expectOneLine(
        await serve({ ...store(), PORT: String(port) }),
        'PORT',
        new RegExp(`127\\.0\\.0\\.1:${port} is already in use.*set PORT`),
      );
    } finally {
      holder.close();
    }
  });

  it.concurrent('an unreachable REDIS_URL', { timeout }, async () => {
    const r = await serve({
      ...store(),
      REDIS_URL: `redis://:redis-pw-not-shown@127.0.0.1:${redisPort}`,
      WIX_APP_ID: 'app',
      WIX_APP_SECRET: 'secret',
      WIX_API_BASE_URL: 'http://127.0.0.1:9',
    });
    expectOneLine(r, 'REDIS_URL', new RegExp(`127\\.0\\.0\\.1:${redisPort}.*start Redis`));
    expect(r.stderr + r.stdout).not.toContain('redis-pw-not-shown');
  });

  it.concurrent('unreachable KAFKA_BROKERS', { timeout }, async () => {
    const port = await freePort();
    const r = await serve({ ...store(), KAFKA_BROKERS: `127.0.0.1:${port}` });
    expectOneLine(r, 'KAFKA_BROKERS', /no Kafka broker answers.*unset it for the embedded bus/);
    // kafkajs logs each of its 6 connection attempts twice; the log says each error once.
    const kafkaErrors = r.stdout
      .split('\n')
      .filter((l) => l.includes('"component":"kafkajs"') && l.includes('"level":"error"'));
    expect(kafkaErrors.length, r.stdout).toBeLessThanOrEqual(2);
  });
});

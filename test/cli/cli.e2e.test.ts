/**
 * The CLI's care for people: --version, commands that read the store never create an empty one,
 * friendly one-line errors for an unreachable --api and a missing replay path, --json lists, and
 * --api on dlq. Runs the real CLI in a child process.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../src/webhooks/sign.js';
import { fixture } from '../support/agent-env.js';
import { repoRoot, runCli } from '../support/cli.js';
import { rsKey } from '../support/keys.js';
import { startTestService } from '../support/service.js';

const timeout = 120_000;
const clean = { DATABASE_URL: '', KAFKA_BROKERS: '', LOG_LEVEL: 'info' };

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe.concurrent('CLI', () => {
  it('prints its version', { timeout }, async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    const r = await runCli(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it(
    'dlq list refuses a DATA_DIR that does not exist instead of creating an empty store',
    { timeout },
    async () => {
      const dir = join(mkdtempSync(join(tmpdir(), 'cli-')), 'data');
      const r = await runCli(['dlq', 'list'], { env: { ...clean, DATA_DIR: dir } });
      expect(r.status).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^DATA_DIR: no embedded store at .*--api <url>/),
      ]);
      expect(existsSync(dir)).toBe(false);
    },
  );

  it('says plainly that nothing answers at --api', { timeout }, async () => {
    const port = await freePort();
    const r = await runCli(['runs', 'list', '--api', `http://127.0.0.1:${port}`], {
      env: { ...clean, ADMIN_TOKEN: 'token-123456' },
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(`^--api: nothing answers at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`),
      ),
    ]);
  });

  it('names a missing replay path', { timeout }, async () => {
    const r = await runCli([
      'replay',
      'no/such/fixture.json',
      '--url',
      'http://127.0.0.1:9/webhooks/wix',
      '--secret',
      's',
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^replay: no such file or directory: no\/such\/fixture\.json/);
  });
});

describe('dlq through --api', () => {
  const adminToken = `admin-${randomUUID()}`;
  let t: Awaited<ReturnType<typeof startTestService>>;
  beforeAll(async () => {
    t = await startTestService({ ADMIN_TOKEN: adminToken });
    const invalid = structuredClone(fixture('order-created.invalid-missing-id-and-time'));
    (invalid.webhook.data as Record<string, unknown>).id = randomUUID();
    const res = await fetch(t.webhookUrl, {
      method: 'POST',
      body: await signWebhook(invalid.webhook, rsKey),
    });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await t?.service.stop();
  });

  it('lists dead letters as JSON lines and re-drives them', { timeout }, async () => {
    const env = { ...clean, ADMIN_TOKEN: adminToken };
    const list = await runCli(['dlq', 'list', '--api', t.url, '--json'], { env });
    expect(list.status, list.stderr).toBe(0);
    const letters = list.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; reason: string });
    expect(letters).toEqual([expect.objectContaining({ reason: 'invalid_envelope' })]);
    const redrive = await runCli(['dlq', 'redrive', '--api', t.url, '--id', letters[0]!.id], { env });
    expect(redrive.status, redrive.stderr).toBe(0);
    expect(redrive.stdout.trim()).toMatch(/^[01] event\(s\) redriven$/);
  });
});

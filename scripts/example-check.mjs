#!/usr/bin/env node
// Packs this project, installs the tarball into a temporary copy of examples/first-handler (npm's local
// cache first), runs the example's tests (vitest and node:test), then runs `serve --sandbox --handlers`
// on the example and sends one event with `trigger`, and checks the handler's note reached the Wix
// emulator. Uses only the CLI and HTTP: exactly what a user of the package has. Exit 0 when all passed.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'wix-event-agent-example-'));
const app = join(work, 'app');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// The service's own variables must not leak in from the caller (a DATABASE_URL, a real model...).
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) =>
      !/^(WIX_|LLM_|KAFKA_|DATABASE_|REDIS_|HANDLERS|AGENT_MODE|PORT$|HOST$|DATA_DIR$|ADMIN_TOKEN$)/.test(k),
  ),
);
const step = (message) => console.log(`example-check: ${message}`);
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

let server;
try {
  step('npm pack');
  const packed = run(npm, ['pack', '--pack-destination', work, '--silent'], root).trim().split('\n').at(-1);
  cpSync(join(root, 'examples/first-handler'), app, {
    recursive: true,
    filter: (src) => !src.includes('node_modules'),
  });
  step(`npm install ${packed} into a copy of examples/first-handler`);
  run(
    npm,
    ['install', join(work, packed), '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'],
    app,
  );
  step("npm test (the example's vitest and node:test files)");
  execFileSync(npm, ['test'], { cwd: app, env, stdio: 'inherit' });

  step('serve --sandbox --handlers ./handlers.js');
  const token = 'example-check-token';
  const bin = join(app, 'node_modules/.bin/wix-event-agent');
  server = spawn(bin, ['serve', '--sandbox', '--handlers', './handlers.js'], {
    cwd: app,
    env: {
      ...env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: join(work, 'data'),
      ADMIN_TOKEN: token,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 120_000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /listening on (http:\/\/[^\s"]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.once('exit', (code) => reject(new Error(`serve exited (${code}):\n${out}`)));
  });

  step(`trigger order_approved at ${url}`);
  const answer = run(
    bin,
    [
      'trigger',
      'order_approved',
      '--sandbox',
      '--set',
      'priceSummary.total.amount=250.00',
      '--url',
      `${url}/webhooks/wix`,
    ],
    app,
  );
  process.stdout.write(answer);
  const eventId = /event=(\S+)/.exec(answer)?.[1];
  if (!/^200 /.test(answer) || !answer.includes('published') || !eventId)
    throw new Error('trigger: not published');

  step('waiting for the run (GET /api/runs)');
  const api = async (path) =>
    (await fetch(`${url}/api${path}`, { headers: { authorization: `Bearer ${token}` } })).json();
  const deadline = Date.now() + 60_000;
  let run1;
  while (!run1 && Date.now() < deadline) {
    run1 = (await api(`/runs?eventId=${eventId}`)).runs?.find((r) => r.status !== 'running');
    if (!run1) await new Promise((r) => setTimeout(r, 200));
  }
  if (!run1) throw new Error('no finished run for the triggered event');
  const full = await api(`/runs/${run1.id}`);
  const calls = full.calls.map((c) => `${c.tool}:${c.status}`);
  console.log(`example-check: run ${run1.status}, calls ${calls.join(', ')}`);
  if (run1.status !== 'succeeded' || !calls.includes('add_order_note:executed')) {
    throw new Error(`expected a succeeded run with add_order_note executed: ${JSON.stringify(full)}`);
  }
  step('ok');
} catch (error) {
  console.error(`example-check: FAILED: ${error.message}`);
  process.exitCode = 1;
} finally {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  rmSync(work, { recursive: true, force: true });
}

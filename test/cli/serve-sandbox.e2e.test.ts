/**
 * `serve --sandbox` end to end, as a user runs it: the service listens to its own events to seed the Wix
 * emulator (no bus wrapper), and its bus is the configured one, metrics included: a handler that fails
 * for good moves `wix_dead_letters_total` there as everywhere (it did not, while the sandbox wrapped the bus).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, tsxLoader } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'wix-event-agent-sandbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('serve --sandbox', () => {
  it('handles a triggered event on the stand-ins and counts a dead letter in /metrics', async () => {
    // One handler with a sandbox script (runs) and one without (the sandbox model refuses: dead letter).
    const api = pathToFileURL(join(repoRoot, 'src/api.ts')).href;
    writeFileSync(
      join(dir, 'handlers.mjs'),
      `import { defineHandler, getOrderTool } from ${JSON.stringify(api)};
export const looks = defineHandler({ name: 'looks', on: 'order_created', tools: [getOrderTool],
  instructions: 'Look at the order.', data: (e) => ({ id: e.entity.id }),
  sandbox: [(c) => ({ calls: [{ tool: 'get_order', input: { orderId: c.data.id } }] }), { text: 'done' }] });
export const unscripted = defineHandler({ name: 'unscripted', on: 'order_created', tools: [getOrderTool],
  instructions: 'Look at the order.', data: (e) => ({ id: e.entity.id }) });
`,
    );
    const child = spawn(
      process.execPath,
      [
        '--import',
        tsxLoader,
        join(repoRoot, 'src/cli/index.ts'),
        'serve',
        '--sandbox',
        '--handlers',
        './handlers.mjs',
      ],
      {
        cwd: dir,
        env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`serve --sandbox exited (${code}): ${out}`)));
      });
      const trigger = await runCli(
        ['trigger', 'order_created', '--sandbox', '--url', `${url}/webhooks/wix`],
        {
          cwd: dir,
        },
      );
      expect(trigger.stdout, trigger.stderr).toMatch(/^200 wix\.ecom\.v1\.order_created/);
      // Wait for the service's own counters: one event handled by `looks`, one dead letter by `unscripted`.
      let metrics = '';
      for (const until = Date.now() + 30_000; Date.now() < until;) {
        metrics = await (await fetch(`${url}/metrics`)).text();
        if (/wix_dead_letters_total\{reason="non_retryable"\} 1/.test(metrics)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(metrics).toMatch(/wix_dead_letters_total\{reason="non_retryable"\} 1/);
      expect(metrics).toMatch(/wix_agent_tool_calls_total\{[^}]*tool="get_order"[^}]*\} 1/);
    } finally {
      child.kill('SIGTERM');
    }
  }, 90_000);
});

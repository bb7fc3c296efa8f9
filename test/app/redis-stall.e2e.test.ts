import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunRecord } from '../../src/calls/audit.js';
import { signWebhook } from '../../src/webhooks/sign.js';
import { eventIdOf, fixture, startEmulators } from '../support/agent-env.js';
import { rsKey } from '../support/keys.js';
import { describeIfServer } from '../support/servers.js';
import { startTestService } from '../support/service.js';
import { waitFor } from '../support/wait.js';

const ORDER = 'order-approved.buyer-note';
const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/**
 * A private redis-server on a free port, so it can be stopped (SIGSTOP) without touching the shared
 * one on 6379: the connection stays open, but nothing answers.
 */
describeIfServer(hasRedisServer, 'redis-server on PATH')('a Redis limiter that stops answering', () => {
  let redis: ChildProcess;
  let url: string;
  beforeAll(async () => {
    const port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    redis = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      redis.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ready to accept connections')) resolve();
      });
      redis.once('exit', (code) => reject(new Error(`redis-server exited ${code}`)));
    });
  });
  afterAll(() => {
    redis.kill('SIGCONT');
    redis.kill('SIGKILL');
  });

  it('fails the run as retryable within its bounds, reports not ready, and writes once after Redis is back', async () => {
    const emu = await startEmulators({ llm: { latencyMs: 100 } });
    const t = await startTestService({
      ...emu.env,
      REDIS_URL: url,
      REDIS_COMMAND_TIMEOUT_MS: '300',
      RETRY_BASE_MS: '200',
      RETRY_MAX_MS: '500',
    });
    const runs = () => t.service.agents!.audit.listRuns({ eventId: eventIdOf(ORDER) });
    try {
      // Stop Redis once the run is under way (the model has been asked once).
      const stopped = waitFor(() => emu.llm.requests.length >= 1, { timeoutMs: 60_000 }).then(() =>
        redis.kill('SIGSTOP'),
      );
      await fetch(t.webhookUrl, { method: 'POST', body: await signWebhook(fixture(ORDER).webhook, rsKey) });
      await stopped;
      const failed = await waitFor(async () => (await runs()).find((r: RunRecord) => r.status === 'failed'), {
        timeoutMs: 60_000,
        message: 'a run failed while Redis is stopped',
      });
      expect(failed.error).toMatch(/limiter|redis|Command timed out/i);
      expect(failed.durationMs).toBeLessThan(60_000);
      expect((await fetch(`${t.url}/readyz`)).status).toBe(503);

      redis.kill('SIGCONT');
      await waitFor(async () => (await runs()).some((r) => r.status === 'succeeded'), {
        timeoutMs: 90_000,
        message: 'a run succeeded after Redis came back',
      });
      expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
      const applied = emu.wix.writeLog.applied();
      expect(applied.filter((w) => w.path.endsWith('/activities/add'))).toHaveLength(1);
      expect(applied.filter((w) => w.path === '/crm/tasks/v2/tasks').length).toBeLessThanOrEqual(1);
      const unknown = await t.service.agents!.audit.listCalls({ status: 'unknown' });
      expect(unknown).toEqual([]);
    } finally {
      redis.kill('SIGCONT');
      await t.service.stop();
      await emu.close();
    }
  }, 240_000);
});

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFixtures } from '../../src/sandbox/fixtures.js';
import { signWebhook } from '../../src/webhooks/sign.js';
import { startChildService } from '../support/child-service.js';
import { fixturesDir, rsKey, testKeys } from '../support/keys.js';
import { waitFor } from '../support/wait.js';

describe('a crash between the durable write and the answer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wea-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loses nothing: after a restart on the same DATA_DIR the event is handled exactly once', async () => {
    const env = {
      DATA_DIR: join(dir, 'data'),
      WIX_PUBLIC_KEY: testKeys.publicPem,
      HANDLED_FILE: join(dir, 'handled.txt'),
    };
    const [fixture] = loadFixtures([join(fixturesDir, 'order-created.multi-item.json')]);
    const eventId = (fixture!.webhook.data as { id: string }).id;
    const token = await signWebhook(fixture!.webhook, rsKey);

    const doomed = await startChildService({ ...env, ROLE: 'ingress', CRASH_AFTER_PUBLISH: '1' });
    const first = await fetch(`${doomed.url}/webhooks/wix`, { method: 'POST', body: token }).then(
      (r) => r.status,
      (e: Error) => e.name,
    );
    expect(first).not.toBe(200); // Wix saw no 200, so it will retry
    expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(existsSync(env.HANDLED_FILE)).toBe(false);

    const restarted = await startChildService(env);
    try {
      await waitFor(
        () => existsSync(env.HANDLED_FILE) && readFileSync(env.HANDLED_FILE, 'utf8').includes(eventId),
        {
          timeoutMs: 15_000,
          message: 'event handled after restart',
        },
      );
      // Wix's retry of the same webhook is a duplicate: 200, not handled again.
      const retry = await fetch(`${restarted.url}/webhooks/wix`, { method: 'POST', body: token });
      expect(retry.status).toBe(200);
      expect(await retry.json()).toMatchObject({ status: 'duplicate', eventId });
      await new Promise((r) => setTimeout(r, 500));
      expect(readFileSync(env.HANDLED_FILE, 'utf8').trim().split('\n')).toEqual([eventId]);
    } finally {
      await restarted.stop();
    }
  }, 240_000);
});

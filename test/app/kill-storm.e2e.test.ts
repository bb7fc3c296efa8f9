import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeadLetter } from '../../src/bus/port.js';
import { seedFromFixtures } from '../../src/sandbox/fixture-seed.js';
import { signWebhook } from '../../src/webhooks/sign.js';
import { freshOrders, startEmulators } from '../support/agent-env.js';
import { startChildService, type ChildService } from '../support/child-service.js';
import { rsKey, testKeys } from '../support/keys.js';
import { waitFor } from '../support/wait.js';

const KILLS = 20;
const EVENTS = 24;
const TOKEN = 'kill-storm';

async function api<T>(svc: ChildService, path: string): Promise<T> {
  return (await (
    await fetch(`${svc.url}/api${path}`, { headers: { authorization: `Bearer ${TOKEN}` } })
  ).json()) as T;
}

describe('SIGKILL storm on a worker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wea-kills-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // 20 restarts of a child service: 190–236 s in full runs on a busy 2-core machine, once past 240 s.
  it(`after ${KILLS} kills at random points, every accepted event is handled exactly once or dead-lettered with a reason`, async () => {
    const emu = await startEmulators({ llm: { latencyMs: 40 } });
    const events = freshOrders(EVENTS, { namePrefix: 'kill', firstNumber: 20000 });
    seedFromFixtures(
      emu.wix.data,
      events.map((e) => e.fixture),
    );
    const env = {
      ...emu.env,
      DATA_DIR: join(dir, 'data'),
      WIX_PUBLIC_KEY: testKeys.publicPem,
      ADMIN_TOKEN: TOKEN,
      MAX_ATTEMPTS: '8',
      RETRY_BASE_MS: '50',
      RETRY_MAX_MS: '200',
      // A killed process's writes count as orphaned once it has not renewed them for 1 s.
      WRITE_OWNER_TTL_MS: '1000',
    };
    let svc = await startChildService(env, 90_000);
    try {
      for (const e of events) {
        const res = await fetch(`${svc.url}/webhooks/wix`, {
          method: 'POST',
          body: await signWebhook(e.fixture.webhook, rsKey),
        });
        expect(res.status).toBe(200);
      }
      let random = 42;
      const next = () => (random = (random * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      for (let kill = 0; kill < KILLS; kill++) {
        // Let it work for a random while (model calls, Wix reads and writes in flight), then kill it.
        const writesBefore = emu.wix.writes.length;
        await new Promise((r) => setTimeout(r, 150 + next() * 900));
        if (kill % 4 === 3)
          await emu.wix
            .waitForRequest((r) => r.seq > writesBefore && r.method === 'POST', { timeoutMs: 5000 })
            .catch(() => {});
        svc.child.kill('SIGKILL');
        await svc.exited;
        svc = await startChildService(env, 90_000);
      }
      // Let the last one finish everything.
      await waitFor(
        async () => {
          const handled = (await api<{ events: { status: string }[] }>(svc, '/events?limit=500')).events;
          return handled.length >= EVENTS && handled.every((e) => e.status === 'done' || e.status === 'dead');
        },
        { timeoutMs: 60_000, message: 'all events done or dead' },
      );
      const letters = (await api<{ deadLetters: DeadLetter[] }>(svc, '/dead-letters?limit=500')).deadLetters;
      const pending = (
        await api<{ approvals: { eventId: string; tool: string }[] }>(svc, '/approvals?limit=500')
      ).approvals;
      // What Wix applied, whatever answer the killed processes got.
      const writes = emu.wix.writeLog.applied();
      let handledOnce = 0;
      let unknownOutcome = 0;
      for (const e of events) {
        const letter = letters.find((l) => l.eventId === e.eventId);
        if (letter) {
          expect(letter.reason).toMatch(/max_attempts|non_retryable/);
          expect(letter.error.length).toBeGreaterThan(0);
          continue;
        }
        // Handled: its order note reached Wix once and never twice. When a kill hit the note in flight,
        // the next run could not know whether Wix had it, so it parked the note for a person instead of
        // sending it again: then it was sent at most once and is never lost.
        const notes = writes.filter((w) => w.path === `/ecom/v1/orders/${e.orderId}/activities/add`).length;
        const parked = pending.filter((p) => p.eventId === e.eventId && p.tool === 'add_order_note').length;
        expect(notes, e.fixture.name).toBeLessThanOrEqual(1);
        expect(parked, e.fixture.name).toBeLessThanOrEqual(1);
        expect(notes + parked, e.fixture.name).toBeGreaterThanOrEqual(1);
        if (notes === 1 && parked === 0) handledOnce++;
        else unknownOutcome++;
      }
      // No task was created twice for the same order either (task bodies name the order number).
      const titles = writes
        .filter((w) => w.path === '/crm/tasks/v2/tasks')
        .map((w) => JSON.stringify((w.body as { task: unknown }).task));
      expect(new Set(titles).size).toBe(titles.length);
      console.log(
        `kill storm: ${KILLS} kills, ${EVENTS} events: ${handledOnce} handled once, ${unknownOutcome} with a note ` +
          `whose outcome a kill made unknown (parked for a person, never sent twice), ${letters.length} dead-lettered, ` +
          `${pending.length} write(s) parked for a person, ${writes.length} writes at Wix`,
      );
    } finally {
      await svc.stop();
      await emu.close();
    }
  }, 480_000);
});

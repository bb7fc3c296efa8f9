import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunRecord, ToolCallRecord } from '../../src/agents/audit.js';
import { signWebhook } from '../../src/webhooks/sign.js';
import { eventIdOf, fixture, startEmulators } from '../support/agent-env.js';
import { startChildService, type ChildService } from '../support/child-service.js';
import { rsKey, testKeys } from '../support/keys.js';
import { waitFor } from '../support/wait.js';

const ORDER = 'order-created.buyer-note';
const TOKEN = 'crash-test-admin';

async function api<T>(svc: ChildService, path: string): Promise<T> {
  const res = await fetch(`${svc.url}/api${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return (await res.json()) as T;
}

describe('a worker killed in the middle of an agent run', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it.each([
    ['after the first model answer (reads in flight)', 1],
    ['after the second model answer (writes in flight)', 2],
    ['the moment Wix answers the first write', 'write'],
  ] as const)(
    'completes the work after a restart with no duplicated write: killed %s',
    async (_label, killAt) => {
      const emu = await startEmulators({ llm: { latencyMs: 150 } });
      const dir = mkdtempSync(join(tmpdir(), 'wea-midrun-'));
      dirs.push(dir);
      const env = {
        ...emu.env,
        DATA_DIR: join(dir, 'data'),
        WIX_PUBLIC_KEY: testKeys.publicPem,
        ADMIN_TOKEN: TOKEN,
        RETRY_BASE_MS: '100',
        RETRY_MAX_MS: '500',
      };
      try {
        const first = await startChildService(env);
        const killed =
          killAt === 'write'
            ? emu.wix.waitForRequest(
                (r) =>
                  r.method === 'POST' &&
                  r.status < 300 &&
                  !r.path.includes('query') &&
                  !r.path.includes('search') &&
                  !r.path.includes('oauth'),
                { timeoutMs: 20_000 },
              )
            : waitFor(() => emu.llm.requests.length >= killAt, { timeoutMs: 20_000 });
        void killed.then(() => first.child.kill('SIGKILL'));
        await fetch(`${first.url}/webhooks/wix`, {
          method: 'POST',
          body: await signWebhook(fixture(ORDER).webhook, rsKey),
        });
        expect((await first.exited).signal).toBe('SIGKILL');

        const second = await startChildService(env);
        try {
          const runs = await waitFor(
            async () => {
              const r = (await api<{ runs: RunRecord[] }>(second, `/runs?eventId=${eventIdOf(ORDER)}`)).runs;
              return r.some((x) => x.status === 'succeeded') ? r : undefined;
            },
            { timeoutMs: 30_000, message: 'a succeeded run after restart' },
          );
          expect(runs.filter((r) => r.status === 'succeeded')).toHaveLength(1);
          const writes = emu.wix.writes.filter((w) => w.status < 300);
          const notes = writes.filter((w) => w.path.endsWith('/activities/add'));
          const tasks = writes.filter((w) => w.path === '/crm/tasks/v2/tasks');
          expect(notes.length).toBeLessThanOrEqual(1);
          expect(tasks.length).toBeLessThanOrEqual(1);
          const pending = (await api<{ approvals: ToolCallRecord[] }>(second, '/approvals')).approvals;
          // Every write either reached Wix once or waits for a person (outcome unknown after the kill).
          for (const [tool, sent] of [
            ['add_order_note', notes.length],
            ['create_task', tasks.length],
          ] as const) {
            const parked = pending.filter((p) => p.tool === tool).length;
            expect(sent + parked, tool).toBe(1);
          }
          const labelled = writes.filter((w) => /\/contacts\/v4\/contacts\/[^/]+\/labels$/.test(w.path));
          expect(labelled.length).toBeGreaterThanOrEqual(1);
        } finally {
          await second.stop();
        }
      } finally {
        await emu.close();
      }
    },
    90_000,
  );
});

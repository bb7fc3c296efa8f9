import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunRecord, ToolCallRecord } from '../../src/calls/audit.js';
import { signWebhook } from '../../src/webhooks/sign.js';
import { eventIdOf, fixture, startEmulators } from '../support/agent-env.js';
import { startChildService, type ChildService } from '../support/child-service.js';
import { rsKey, testKeys } from '../support/keys.js';
import { waitFor } from '../support/wait.js';

const ORDER = 'order-approved.buyer-note';
/** A run that finished (not failed, not stopped by a limit): parked writes make it `needs_attention`. */
const finished = ['succeeded', 'succeeded_with_refusals', 'needs_attention'];
const orderId = () =>
  (fixture(ORDER).webhook.data as { actionEvent: { body: { order: { id: string } } } }).actionEvent.body.order
    .id;
const TOKEN = 'crash-test-admin';

async function api<T>(svc: ChildService, path: string, method = 'GET'): Promise<T> {
  const res = await fetch(`${svc.url}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}` },
  });
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
        // The killed process's writes are settled once it has not renewed them for 1 s.
        WRITE_OWNER_TTL_MS: '1000',
      };
      try {
        const first = await startChildService(env, 90_000);
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

        const second = await startChildService(env, 90_000);
        try {
          const runs = await waitFor(
            async () => {
              const r = (await api<{ runs: RunRecord[] }>(second, `/runs?eventId=${eventIdOf(ORDER)}`)).runs;
              return r.some((x) => finished.includes(x.status)) ? r : undefined;
            },
            { timeoutMs: 30_000, message: 'a finished run after restart' },
          );
          expect(runs.filter((r) => finished.includes(r.status))).toHaveLength(1);
          const writes = emu.wix.writeLog.applied();
          const notes = writes.filter((w) => w.path.endsWith('/activities/add'));
          const tasks = writes.filter((w) => w.path === '/crm/tasks/v2/tasks');
          expect(notes.length).toBeLessThanOrEqual(1);
          expect(tasks.length).toBeLessThanOrEqual(1);
          const pending = (await api<{ approvals: ToolCallRecord[] }>(second, '/approvals')).approvals;
          // Every write either reached Wix once or waits for a person (outcome unknown after the kill);
          // a write applied in Wix is never also parked.
          for (const [tool, sent] of [
            ['add_order_note', notes.length],
            ['create_task', tasks.length],
          ] as const) {
            const parked = pending.filter((p) => p.tool === tool).length;
            expect(sent + parked, tool).toBe(1);
            if (sent === 1) expect(parked, tool).toBe(0);
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
    240_000,
  );

  it('settles an approved write whose process was killed while Wix applied it: looked up, not re-sent', async () => {
    const emu = await startEmulators();
    const dir = mkdtempSync(join(tmpdir(), 'wea-approved-'));
    dirs.push(dir);
    const env = {
      ...emu.env,
      DATA_DIR: join(dir, 'data'),
      WIX_PUBLIC_KEY: testKeys.publicPem,
      ADMIN_TOKEN: TOKEN,
      AGENT_MODE: 'approval',
      WRITE_OWNER_TTL_MS: '1000',
    };
    const NOTES = `/ecom/v1/orders/${orderId()}/activities/add`;
    try {
      const first = await startChildService(env, 90_000);
      await fetch(`${first.url}/webhooks/wix`, {
        method: 'POST',
        body: await signWebhook(fixture(ORDER).webhook, rsKey),
      });
      const note = await waitFor(
        async () =>
          (await api<{ approvals: ToolCallRecord[] }>(first, '/approvals')).approvals.find(
            (a) => a.tool === 'add_order_note',
          ),
        { timeoutMs: 30_000, message: 'the note parked for approval' },
      );
      // Wix applies the note but answers only after the process is gone.
      emu.wix.setFault({ path: NOTES, lateAnswers: 1, lateAnswerMs: 60_000 });
      void api(first, `/approvals/${note.id}/approve`, 'POST').catch(() => {});
      await waitFor(() => emu.wix.writeLog.applied((w) => w.path === NOTES).length === 1, {
        timeoutMs: 20_000,
        message: 'the approved note applied in Wix',
      });
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');

      const second = await startChildService(env, 90_000);
      try {
        const settled = await waitFor(
          async () => {
            const run = await api<{ calls: ToolCallRecord[] }>(second, `/runs/${note.runId}`);
            const call = run.calls.find((c) => c.id === note.id);
            return call && call.status !== 'started' ? call : undefined;
          },
          { timeoutMs: 60_000, message: 'the approved write settled after restart' },
        );
        expect(settled).toMatchObject({ status: 'executed', decidedBy: 'reconcile' });
        expect(emu.wix.writeLog.applied((w) => w.path === NOTES)).toHaveLength(1);
        const waiting = (await api<{ approvals: ToolCallRecord[] }>(second, '/approvals')).approvals;
        expect(waiting.map((a) => a.id)).not.toContain(note.id);
      } finally {
        await second.stop();
      }
    } finally {
      await emu.close();
    }
  }, 240_000);
});

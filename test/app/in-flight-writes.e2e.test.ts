import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/calls/audit.js';
import { inArray } from '../../src/store/port.js';
import { signWebhook } from '../../src/webhooks/sign.js';
import { eventIdOf, fixture, startEmulators } from '../support/agent-env.js';
import { rsKey } from '../support/keys.js';
import { startTestService } from '../support/service.js';
import { waitFor } from '../support/wait.js';

const ORDER = 'order-approved.buyer-note';
const order = () =>
  (fixture(ORDER).webhook.data as { actionEvent: { body: { order: { id: string } } } }).actionEvent.body
    .order;

describe('writes whose outcome a crash made unknown', () => {
  let emu: Awaited<ReturnType<typeof startEmulators>>;
  let t: Awaited<ReturnType<typeof startTestService>>;
  const runs = async (n: number) =>
    waitFor(
      async () => {
        const r = await t.service.agents!.audit.listRuns({ eventId: eventIdOf(ORDER) });
        return r.length >= n && r.every((x: RunRecord) => x.status !== 'running') ? r : undefined;
      },
      { timeoutMs: 20_000 },
    );
  /**
   * As if the worker died after Wix answered these writes but before it recorded the answers: the rows
   * stay `started`, owned by a process that stopped renewing them an hour ago.
   */
  const crashAfterSending = async (tools: string[]) => {
    await t.service.store.query(
      `UPDATE tool_calls SET status = 'started', result = NULL, owner = 'gone:1:dead', owner_seen_at = $2
        WHERE ${inArray(t.service.store, 'tool', '$1')} AND status = 'executed'`,
      [tools, new Date(Date.now() - 3_600_000)],
    );
    await t.service.store.query(`DELETE FROM processed_events WHERE event_id = $1`, [eventIdOf(ORDER)]);
    await t.service.store.query(`UPDATE bus_events SET status = 'pending' WHERE event_id = $1`, [
      eventIdOf(ORDER),
    ]);
  };
  const count = (re: RegExp) => emu.wix.writeLog.applied((w) => re.test(w.path)).length;

  beforeAll(async () => {
    emu = await startEmulators();
    t = await startTestService(emu.env);
    await fetch(t.webhookUrl, { method: 'POST', body: await signWebhook(fixture(ORDER).webhook, rsKey) });
    await runs(1);
  });
  afterAll(async () => {
    await t.service.stop();
    await emu.close();
  });

  it('looks the note and the task up in Wix instead of sending them again, and re-sends labels', async () => {
    expect(count(/\/activities\/add$/)).toBe(1);
    const labelsBefore = count(/\/contacts\/v4\/contacts\/[^/]+\/labels$/);
    const tasksBefore = count(/^\/crm\/tasks\/v2\/tasks$/);
    await crashAfterSending(['add_order_note', 'label_contact', 'create_task']);
    await runs(2);
    expect(count(/\/activities\/add$/)).toBe(1); // found in the order's activities: not sent again
    expect(count(/\/contacts\/v4\/contacts\/[^/]+\/labels$/)).toBe(labelsBefore + 1); // a set: harmless to send again
    expect(count(/^\/crm\/tasks\/v2\/tasks$/)).toBe(tasksBefore); // found by the marker in its description
    const calls = await t.service.agents!.audit.listCalls({ eventId: eventIdOf(ORDER) });
    for (const tool of ['add_order_note', 'create_task']) {
      const row = calls.find((c) => c.tool === tool && c.idempotencyKey && c.status === 'executed');
      expect(row, tool).toMatchObject({ decidedBy: 'reconcile' });
    }
    expect(await t.service.agents!.audit.listCalls({ status: ['pending', 'unknown'] })).toEqual([]);
  });

  it('parks the note for a person when Wix does not have it; a person sends it again, once', async () => {
    const site = emu.wix.data.site(fixture(ORDER).webhook.instanceId)!;
    const stored = site.orders.get(order().id)!;
    stored.activities = (stored.activities as { activityType?: string }[]).filter(
      (a) => a.activityType !== 'MERCHANT_COMMENT',
    );
    await crashAfterSending(['add_order_note']);
    await runs(3);
    expect(count(/\/activities\/add$/)).toBe(1); // not found: a lookup may lag, so it is not sent blindly
    const [parked, ...more] = await t.service.agents!.audit.listCalls({ status: 'unknown' });
    expect(more).toEqual([]);
    expect(parked).toMatchObject({ tool: 'add_order_note' });
    expect(parked!.error).toMatch(/outcome unknown: .*not found/);
    const resent = await t.service.agents!.approvals.resend(parked!.id, 'test');
    expect(resent).toMatchObject({ status: 'executed', decidedBy: 'test' });
    expect(count(/\/activities\/add$/)).toBe(2); // the first, removed from Wix, and this one
    const notes = (stored.activities as { activityType?: string }[]).filter(
      (a) => a.activityType === 'MERCHANT_COMMENT',
    );
    expect(notes).toHaveLength(1);
  });
});

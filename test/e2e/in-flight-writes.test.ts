import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/agents/audit.js';
import { signWebhook } from '../../src/webhooks/sign.js';
import { eventIdOf, fixture, startEmulators } from '../support/agent-env.js';
import { rsKey } from '../support/keys.js';
import { startTestService } from '../support/service.js';
import { waitFor } from '../support/wait.js';

const ORDER = 'order-created.buyer-note';
const order = () =>
  (fixture(ORDER).webhook.data as { createdEvent: { entity: { id: string } } }).createdEvent.entity;

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
  /** As if the worker died after Wix answered these writes but before it recorded the answers. */
  const crashAfterSending = async (tools: string[]) => {
    await t.service.store.query(
      `UPDATE tool_calls SET status = 'started', result = NULL WHERE tool = ANY($1::text[]) AND status = 'executed'`,
      [tools],
    );
    await t.service.store.query(`DELETE FROM processed_events WHERE event_id = $1`, [eventIdOf(ORDER)]);
    await t.service.store.query(`UPDATE bus_events SET status = 'pending' WHERE event_id = $1`, [
      eventIdOf(ORDER),
    ]);
  };
  const count = (re: RegExp) => emu.wix.writes.filter((w) => w.status < 300 && re.test(w.path)).length;

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

  it('looks the note up in Wix instead of sending it again, re-sends labels, and parks the task for a person', async () => {
    expect(count(/\/activities\/add$/)).toBe(1);
    const labelsBefore = count(/\/contacts\/v4\/contacts\/[^/]+\/labels$/);
    const tasksBefore = count(/^\/crm\/tasks/);
    await crashAfterSending(['add_order_note', 'label_contact', 'create_task']);
    await runs(2);
    expect(count(/\/activities\/add$/)).toBe(1); // found in the order's activities: not sent again
    expect(count(/\/contacts\/v4\/contacts\/[^/]+\/labels$/)).toBe(labelsBefore + 1); // a set: harmless to send again
    expect(count(/^\/crm\/tasks/)).toBe(tasksBefore); // unknown, not looked up: parked
    const pending = await t.service.agents!.audit.listCalls({ status: 'pending' });
    expect(pending.map((p) => p.tool)).toEqual(['create_task']);
    expect(pending[0]?.error).toMatch(/outcome unknown/);
  });

  it('sends the note once when Wix does not have it', async () => {
    const site = emu.wix.data.site(fixture(ORDER).webhook.instanceId)!;
    const stored = site.orders.get(order().id)!;
    stored.activities = (stored.activities as { activityType?: string }[]).filter(
      (a) => a.activityType !== 'MERCHANT_COMMENT',
    );
    await crashAfterSending(['add_order_note']);
    await runs(3);
    expect(count(/\/activities\/add$/)).toBe(2); // the first, removed from Wix, and this one
    const notes = (stored.activities as { activityType?: string }[]).filter(
      (a) => a.activityType === 'MERCHANT_COMMENT',
    );
    expect(notes).toHaveLength(1);
  });
});

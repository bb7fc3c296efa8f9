import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/calls/audit.js';
import { signWebhook } from '../../src/webhooks/sign.js';
import { eventIdOf, fixture, startEmulators } from '../support/agent-env.js';
import { rsKey } from '../support/keys.js';
import { startTestService } from '../support/service.js';

type Emulators = Awaited<ReturnType<typeof startEmulators>>;
type TestService = Awaited<ReturnType<typeof startTestService>>;

const ORDER = 'order-approved.buyer-note';
const CONTACT = 'contact-created.duplicate-email';

async function deliver(t: TestService, name: string) {
  const res = await fetch(t.webhookUrl, {
    method: 'POST',
    body: await signWebhook(fixture(name).webhook, rsKey),
  });
  expect(res.status).toBe(200);
}

/** The finished runs of one event (once the service has announced `count` of them). */
async function finishedRuns(t: TestService, name: string, count = 1): Promise<RunRecord[]> {
  const eventId = eventIdOf(name);
  await t.runs.until(
    (seen) => (seen.filter((r) => r.eventId === eventId).length >= count ? true : undefined),
    {
      timeoutMs: 20_000,
      what: `runs of ${name}`,
    },
  );
  return t.service.agents!.audit.listRuns({ eventId });
}

const writesFor = (emu: Emulators, instanceId: string) =>
  emu.wix.writes
    .filter((w) => w.instanceId === instanceId && w.status < 300)
    .map((w) => `${w.method} ${w.path}`);

describe.each(['live', 'dry-run', 'approval'] as const)(
  'agents end to end in %s mode (embedded bus)',
  (mode) => {
    let emu: Emulators;
    let t: TestService;
    const adminToken = 'test-admin-token';

    beforeAll(async () => {
      emu = await startEmulators();
      t = await startTestService({ ...emu.env, AGENT_MODE: mode, ADMIN_TOKEN: adminToken });
      await deliver(t, ORDER);
      await deliver(t, CONTACT);
    });
    afterAll(async () => {
      await t.service.stop();
      await emu.close();
    });

    it('order-triage looks the buyer up, then labels, follows up the note and notes the order (or simulates / parks those writes)', async () => {
      const [run] = await finishedRuns(t, ORDER);
      expect(run).toMatchObject({
        handler: 'order-triage',
        mode,
        status: 'succeeded',
        model: expect.stringContaining('sandbox'),
      });
      const full = (await t.service.agents!.audit.getRun(run!.id))!;
      const order = fixture(ORDER).webhook;
      const entity = (
        order.data as { actionEvent: { body: { order: { id: string; buyerInfo: { contactId: string } } } } }
      ).actionEvent.body.order;
      expect(
        full.calls
          .filter((c) => c.access === 'read')
          .map((c) => c.tool)
          .sort(),
      ).toEqual(['check_inventory', 'get_contact', 'search_orders']);
      const writes = full.calls.filter((c) => c.access === 'write');
      expect(writes.map((c) => c.tool).sort()).toEqual(['add_order_note', 'create_task', 'label_contact']);
      expect(writes.find((c) => c.tool === 'label_contact')?.arguments).toEqual({
        contactId: entity.buyerInfo.contactId,
        labels: ['first-order'],
      });
      expect(writes.find((c) => c.tool === 'add_order_note')?.arguments).toMatchObject({
        orderId: entity.id,
      });
      const expected = { live: 'executed', 'dry-run': 'simulated', approval: 'pending' }[mode];
      expect(writes.every((c) => c.status === expected)).toBe(true);
      expect(
        writes.every((c) => typeof c.idempotencyKey === 'string' && c.idempotencyKey.length === 64),
      ).toBe(true);

      const received = writesFor(emu, order.instanceId);
      if (mode === 'live') {
        expect(received).toEqual(
          expect.arrayContaining([
            'POST /contacts/v4/labels',
            `POST /contacts/v4/contacts/${entity.buyerInfo.contactId}/labels`,
            'POST /crm/tasks/v2/tasks',
            `POST /ecom/v1/orders/${entity.id}/activities/add`,
          ]),
        );
        expect(received).toHaveLength(4);
        const site = emu.wix.data.site(order.instanceId)!;
        expect(site.contacts.get(entity.buyerInfo.contactId)?.info.labelKeys.items).toContain(
          'custom.first-order',
        );
      } else {
        expect(received).toEqual([]);
      }
    });

    it('contact-intake finds the likely duplicate, asks for a merge review and labels by source', async () => {
      const [run] = await finishedRuns(t, CONTACT);
      const full = (await t.service.agents!.audit.getRun(run!.id))!;
      const writes = full.calls.filter((c) => c.access === 'write');
      expect(writes.map((c) => c.tool).sort()).toEqual(['create_task', 'label_contact']);
      expect(writes.find((c) => c.tool === 'label_contact')?.arguments).toMatchObject({
        labels: expect.arrayContaining(['possible-duplicate']),
      });
      expect(full.calls.some((c) => c.tool === 'send_inbox_message')).toBe(false); // off by default
      if (mode === 'live')
        expect(writesFor(emu, fixture(CONTACT).webhook.instanceId)).toContain('POST /crm/tasks/v2/tasks');
    });

    it('serves the audit trail on /api to the admin token only', async () => {
      const [run] = await finishedRuns(t, ORDER);
      expect((await request(t.service.app).get('/api/runs')).status).toBe(401);
      expect(
        (await request(t.service.app).get('/api/runs').set('authorization', 'Bearer wrong')).status,
      ).toBe(401);
      const list = await request(t.service.app).get('/api/runs').set('authorization', `Bearer ${adminToken}`);
      expect(list.status).toBe(200);
      expect(list.body.runs.map((r: RunRecord) => r.id)).toContain(run!.id);
      const one = await request(t.service.app)
        .get(`/api/runs/${run!.id}`)
        .set('authorization', `Bearer ${adminToken}`);
      expect(one.body.calls.length).toBeGreaterThanOrEqual(6);
      const events = await request(t.service.app)
        .get('/api/events')
        .set('authorization', `Bearer ${adminToken}`);
      expect(events.body.events.map((e: { eventId: string }) => e.eventId)).toContain(eventIdOf(ORDER));
    });

    if (mode === 'approval') {
      it('executes an approved write once, through the write journal, and never a rejected one', async () => {
        await finishedRuns(t, ORDER);
        const auth = { authorization: `Bearer ${adminToken}` };
        const pending = (await request(t.service.app).get('/api/approvals').set(auth)).body.approvals as {
          id: string;
          tool: string;
          idempotencyKey: string;
        }[];
        const note = pending.find((p) => p.tool === 'add_order_note')!;
        const task = pending.find((p) => p.tool === 'create_task' && p.idempotencyKey)!;
        const approved = await request(t.service.app).post(`/api/approvals/${note.id}/approve`).set(auth);
        expect(approved.status).toBe(200);
        expect(approved.body).toMatchObject({ status: 'executed', decidedBy: 'api' });
        expect(
          (await request(t.service.app).post(`/api/approvals/${note.id}/approve`).set(auth)).status,
        ).toBe(409);
        expect(
          (await request(t.service.app).post(`/api/approvals/${task.id}/reject`).set(auth)).body,
        ).toMatchObject({ status: 'rejected' });
        expect((await request(t.service.app).post('/api/approvals/nope/approve').set(auth)).status).toBe(404);
        const writes = emu.wix.writes.filter((w) => w.status < 300);
        const activity = writes.filter((w) => w.path.endsWith('/activities/add'));
        expect(activity).toHaveLength(1);
        expect(emu.wix.writeLog.applied((w) => w.path.endsWith('/activities/add'))).toHaveLength(1);
        expect(approved.body.owner).toEqual(expect.any(String));
        expect(
          writes.some(
            (w) => w.path === '/crm/tasks/v2/tasks' && w.instanceId === fixture(ORDER).webhook.instanceId,
          ),
        ).toBe(false);
      });
    }
  },
);

describe('redelivery and replay of a handled event (live)', () => {
  let emu: Emulators;
  let t: TestService;
  beforeAll(async () => {
    emu = await startEmulators();
    t = await startTestService(emu.env);
  });
  afterAll(async () => {
    await t.service.stop();
    await emu.close();
  });

  it('sends no second label, task or note when the same event is handled again', async () => {
    await deliver(t, ORDER);
    await finishedRuns(t, ORDER);
    const before = emu.wix.writes.length;
    expect(before).toBeGreaterThanOrEqual(4);
    // Wix redelivers the webhook: a duplicate at the door.
    await deliver(t, ORDER);
    // At-least-once below the door: the bus delivers the event again as if the worker had died before
    // recording that it finished (processed_events lost).
    await t.service.store.query(`DELETE FROM processed_events WHERE event_id = $1`, [eventIdOf(ORDER)]);
    await t.service.store.query(`UPDATE bus_events SET status = 'pending' WHERE event_id = $1`, [
      eventIdOf(ORDER),
    ]);
    const runs = await finishedRuns(t, ORDER, 2);
    expect(runs).toHaveLength(2);
    const second = (await t.service.agents!.audit.getRun(runs[0]!.id))!;
    expect(second.calls.filter((c) => c.access === 'write').map((c) => c.status)).toEqual([
      'deduplicated',
      'deduplicated',
      'deduplicated',
    ]);
    expect(emu.wix.writes.length).toBe(before);
  });
});

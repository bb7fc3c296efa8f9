import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_INSTANCES, SEED_IDS } from '../../src/sandbox/wix-emulator.js';
import { WixApiError } from '../../src/wix/errors.js';
import { createTask } from '../../src/wix/resources/tasks.js';
import {
  ToolInputError,
  addOrderNoteTool,
  createTaskTool,
  labelContactTool,
  modelVisibleError,
  runTool,
  sendInboxMessageTool,
} from '../../src/wix/tools/index.js';
import { startHarness, type Harness } from './support.js';

const coffee = EMULATOR_INSTANCES.coffee;
const ids = SEED_IDS.coffee;
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => {
  h.emulator.reset();
});
afterAll(async () => {
  await h.close();
});
const ctx = (_label?: string) => h.ctx(coffee);
const site = () => h.emulator.data.site(coffee)!;

describe('label_contact', () => {
  it('finds or creates each label by name, then applies them, with no idempotency header (Wix honours none)', async () => {
    const result = await runTool(labelContactTool, ctx(), {
      contactId: ids.contacts.priya,
      labels: ['First order', 'vip', 'First Order'],
    });
    expect(result.applied).toEqual([
      { key: 'custom.first-order', displayName: 'First order', created: true },
      { key: 'custom.vip', displayName: 'VIP', created: false },
    ]);
    expect(result.labelKeys).toEqual(['custom.first-order', 'custom.vip']);
    expect(site().contacts.get(ids.contacts.priya)?.info.labelKeys.items).toEqual([
      'custom.first-order',
      'custom.vip',
    ]);
    expect(h.emulator.writes.map((w) => [w.path, w.idempotencyKey, w.instanceId])).toEqual([
      ['/contacts/v4/labels', undefined, coffee],
      ['/contacts/v4/labels', undefined, coffee],
      [`/contacts/v4/contacts/${ids.contacts.priya}/labels`, undefined, coffee],
    ]);
    expect(h.emulator.writes[2]?.body).toEqual({ labelKeys: ['custom.first-order', 'custom.vip'] });
  });

  it('a label name whose key is taken is a 409 the model may see', async () => {
    const error = await runTool(labelContactTool, ctx(), {
      contactId: ids.contacts.priya,
      labels: ['VIP!'],
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 409, code: 'LABEL_ALREADY_EXISTS', retryable: false });
    expect(modelVisibleError(error)).toEqual({
      error: expect.objectContaining({ code: 'LABEL_ALREADY_EXISTS', status: 409 }),
    });
    expect(site().contacts.get(ids.contacts.priya)?.info.labelKeys.items).toEqual([]);
  });

  it('an unknown contact is a 404; too many labels never reach Wix', async () => {
    await expect(
      runTool(labelContactTool, ctx(), { contactId: 'missing', labels: ['VIP'] }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      runTool(labelContactTool, ctx(), {
        contactId: ids.contacts.priya,
        labels: ['a', 'b', 'c', 'd', 'e', 'f'],
      }),
    ).rejects.toBeInstanceOf(ToolInputError);
  });
});

describe('create_task', () => {
  it('creates a task linked to a contact with a due date', async () => {
    const result = await runTool(createTaskTool, ctx(), {
      title: 'Call Priya about the grinder',
      description: 'Out of stock; offer a refund or a wait of two weeks.',
      dueDate: '2030-01-02T09:00:00Z',
      contactId: ids.contacts.priya,
    });
    expect(result).toMatchObject({
      title: 'Call Priya about the grinder',
      status: 'ACTION_NEEDED',
      contactId: ids.contacts.priya,
    });
    const stored = site().tasks.get(result.taskId);
    expect(stored).toMatchObject({
      dueDate: '2030-01-02T09:00:00Z',
      contact: { id: ids.contacts.priya, email: 'priya.patel@example.com' },
    });
    expect(h.emulator.writes[0]).toMatchObject({ status: 200 });
  });

  it('Wix validation errors come back as 400 with the fields', async () => {
    const error = await createTask(h.client, { instanceId: coffee }, { title: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WixApiError);
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
    expect(modelVisibleError(error)).toEqual({ error: expect.objectContaining({ fields: ['task.title'] }) });
    await expect(runTool(createTaskTool, ctx(), { title: 'x'.repeat(251) })).rejects.toBeInstanceOf(
      ToolInputError,
    );
    await expect(runTool(createTaskTool, ctx(), { title: 'x', dueDate: 'tomorrow' })).rejects.toBeInstanceOf(
      ToolInputError,
    );
    await expect(
      runTool(createTaskTool, ctx(), { title: 'x', contactId: '00000000-0000-4000-a000-000000000000' }),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe("create_task within Wix's limits (Tasks v2: title <= 250, description <= 500 with our marker)", () => {
  it('a 600-character description never reaches Wix; the model gets a message it can act on', async () => {
    const error = await runTool(createTaskTool, ctx(), {
      title: 'Follow up',
      description: 'd'.repeat(600),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolInputError);
    // 500 is Wix's limit; the tool keeps room for the write's marker, so the model may use 400.
    expect(String((error as Error).message)).toContain('at most 400 characters');
    expect(h.emulator.writes).toEqual([]);
  });

  it("the longest title and description the tool allows go through, marker included, within Wix's 500", async () => {
    const result = await runTool(
      createTaskTool,
      { ...ctx(), writeRef: 'wea-0123456789ab' },
      {
        title: 't'.repeat(250),
        description: 'd'.repeat(400),
      },
    );
    const stored = site().tasks.get(result.taskId);
    expect(stored).toMatchObject({ title: 't'.repeat(250) });
    const description = String((stored as { description?: unknown } | undefined)?.description ?? '');
    expect(description.endsWith('[ref wea-0123456789ab]')).toBe(true);
    expect(description.length).toBeLessThanOrEqual(500);
  });

  it('the emulator refuses what Wix refuses: 400 for a 501-character description or a 251-character title', async () => {
    for (const task of [{ title: 'x', description: 'd'.repeat(501) }, { title: 't'.repeat(251) }]) {
      const error = await createTask(h.client, { instanceId: coffee }, task).catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
    }
    expect(site().tasks.size).toBe(0);
  });
});

describe('add_order_note', () => {
  it("adds a merchant comment to the order's activities", async () => {
    const result = await runTool(addOrderNoteTool, ctx(), {
      orderId: ids.orders.priyaNew,
      note: 'Grinder out of stock: contact buyer.',
    });
    expect(result.activityId).toEqual(expect.any(String));
    const activity = site().orders.get(ids.orders.priyaNew)?.activities.at(-1);
    expect(activity).toMatchObject({
      id: result.activityId,
      activityType: 'MERCHANT_COMMENT',
      merchantComment: { message: 'Grinder out of stock: contact buyer.' },
    });
    // Add Activities, as @wix/auto_sdk_ecom_orders publishes it.
    expect(h.emulator.writes[0]).toMatchObject({
      method: 'POST',
      path: `/ecom/v1/orders/${ids.orders.priyaNew}/activities/add`,
      body: {
        orderActivities: [
          {
            activityType: 'MERCHANT_COMMENT',
            merchantComment: { message: 'Grinder out of stock: contact buyer.' },
          },
        ],
      },
    });
  });

  it('reconciles an unknown outcome by reading the activities back', async () => {
    const note = 'Reconcile me.';
    const sent = await runTool(addOrderNoteTool, ctx(), { orderId: ids.orders.priyaNew, note });
    await expect(addOrderNoteTool.reconcile!(ctx(), { orderId: ids.orders.priyaNew, note })).resolves.toEqual(
      {
        orderId: ids.orders.priyaNew,
        activityId: sent.activityId,
      },
    );
    await expect(
      addOrderNoteTool.reconcile!(ctx(), { orderId: ids.orders.priyaNew, note: 'never sent' }),
    ).resolves.toBeUndefined();
  });

  it('a note over 5,000 characters (Wix limit) never reaches Wix; the emulator refuses one too', async () => {
    await expect(
      runTool(addOrderNoteTool, ctx(), { orderId: ids.orders.priyaNew, note: 'n'.repeat(5001) }),
    ).rejects.toBeInstanceOf(ToolInputError);
    expect(h.emulator.writes).toEqual([]);
    const raw = await h.client
      .request({
        method: 'POST',
        path: `/ecom/v1/orders/${ids.orders.priyaNew}/activities/add`,
        body: {
          orderActivities: [
            { activityType: 'MERCHANT_COMMENT', merchantComment: { message: 'n'.repeat(5001) } },
          ],
        },
        instanceId: coffee,
      })
      .catch((e: unknown) => e);
    expect(raw).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
  });

  it('an unknown order is a 404; an empty note never reaches Wix', async () => {
    await expect(runTool(addOrderNoteTool, ctx(), { orderId: 'missing', note: 'x' })).rejects.toMatchObject({
      status: 404,
      code: 'ORDER_NOT_FOUND',
    });
    await expect(
      runTool(addOrderNoteTool, ctx(), { orderId: ids.orders.priyaNew, note: '   ' }),
    ).rejects.toBeInstanceOf(ToolInputError);
    expect(h.emulator.writes).toHaveLength(1);
  });
});

describe('send_inbox_message', () => {
  it('posts a staff-only message by default, reusing the conversation', async () => {
    const first = await runTool(sendInboxMessageTool, ctx('k1'), {
      contactId: ids.contacts.jane,
      text: 'Repeat customer: consider a thank-you note.',
    });
    const second = await runTool(sendInboxMessageTool, ctx('k2'), {
      contactId: ids.contacts.jane,
      text: 'Thanks for your order!',
      visibility: 'customer',
    });
    expect(second.conversationId).toBe(first.conversationId);
    const thread = site().messages.get(first.conversationId) ?? [];
    expect(thread.map((m) => m.visibility)).toEqual(['BUSINESS', 'BUSINESS_AND_PARTICIPANT']);
    const sends = h.emulator.writes.filter((w) => w.path === '/inbox/v2/messages');
    expect(sends.map((w) => (w.body as { sendNotifications: boolean }).sendNotifications)).toEqual([
      false,
      true,
    ]);
  });

  it('an unknown contact is a 404', async () => {
    await expect(
      runTool(sendInboxMessageTool, ctx(), { contactId: 'missing', text: 'hi' }),
    ).rejects.toMatchObject({
      status: 404,
      code: 'CONTACT_NOT_FOUND',
    });
  });
});

describe('expired tokens', () => {
  it('a write tool call rides over an expired token (401 → renew → retry once)', async () => {
    await runTool(addOrderNoteTool, ctx('t1'), { orderId: ids.orders.janeLatest, note: 'first' });
    h.emulator.expireTokens();
    await runTool(addOrderNoteTool, ctx('t2'), { orderId: ids.orders.janeLatest, note: 'second' });
    expect(h.emulator.writes.map((w) => w.status)).toEqual([200, 401, 200]);
    expect(
      site()
        .orders.get(ids.orders.janeLatest)
        ?.activities.filter((a) => a.activityType === 'MERCHANT_COMMENT'),
    ).toHaveLength(2);
  });
});

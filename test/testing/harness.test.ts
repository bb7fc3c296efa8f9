import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addOrderNoteTool, defineHandler, getContactTool, labelContactTool } from '../../src/index.js';
import {
  contactDeleted,
  contactUpdated,
  createHarness,
  orderApproved,
  type Harness,
  type TestEvent,
  wixEvent,
} from '../../src/testing/index.js';
import { fixture } from '../support/agent-env.js';

/** A handler as a user writes it: on an action event (order_approved), with a guard and settings. */
const thankBigOrders = defineHandler({
  name: 'thank-big-orders',
  on: 'order_approved',
  tools: [addOrderNoteTool],
  settings: { prefix: 'THANKS_', schema: z.object({ minTotal: z.coerce.number().default(50) }) },
  instructions: ({ minTotal }) => `If the total is above ${minTotal}, add one note thanking the buyer.`,
  data: (event) => ({ orderId: event.entity.id, total: event.entity.priceSummary?.total?.amount }),
  guard: (write, event) =>
    write.tool === 'add_order_note' && write.input.orderId !== event.entity.id
      ? 'only this order'
      : undefined,
});

/** On an updated event: sees the current contact and the changed fields. */
const watchUpdates = defineHandler({
  name: 'watch-contact-updates',
  on: 'wix.contacts.v4.contact_updated',
  tools: [getContactTool, labelContactTool],
  data: (event) => ({
    contactId: event.entity.id,
    email: event.entity.primaryInfo?.email,
    changes: event.changes,
  }),
  instructions: 'Label a contact whose email changed with "email-changed".',
  guard: (write, event) =>
    write.tool === 'label_contact' && write.input.contactId !== event.entity.id
      ? 'only this contact'
      : undefined,
  mode: 'dry-run',
});

/** On a deleted event: the entity is `{ id }`; reads only. */
const noteDeletions = defineHandler({
  name: 'note-deletions',
  on: 'wix.contacts.v4.contact_deleted',
  tools: [getContactTool],
  instructions: 'Say which contact was deleted.',
  data: (event) => ({ contactId: event.entity.id, kind: event.kind }),
});

/** On a Wix event type with no built-in name: the order's current state after an update. */
const orderUpdates = defineHandler({
  name: 'order-updates',
  on: 'wix.ecom.v1.order_updated',
  tools: [],
  instructions: 'Report the order status.',
  data: (event) => ({ orderId: event.entity.id, status: event.entity.status, kind: event.kind }),
});

/** A fixture (fixtures/wix) as a built event. */
const fromFixture = (name: string): TestEvent => {
  const f = fixture(name);
  const data = f.webhook.data as { id: string };
  return {
    webhook: f.webhook,
    eventId: data.id,
    eventType: f.webhook.eventType,
    instanceId: f.webhook.instanceId,
    entity: {},
  };
};

describe('the testing kit runs the real pipeline in-process', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ handlers: [thankBigOrders, watchUpdates, noteDeletions, orderUpdates] });
  });
  afterAll(() => h?.close());

  it('runs a handler on order_approved (an action event) with the scripted calls, and the write reaches Wix', async () => {
    const event = orderApproved({ buyerNote: 'Gift wrap, please' });
    const done = await h.send(event, {
      script: [
        (ctx) => ({
          calls: [
            {
              tool: 'add_order_note',
              input: { orderId: ctx.data.orderId, note: `Thanks! total ${String(ctx.data.total)}` },
            },
          ],
        }),
        { text: 'noted' },
      ],
    });
    expect(done.outcome).toBe('published');
    expect(done.runs.map((r) => r.status)).toEqual(['succeeded']);
    expect(done.calls.map((c) => [c.tool, c.status])).toEqual([['add_order_note', 'executed']]);
    expect(done.writes).toHaveLength(1);
    expect(done.writes[0]!.path).toBe(`/ecom/v1/orders/${event.entity.id}/activities/add`);
    expect(done.writes[0]!.body).toMatchObject({
      orderActivities: [
        { activityType: 'MERCHANT_COMMENT', merchantComment: { message: 'Thanks! total 59.21' } },
      ],
    });
  });

  it('refuses a write the guard rejects; nothing reaches Wix', async () => {
    const done = await h.send(orderApproved(), {
      script: [{ calls: [{ tool: 'add_order_note', input: { orderId: 'someone-elses-order', note: 'x' } }] }],
    });
    expect(done.calls.map((c) => [c.tool, c.status, c.error])).toEqual([
      ['add_order_note', 'refused', 'only this order'],
    ]);
    expect(done.writes).toEqual([]);
  });

  it('delivers an updated event with the current entity and the changed fields', async () => {
    const event = contactUpdated(
      { primaryInfo: { email: 'new@example.com' } },
      { primaryInfo: { email: 'old@example.com' } },
    );
    let seen: Record<string, unknown> = {};
    const done = await h.send(event, {
      script: [
        (ctx) => {
          seen = ctx.data;
          return {
            calls: [
              { tool: 'label_contact', input: { contactId: event.entity.id, labels: ['email-changed'] } },
            ],
          };
        },
      ],
    });
    expect(done.outcome).toBe('published');
    expect(seen).toEqual({
      contactId: event.entity.id,
      email: 'new@example.com',
      changes: { primaryInfo: { email: 'old@example.com' } },
    });
    expect(done.calls.map((c) => [c.tool, c.status])).toEqual([['label_contact', 'simulated']]);
    expect(done.writes).toEqual([]);
  });

  it('delivers a deleted event (Wix sends deletedEvent: {}) as the entity id', async () => {
    const event = contactDeleted();
    let seen: Record<string, unknown> = {};
    const done = await h.send(event, {
      script: (ctx) => {
        seen = ctx.data;
        return { text: 'deleted' };
      },
    });
    expect(done.runs.map((r) => r.status)).toEqual(['succeeded']);
    expect(seen).toEqual({ contactId: event.entity.id, kind: 'deleted' });
  });

  it('delivers the updated and deleted fixtures (ignored without a subscriber) to the handlers on them', async () => {
    const seen: Record<string, unknown>[] = [];
    const script = (ctx: { data: Record<string, unknown> }) => {
      seen.push(ctx.data);
      return { text: 'ok' };
    };
    const updated = await h.send(fromFixture('order-updated.ignored'), { script });
    const deleted = await h.send(fromFixture('contact-deleted.ignored'), { script });
    expect([updated.outcome, deleted.outcome]).toEqual(['published', 'published']);
    expect([...updated.runs, ...deleted.runs].map((r) => [r.handler, r.status])).toEqual([
      ['order-updates', 'succeeded'],
      ['note-deletions', 'succeeded'],
    ]);
    expect(seen).toEqual([
      { orderId: expect.any(String), status: expect.any(String), kind: 'updated' },
      { contactId: '3f6857a9-fcf7-40fd-9973-f2fc685779f2', kind: 'deleted' },
    ]);
  });

  it('answers 200 and ignores a verified event nobody subscribes to', async () => {
    const booking = wixEvent(
      'wix.bookings.v2.booking_created',
      { createdEvent: { entity: { id: 'b-1' } } },
      { id: 'b-1' },
    );
    expect(await h.send(booking)).toMatchObject({ status: 200, outcome: 'ignored', runs: [] });
  });

  it('fails the run, saying so, when the model has no script for the handler', async () => {
    const done = await h.send(orderApproved());
    expect(done.runs.map((r) => r.status)).toEqual(['failed']);
    expect(done.runs[0]!.error).toMatch(/no script for handler "thank-big-orders"/);
    expect(done.error).toMatch(/no script/);
    // The harness runs the service's own bus, metrics included (it once wrapped a bus without them).
    expect(await h.service.registry.getSingleMetricAsString('wix_dead_letters_total')).toMatch(
      /wix_dead_letters_total\{reason="max_attempts"\} 1/,
    );
  });
});

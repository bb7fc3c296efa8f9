import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, orderApproved } from 'wix-event-agent/testing';
import { thankBigOrders } from './handlers.js';

describe('thank-big-orders', () => {
  /** @type {import('wix-event-agent/testing').Harness} */
  let harness;
  beforeAll(async () => {
    harness = await createHarness({ handlers: [thankBigOrders] });
  });
  afterAll(() => harness?.close());

  it('notes a big approved order', async () => {
    const event = orderApproved({ priceSummary: { total: { amount: '250.00' } } });
    const done = await harness.send(event, {
      script: [
        { calls: [{ tool: 'add_order_note', input: { orderId: event.entity.id, note: 'Send a card' } }] },
      ],
    });
    expect(done.calls.map((c) => [c.tool, c.status])).toEqual([['add_order_note', 'executed']]);
    expect(done.writes.map((w) => w.path)).toEqual([`/ecom/v1/orders/${event.entity.id}/activities/add`]);
  });

  it('refuses a note on another order, whatever the model asks', async () => {
    const done = await harness.send(orderApproved(), {
      script: [{ calls: [{ tool: 'add_order_note', input: { orderId: 'another-order', note: 'x' } }] }],
    });
    expect(done.calls.map((c) => c.status)).toEqual(['refused']);
    expect(done.writes).toEqual([]);
  });

  it('follows its sandbox script when the test gives none', async () => {
    const done = await harness.send(orderApproved({ priceSummary: { total: { amount: '180.00' } } }));
    expect(done.calls.map((c) => [c.tool, c.status])).toEqual([
      ['get_contact', 'executed'],
      ['add_order_note', 'executed'],
    ]);
  });
});

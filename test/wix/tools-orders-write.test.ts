import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_INSTANCES, SEED_IDS } from '../../src/sandbox/wix-emulator.js';
import { WixOutcomeUnknownError } from '../../src/wix/errors.js';
import { ToolInputError, createOrderTool, runTool, updateOrderTool } from '../../src/wix/tools/index.js';
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
const ORDERS = '/ecom/v1/orders';
const beans = { productId: ids.products.houseBlend, name: 'House Blend 1kg', quantity: 3, price: '24.10' };

describe('create_order (record an order)', () => {
  it('sends lines with the Stores catalog reference and cents-exact totals; buyer not notified by default', async () => {
    const ctx = { ...h.ctx(coffee), writeRef: 'wea-0123456789ab' };
    const created = await runTool(createOrderTool, ctx, {
      contactId: ids.contacts.jane,
      items: [beans, { productId: ids.products.giftCard, name: 'Gift Card', quantity: 1, price: '0.20' }],
      shipping: '5.00',
      channel: 'EBAY',
    });
    expect(created).toMatchObject({
      total: '77.50',
      status: 'INITIALIZED',
      externalOrderId: 'wea-0123456789ab',
    });
    expect(h.emulator.writes.at(-1)).toMatchObject({ method: 'POST', path: ORDERS });
    expect(h.emulator.writes.at(-1)?.body).toEqual({
      order: {
        buyerInfo: { contactId: ids.contacts.jane },
        channelInfo: { type: 'EBAY', externalOrderId: 'wea-0123456789ab' },
        lineItems: [
          {
            productName: { original: 'House Blend 1kg' },
            catalogReference: {
              catalogItemId: ids.products.houseBlend,
              appId: '215238eb-22a5-4c36-9e7b-e7c08025e04e',
            },
            quantity: 3,
            price: { amount: '24.10' },
            itemType: { preset: 'PHYSICAL' },
          },
          {
            productName: { original: 'Gift Card' },
            catalogReference: {
              catalogItemId: ids.products.giftCard,
              appId: '215238eb-22a5-4c36-9e7b-e7c08025e04e',
            },
            quantity: 1,
            price: { amount: '0.20' },
            itemType: { preset: 'PHYSICAL' },
          },
        ],
        priceSummary: {
          subtotal: { amount: '72.50' },
          shipping: { amount: '5.00' },
          total: { amount: '77.50' },
        },
      },
      settings: { notifications: { sendNotificationToBuyer: false } },
    });
  });

  it('answer lost: found by its external id once Search Orders returns it; an INITIALIZED order is parked', async () => {
    const ctx = { ...h.ctx(coffee), writeRef: 'wea-aaaaaaaaaaaa' };
    const free = {
      email: 'walk.in@example.com',
      items: [{ ...beans, price: '0' }],
      externalOrderId: 'POS-77',
    };
    h.emulator.setFault({ path: ORDERS, serverErrorsAfterApply: 1 });
    const error = await runTool(createOrderTool, ctx, free).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WixOutcomeUnknownError);
    expect(h.emulator.writeLog.applied((w) => w.path === ORDERS)).toHaveLength(1);
    const args = createOrderTool.input.parse(free);
    // A total of 0 is approved at once (Wix's DEFAULT approval strategy), so Search Orders finds it.
    expect(await createOrderTool.reconcile!(ctx, args)).toMatchObject({
      externalOrderId: 'POS-77',
      total: '0.00',
    });
    expect(
      await createOrderTool.reconcile!(ctx, { ...args, items: [...args.items, ...args.items] }),
    ).toBeUndefined();

    h.emulator.setFault({ path: ORDERS, resetsAfterApply: 1 });
    const unpaid = { email: 'walk.in@example.com', items: [beans] };
    await expect(runTool(createOrderTool, ctx, unpaid)).rejects.toBeInstanceOf(WixOutcomeUnknownError);
    // Unpaid: INITIALIZED, which Search Orders never returns. Not found is not proof: parked.
    expect(await createOrderTool.reconcile!(ctx, createOrderTool.input.parse(unpaid))).toBeUndefined();
    expect(createOrderTool.settle).toBe('reconcile');
  });

  it('refuses bad input before Wix; the emulator refuses 301 lines as Wix does', async () => {
    for (const bad of [
      { items: [beans] },
      { contactId: ids.contacts.jane, items: [] },
      { contactId: ids.contacts.jane, items: [{ ...beans, quantity: 100_001 }] },
      { contactId: ids.contacts.jane, items: [{ ...beans, name: 'x'.repeat(201) }] },
      { contactId: ids.contacts.jane, items: [beans], externalOrderId: 'has space' },
      { contactId: ids.contacts.jane, items: [beans], channel: 'UNSPECIFIED' },
      { contactId: ids.contacts.jane, items: Array.from({ length: 301 }, () => beans) },
    ]) {
      await expect(runTool(createOrderTool, h.ctx(coffee), bad)).rejects.toBeInstanceOf(ToolInputError);
    }
    expect(h.emulator.writes).toHaveLength(0);
    const line = { productName: { original: 'x' }, catalogReference: { catalogItemId: 'p', appId: 'a' } };
    const tooMany = Array.from({ length: 301 }, () => ({
      ...line,
      quantity: 1,
      price: { amount: '1' },
      itemType: {},
    }));
    const direct = await h.client
      .request({
        method: 'POST',
        path: ORDERS,
        body: { order: { channelInfo: { type: 'WEB' }, lineItems: tooMany, priceSummary: {} } },
        instanceId: coffee,
      })
      .catch((e: unknown) => e);
    expect(direct).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
  });
});

describe('update_order', () => {
  it('archives and marks seen; reconcile finds the values, or parks when they differ', async () => {
    const orderId = ids.orders.janeLatest;
    const updated = await runTool(updateOrderTool, h.ctx(coffee), {
      orderId,
      archived: true,
      seenByAHuman: true,
    });
    expect(updated).toMatchObject({ id: orderId, archived: true, seenByAHuman: true });
    expect(h.emulator.writes.at(-1)).toMatchObject({ method: 'PATCH', path: `${ORDERS}/${orderId}` });
    expect(h.emulator.writes.at(-1)?.body).toEqual({
      order: { id: orderId, archived: true, seenByAHuman: true },
    });
    const args = updateOrderTool.input.parse({ orderId, archived: true });
    expect(await updateOrderTool.reconcile!(h.ctx(coffee), args)).toMatchObject({ archived: true });
    const other = updateOrderTool.input.parse({ orderId, buyerEmail: 'new@example.com' });
    expect(await updateOrderTool.reconcile!(h.ctx(coffee), other)).toBeUndefined();
  });

  it('an unknown order is a 404; nothing to change is refused before Wix', async () => {
    await expect(
      runTool(updateOrderTool, h.ctx(coffee), { orderId: 'missing', archived: true }),
    ).rejects.toMatchObject({
      status: 404,
      code: 'ORDER_NOT_FOUND',
    });
    await expect(runTool(updateOrderTool, h.ctx(coffee), { orderId: 'x' })).rejects.toBeInstanceOf(
      ToolInputError,
    );
    await expect(
      runTool(updateOrderTool, h.ctx(coffee), { orderId: 'x', buyerEmail: 'not-an-email' }),
    ).rejects.toBeInstanceOf(ToolInputError);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_INSTANCES, SEED_IDS } from '../../src/sandbox/wix-emulator.js';
import { WixApiError } from '../../src/wix/errors.js';
import { v1QueryBody } from '../../src/wix/resources/stores.js';
import {
  ToolInputError,
  checkInventoryTool,
  findContactsTool,
  getContactTool,
  getOrderTool,
  queryDataItemsTool,
  runTool,
  searchOrdersTool,
} from '../../src/wix/tools/index.js';
import { startHarness, type Harness } from './support.js';

const coffee = EMULATOR_INSTANCES.coffee;
const ids = SEED_IDS.coffee;
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
const ctx = (instanceId: string = coffee) => h.ctx(instanceId);
const apiCalls = () => h.emulator.requests.filter((r) => r.path !== '/oauth2/token').length;

describe('get_order', () => {
  it('returns a compact order with buyer, totals and product ids', async () => {
    const order = await runTool(getOrderTool, ctx(), { orderId: ids.orders.priyaNew });
    expect(order).toMatchObject({
      id: ids.orders.priyaNew,
      number: '10013',
      fulfillmentStatus: 'NOT_FULFILLED',
      total: '293.00',
      currency: 'USD',
      buyer: { contactId: ids.contacts.priya, email: 'priya.patel@example.com', name: 'Priya Patel' },
      items: [
        { name: 'Espresso Grinder Pro', quantity: 1, price: '249.00', productId: ids.products.grinder },
        { name: 'Ceramic Pour-Over Set', quantity: 1, price: '39.00', productId: ids.products.pourOver },
      ],
    });
    expect(order.buyerNote).toContain('gift-wrap');
    expect(order).not.toHaveProperty('lineItems');
    expect(order).not.toHaveProperty('activities');
  });

  it('a missing order is a non-retryable 404', async () => {
    await expect(
      runTool(getOrderTool, ctx(), { orderId: '00000000-0000-4000-a000-000000000000' }),
    ).rejects.toMatchObject({
      status: 404,
      code: 'ORDER_NOT_FOUND',
      retryable: false,
    });
  });

  it('rejects an id that is not a Wix id before calling Wix', async () => {
    const before = apiCalls();
    await expect(runTool(getOrderTool, ctx(), { orderId: '../../contacts' })).rejects.toBeInstanceOf(
      ToolInputError,
    );
    expect(apiCalls()).toBe(before);
  });
});

describe('search_orders', () => {
  it("finds a repeat customer's orders by contact id, newest first", async () => {
    const result = await runTool(searchOrdersTool, ctx(), { contactId: ids.contacts.jane });
    expect(result.count).toBe(5);
    expect(result.orders.map((o) => o.number)).toEqual(['10005', '10004', '10003', '10002', '10001']);
    expect(result.pageTotal).toEqual({ amount: '229.00', currency: 'USD' });
  });

  it('finds a VIP by email, with lifetime spend', async () => {
    const result = await runTool(searchOrdersTool, ctx(), { email: 'Marcus.Chen@example.com' });
    expect(result.count).toBe(6);
    expect(Number(result.pageTotal?.amount)).toBeGreaterThan(1500);
  });

  it('filters by status and date range; hides INITIALIZED orders', async () => {
    const unfulfilled = await runTool(searchOrdersTool, ctx(), { fulfillmentStatus: 'NOT_FULFILLED' });
    expect(unfulfilled.orders.map((o) => o.number).sort()).toEqual(['10005', '10013']);
    const from = new Date(Date.now() - 40 * 86_400_000).toISOString();
    const recentJane = await runTool(searchOrdersTool, ctx(), {
      contactId: ids.contacts.jane,
      createdFrom: from,
    });
    expect(recentJane.orders.map((o) => o.number)).toEqual(['10005', '10004']);
    const all = await runTool(searchOrdersTool, ctx(), { limit: 50 });
    expect(all.orders.some((o) => o.status === 'INITIALIZED')).toBe(false);
    expect(all.count).toBe(12);
  });

  it('pages with a cursor', async () => {
    const first = await runTool(searchOrdersTool, ctx(), { contactId: ids.contacts.marcus, limit: 4 });
    expect(first).toMatchObject({ count: 4, hasMore: true });
    const second = await runTool(searchOrdersTool, ctx(), { cursor: first.cursor, limit: 4 });
    expect(second).toMatchObject({ count: 2, hasMore: false });
    const seen = [...first.orders, ...second.orders].map((o) => o.id);
    expect(new Set(seen).size).toBe(6);
  });

  it('an invalid cursor is a 400 validation error naming the field', async () => {
    const error = await runTool(searchOrdersTool, ctx(), { cursor: 'not-a-cursor' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WixApiError);
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_ERROR', retryable: false });
    expect((error as WixApiError).fieldViolations[0]?.field).toBe('cursorPaging.cursor');
  });

  it('an unknown email finds nothing; contactId with email is refused', async () => {
    await expect(runTool(searchOrdersTool, ctx(), { email: 'nobody@example.com' })).resolves.toMatchObject({
      count: 0,
    });
    await expect(
      runTool(searchOrdersTool, ctx(), { email: 'a@b.co', contactId: ids.contacts.jane }),
    ).rejects.toBeInstanceOf(ToolInputError);
    await expect(runTool(searchOrdersTool, ctx(), { limit: 500 })).rejects.toBeInstanceOf(ToolInputError);
  });
});

describe('get_contact / find_contacts', () => {
  it('gets a contact with labels', async () => {
    await expect(runTool(getContactTool, ctx(), { contactId: ids.contacts.marcus })).resolves.toMatchObject({
      id: ids.contacts.marcus,
      name: 'Marcus Chen',
      email: 'marcus.chen@example.com',
      labels: ['custom.vip'],
      company: 'Chen Hospitality Group',
    });
    await expect(runTool(getContactTool, ctx(), { contactId: 'missing' })).rejects.toMatchObject({
      status: 404,
      code: 'CONTACT_NOT_FOUND',
    });
  });

  it('recognises a member where Wix puts membership: the members.membershipStatus extended field', async () => {
    await expect(runTool(getContactTool, ctx(), { contactId: ids.contacts.sofia })).resolves.toMatchObject({
      member: true,
      memberStatus: 'APPROVED',
    });
    await expect(runTool(getContactTool, ctx(), { contactId: ids.contacts.jane })).resolves.toMatchObject({
      member: false,
    });
  });

  it('finds by email (any case) or by phone (formatted)', async () => {
    const byEmail = await runTool(findContactsTool, ctx(), { email: 'JANE.DOE@example.com' });
    expect(byEmail.contacts.map((c) => c.id)).toEqual([ids.contacts.jane]);
    const byPhone = await runTool(findContactsTool, ctx(), { phone: '+49 151 2345 6789' });
    expect(byPhone.contacts).toEqual([
      expect.objectContaining({ id: ids.contacts.tom, labels: ['custom.wholesale'] }),
    ]);
    await expect(runTool(findContactsTool, ctx(), { email: 'ghost@example.com' })).resolves.toEqual({
      contacts: [],
      total: 0,
    });
  });

  it('needs exactly one of email or phone', async () => {
    await expect(runTool(findContactsTool, ctx(), {})).rejects.toBeInstanceOf(ToolInputError);
    await expect(
      runTool(findContactsTool, ctx(), { email: 'a@b.co', phone: '+1555' }),
    ).rejects.toBeInstanceOf(ToolInputError);
  });
});

describe('check_inventory', () => {
  it('reads Catalog V3 stock on a V3 site', async () => {
    const result = await runTool(checkInventoryTool, ctx(), {
      productIds: [ids.products.grinder, ids.products.pourOver, ids.products.yirgacheffe, 'unknown-product'],
    });
    expect(result.catalog).toBe('V3');
    expect(result.products).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ productId: ids.products.grinder, availability: 'OUT_OF_STOCK' }),
        expect.objectContaining({
          productId: ids.products.pourOver,
          availability: 'PARTIALLY_OUT_OF_STOCK',
          lowStock: true,
        }),
        expect.objectContaining({ productId: ids.products.yirgacheffe, availability: 'IN_STOCK' }),
      ]),
    );
    expect(result.notFound).toEqual(['unknown-product']);
  });

  it('asks the catalog version once per site, then calls V1 on a V1 site, with quantities', async () => {
    const p = SEED_IDS.bakery.products;
    const before = h.emulator.requests.length;
    const result = await runTool(checkInventoryTool, ctx(EMULATOR_INSTANCES.bakery), {
      productIds: [p.ryeFlour, p.proofingBasket, p.starterKit],
    });
    await runTool(checkInventoryTool, ctx(EMULATOR_INSTANCES.bakery), { productIds: [p.ryeFlour] });
    expect(result.catalog).toBe('V1');
    expect(result.products).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ productId: p.ryeFlour, quantity: 3, lowStock: true }),
        expect.objectContaining({ productId: p.proofingBasket, availability: 'OUT_OF_STOCK', quantity: 0 }),
        expect.objectContaining({ productId: p.starterKit, quantity: 42, lowStock: false }),
      ]),
    );
    const calls = h.emulator.requests.slice(before).filter((r) => r.path !== '/oauth2/token');
    expect(calls.map((r) => [r.path, r.status])).toEqual([
      ['/stores/v3/provision/version', 200],
      ['/stores-reader/v1/products/query', 200],
      ['/stores-reader/v1/products/query', 200],
    ]);
    // Hidden products included where the API allows it (V1: includeHiddenProducts).
    expect(v1QueryBody([p.ryeFlour])).toMatchObject({ includeHiddenProducts: true });
  });

  it('a site whose Catalog V3 is still provisioning is retried, not failed', async () => {
    const site = h.emulator.data.site(coffee)!;
    site.catalogProvisioning = true;
    try {
      const error = await runTool(checkInventoryTool, ctx(), { productIds: [ids.products.grinder] }).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'CATALOG_V3_SITE_PROVISIONING', retryable: true });
      expect((error as WixApiError).retryAfterMs).toBeGreaterThan(0);
    } finally {
      site.catalogProvisioning = false;
    }
    await expect(
      runTool(checkInventoryTool, ctx(), { productIds: [ids.products.grinder] }),
    ).resolves.toMatchObject({
      catalog: 'V3',
    });
  });

  it('"Wix Stores not installed" is its own non-retryable error, told apart from an auth failure', async () => {
    const studio = h.emulator.data.site(EMULATOR_INSTANCES.studio)!;
    const was = studio.catalogVersion;
    studio.catalogVersion = 'STORES_NOT_INSTALLED';
    const error = await runTool(checkInventoryTool, ctx(EMULATOR_INSTANCES.studio), {
      productIds: [ids.products.grinder],
    })
      .catch((e: unknown) => e)
      .finally(() => (studio.catalogVersion = was));
    expect(error).toMatchObject({ code: 'STORES_NOT_INSTALLED', retryable: false });
    expect(error).not.toMatchObject({ status: 401 });
    expect(error).not.toMatchObject({ status: 403 });
  });
});

describe('query_data_items', () => {
  it('reads a CMS collection with conditions', async () => {
    const result = await runTool(queryDataItemsTool, ctx(), {
      collectionId: 'FAQ',
      where: [{ field: 'topic', op: 'eq', value: 'stock' }],
    });
    expect(result.items).toHaveLength(1);
    expect(result.items[0]).toMatchObject({ question: expect.stringContaining('Grinder'), topic: 'stock' });
    expect(result.items[0]).not.toHaveProperty('_owner');
    const sorted = await runTool(queryDataItemsTool, ctx(), {
      collectionId: 'FAQ',
      sortBy: 'topic',
      limit: 2,
    });
    expect(sorted).toMatchObject({ total: 4, hasMore: true });
  });

  it('an unknown collection is a 404 with the Wix Data code', async () => {
    await expect(runTool(queryDataItemsTool, ctx(), { collectionId: 'Nope' })).rejects.toMatchObject({
      status: 404,
      code: 'WDE0025',
    });
  });
});

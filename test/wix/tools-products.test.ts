import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_INSTANCES, SEED_IDS } from '../../src/sandbox/wix-emulator.js';
import { WixOutcomeUnknownError } from '../../src/wix/errors.js';
import {
  ToolInputError,
  createProductTool,
  modelVisibleError,
  runTool,
  searchProductsTool,
} from '../../src/wix/tools/index.js';
import type { WixRequester } from '../../src/wix/request.js';
import { startHarness, type Harness } from './support.js';

const coffee = EMULATOR_INSTANCES.coffee;
const bakery = EMULATOR_INSTANCES.bakery;
const ids = SEED_IDS.coffee.products;
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => {
  h.emulator.reset();
  bodies = [];
});
afterAll(async () => {
  await h.close();
});
const sent = (path: string) => h.emulator.requests.filter((r) => r.path === path);
/** The client, recording the body of every request it sends (the emulator logs bodies of writes only). */
let bodies: { path: string; body: unknown }[] = [];
const ctx = (instanceId: string) => {
  const recording: WixRequester = {
    request: (request) => {
      bodies.push({ path: request.path, body: request.body });
      return h.client.request(request);
    },
  };
  return { ...h.ctx(instanceId), client: recording };
};
const bodiesTo = (path: string) => bodies.filter((b) => b.path === path).map((b) => b.body);

describe('search_products (Catalog V3 Search Products)', () => {
  it('finds products by free text and typed filters, as Wix query language', async () => {
    const found = await runTool(searchProductsTool, ctx(coffee), { text: 'espresso grinder' });
    expect(found.products).toEqual([
      expect.objectContaining({
        id: ids.grinder,
        name: 'Espresso Grinder Pro',
        availability: 'OUT_OF_STOCK',
      }),
    ]);
    expect(found.products[0]).toMatchObject({ revision: '1', price: '249.00', currency: 'USD' });
    const cheapInStock = await runTool(searchProductsTool, ctx(coffee), {
      availability: ['IN_STOCK'],
      minPrice: '20',
      maxPrice: '50.00',
    });
    expect(cheapInStock.products.map((p) => p.name).sort()).toEqual(['Gift Card', 'House Blend 1kg']);
    const [, second] = bodiesTo('/stores/v3/products/search');
    expect(second).toEqual({
      search: {
        filter: {
          $and: [
            { 'inventory.availabilityStatus': { $in: ['IN_STOCK'] } },
            { 'actualPriceRange.minValue.amount': { $gte: '20', $lte: '50.00' } },
          ],
        },
        cursorPaging: { limit: 20 },
      },
      fields: ['CURRENCY'],
    });
  });

  it('pages with limit and nextCursor; the cursor keeps the first search', async () => {
    const first = await runTool(searchProductsTool, ctx(coffee), { text: 'e', limit: 2 });
    expect(first.products).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const rest = await runTool(searchProductsTool, ctx(coffee), { limit: 50, cursor: first.nextCursor });
    const all = [...first.products, ...rest.products].map((p) => p.id);
    expect(new Set(all).size).toBe(all.length);
    // Every seeded product whose name holds an "e": all but the gift card.
    expect(all).toHaveLength(4);
    expect(all).not.toContain(ids.giftCard);
    expect(rest.nextCursor).toBeUndefined();
    expect(bodiesTo('/stores/v3/products/search').at(-1)).toEqual({
      search: { cursorPaging: { limit: 50, cursor: first.nextCursor } },
      fields: ['CURRENCY'],
    });
  });

  it('refuses bad input before Wix: text over 100, a price with 3 decimals, a page over 100', async () => {
    for (const bad of [{ text: 'x'.repeat(101) }, { minPrice: '1.999' }, { limit: 101 }]) {
      await expect(runTool(searchProductsTool, ctx(coffee), bad)).rejects.toBeInstanceOf(ToolInputError);
    }
    // null means "not given" (strict-mode models send it).
    const all = await runTool(searchProductsTool, ctx(coffee), { text: null, visible: null, limit: 5 });
    expect(all.products).toHaveLength(5);
    expect(sent('/stores/v3/products/search')).toHaveLength(1);
  });

  it('the emulator refuses what Wix refuses: an expression over 100 characters is a 400', async () => {
    const response = await h.client
      .request({
        method: 'POST',
        path: '/stores/v3/products/search',
        body: { search: { search: { expression: 'x'.repeat(101) } } },
        instanceId: coffee,
        read: true,
      })
      .catch((e: unknown) => e);
    expect(response).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
  });

  it('a Catalog V1 store gets an error the model can act on (V1 has no free-text search)', async () => {
    const error = await runTool(searchProductsTool, ctx(bakery), { text: 'rye' }).catch((e: unknown) => e);
    expect(modelVisibleError(error)).toEqual({
      error: expect.objectContaining({
        code: 'SEARCH_NEEDS_CATALOG_V3',
        message: expect.stringMatching(/query_products/),
      }),
    });
    expect(sent('/stores/v3/products/search')).toHaveLength(0);
    expect(sent('/stores/v3/provision/version')).toHaveLength(1);
  });
});

describe('create_product', () => {
  const blend = {
    name: 'Winter Blend 250g',
    price: '12.50',
    description: 'Spiced & warm.\n\nRoasted <weekly>.',
  };

  it('Catalog V3: one default variant, hidden by default, our slug; sent again it is refused (slug taken)', async () => {
    const created = await runTool(createProductTool, ctx(coffee), { ...blend, sku: 'WB-250' });
    expect(created).toEqual({
      catalog: 'V3',
      product: expect.objectContaining({
        name: 'Winter Blend 250g',
        slug: 'winter-blend-250g',
        visible: false,
        price: '12.50',
        revision: '1',
      }),
    });
    expect(h.emulator.writes.at(-1)).toMatchObject({ method: 'POST', path: '/stores/v3/products' });
    expect(h.emulator.writes.at(-1)?.body).toEqual({
      product: {
        name: 'Winter Blend 250g',
        slug: 'winter-blend-250g',
        visible: false,
        productType: 'PHYSICAL',
        physicalProperties: {},
        plainDescription: '<p>Spiced &amp; warm.</p><p>Roasted &lt;weekly&gt;.</p>',
        variantsInfo: {
          variants: [
            {
              choices: [],
              price: { actualPrice: { amount: '12.50' } },
              physicalProperties: {},
              sku: 'WB-250',
            },
          ],
        },
      },
      fields: ['CURRENCY'],
    });
    const again = await runTool(createProductTool, ctx(coffee), blend).catch((e: unknown) => e);
    expect(again).toMatchObject({ status: 409, code: 'DUPLICATE_SLUG_ERROR', retryable: false });
    expect(
      [...h.emulator.data.site(coffee)!.products.values()].filter((p) => p.name === blend.name),
    ).toHaveLength(1);
  });

  it('answer lost after Wix applied it: outcome unknown, sent once; reconcile finds it by slug, name and price', async () => {
    h.emulator.setFault({ path: '/stores/v3/products', serverErrorsAfterApply: 1 });
    const error = await runTool(createProductTool, ctx(coffee), blend).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WixOutcomeUnknownError);
    expect(h.emulator.writeLog.applied((w) => w.path === '/stores/v3/products')).toHaveLength(1);
    const args = createProductTool.input.parse(blend);
    expect(await createProductTool.reconcile!(ctx(coffee), args)).toEqual({
      catalog: 'V3',
      product: expect.objectContaining({ slug: 'winter-blend-250g', price: '12.50' }),
    });
    // Another product under that slug (other name or price) is not this write: parked.
    expect(await createProductTool.reconcile!(ctx(coffee), { ...args, price: '13' })).toBeUndefined();
    expect(
      await createProductTool.reconcile!(ctx(coffee), { ...args, name: 'Winter Blend', slug: 'x-1' }),
    ).toBeUndefined();
    expect(createProductTool.settle).toBe('reconcile');
  });

  it('Catalog V1: the V1 body (Wix makes the slug); an unknown outcome is parked (nothing ties a product to it)', async () => {
    const created = await runTool(createProductTool, ctx(bakery), { name: 'Rye Sourdough Loaf', price: '6' });
    expect(created).toEqual({
      catalog: 'V1',
      product: expect.objectContaining({
        name: 'Rye Sourdough Loaf',
        price: '6.00',
        visible: false,
        currency: 'EUR',
      }),
    });
    expect(h.emulator.writes.at(-1)).toMatchObject({ path: '/stores/v1/products' });
    expect(h.emulator.writes.at(-1)?.body).toEqual({
      product: {
        name: 'Rye Sourdough Loaf',
        productType: 'physical',
        priceData: { price: 6 },
        visible: false,
      },
    });
    const args = createProductTool.input.parse({ name: 'Rye Sourdough Loaf', price: '6' });
    expect(await createProductTool.reconcile!(ctx(bakery), args)).toBeUndefined();
  });

  it('refuses bad input before Wix: long name, bad price or slug, a name with nothing to make a slug of', async () => {
    for (const bad of [
      { name: 'x'.repeat(81), price: '1' },
      { name: 'Tea', price: '1,50' },
      { name: 'Tea', price: '1', slug: 'Green Tea' },
      { name: 'Tea', price: '1', sku: 'x'.repeat(41) },
      { name: 'Tea', price: '1', description: '<'.repeat(2000) },
      { name: '緑茶', price: '1' },
    ]) {
      await expect(runTool(createProductTool, ctx(coffee), bad)).rejects.toBeInstanceOf(ToolInputError);
    }
    expect(h.emulator.writes).toHaveLength(0);
    await expect(
      runTool(createProductTool, ctx(coffee), { name: '緑茶', price: '1', slug: 'sencha' }),
    ).resolves.toMatchObject({
      product: { slug: 'sencha' },
    });
  });
});

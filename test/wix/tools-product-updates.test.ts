import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_INSTANCES, SEED_IDS } from '../../src/sandbox/wix-emulator.js';
import { WixOutcomeUnknownError } from '../../src/wix/errors.js';
import {
  ToolInputError,
  bulkUpdateProductsTool,
  modelVisibleError,
  runTool,
  updateProductTool,
} from '../../src/wix/tools/index.js';
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
});
afterAll(async () => {
  await h.close();
});
const ctx = (instanceId: string) => h.ctx(instanceId);

describe('update_product (Catalog V3, at the revision read)', () => {
  it('changes only the fields given; a stale revision is a 409 and changes nothing', async () => {
    const updated = await runTool(updateProductTool, ctx(coffee), {
      productId: ids.grinder,
      revision: '1',
      visible: false,
      description: 'Back in March.',
    });
    expect(updated).toMatchObject({
      id: ids.grinder,
      revision: '2',
      visible: false,
      name: 'Espresso Grinder Pro',
    });
    expect(h.emulator.writes.at(-1)).toMatchObject({
      method: 'PATCH',
      path: `/stores/v3/products/${ids.grinder}`,
    });
    expect(h.emulator.writes.at(-1)?.body).toEqual({
      product: { id: ids.grinder, revision: '1', visible: false, plainDescription: '<p>Back in March.</p>' },
      fields: ['CURRENCY'],
    });
    const stale = await runTool(updateProductTool, ctx(coffee), {
      productId: ids.grinder,
      revision: '1',
      name: 'Grinder',
    }).catch((e: unknown) => e);
    expect(stale).toMatchObject({ status: 409, retryable: false });
    expect(modelVisibleError(stale)).toBeDefined();
    expect(h.emulator.data.site(coffee)!.products.get(ids.grinder)).toMatchObject({
      name: 'Espresso Grinder Pro',
      revision: 2,
    });
  });

  it('answer lost: reconcile finds the update (revision moved on, values as asked); otherwise parks', async () => {
    h.emulator.setFault({ path: `/stores/v3/products/${ids.houseBlend}`, resetsAfterApply: 1 });
    const args = { productId: ids.houseBlend, revision: '1', name: 'House Blend 1kg (new roast)' };
    const error = await runTool(updateProductTool, ctx(coffee), args).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WixOutcomeUnknownError);
    expect(h.emulator.writeLog.applied((w) => w.path.endsWith(ids.houseBlend))).toHaveLength(1);
    const parsed = updateProductTool.input.parse(args);
    expect(await updateProductTool.reconcile!(ctx(coffee), parsed)).toMatchObject({ revision: '2' });
    expect(await updateProductTool.reconcile!(ctx(coffee), { ...parsed, name: 'Other' })).toBeUndefined();
    expect(await updateProductTool.reconcile!(ctx(coffee), { ...parsed, revision: '2' })).toBeUndefined();
    const described = updateProductTool.input.parse({ ...args, description: 'x' });
    expect(await updateProductTool.reconcile!(ctx(coffee), described)).toBeUndefined();
  });

  it('refuses bad input before Wix, and a V1 store with UPDATE_NEEDS_CATALOG_V3', async () => {
    for (const bad of [
      { productId: ids.grinder, revision: '1' },
      { productId: ids.grinder, revision: 'abc', visible: true },
      { productId: ids.grinder, revision: '1', slug: 'No Spaces' },
    ]) {
      await expect(runTool(updateProductTool, ctx(coffee), bad)).rejects.toBeInstanceOf(ToolInputError);
    }
    const v1 = await runTool(updateProductTool, ctx(bakery), {
      productId: SEED_IDS.bakery.products.ryeFlour,
      revision: '1',
      visible: false,
    }).catch((e: unknown) => e);
    expect(v1).toMatchObject({ code: 'UPDATE_NEEDS_CATALOG_V3', retryable: false });
    expect(h.emulator.writes).toHaveLength(0);
  });
});

describe('bulk_update_products (Catalog V3, up to 100)', () => {
  it('updates each product at its revision and reports per product; destructive (approval over MCP)', async () => {
    await runTool(updateProductTool, ctx(coffee), {
      productId: ids.giftCard,
      revision: '1',
      name: 'Gift Card €50',
    });
    const result = await runTool(bulkUpdateProductsTool, ctx(coffee), {
      products: [
        { productId: ids.grinder, revision: '1', visible: false },
        { productId: ids.giftCard, revision: '1', visible: false },
        { productId: 'no-such-product', revision: '1', visible: false },
      ],
    });
    expect(result.updated).toEqual([
      expect.objectContaining({ id: ids.grinder, visible: false, revision: '2' }),
    ]);
    expect(result.failed).toEqual([
      expect.objectContaining({ productId: ids.giftCard, code: 'REVISION_MISMATCH' }),
      expect.objectContaining({ productId: 'no-such-product', code: 'PRODUCT_NOT_FOUND' }),
    ]);
    expect(h.emulator.writes.at(-1)).toMatchObject({ path: '/stores/v3/bulk/products/update' });
    expect(h.emulator.writes.at(-1)?.body).toEqual({
      products: [
        { product: { id: ids.grinder, revision: '1', visible: false } },
        { product: { id: ids.giftCard, revision: '1', visible: false } },
        { product: { id: 'no-such-product', revision: '1', visible: false } },
      ],
      returnEntity: true,
      fields: ['CURRENCY'],
    });
    expect(bulkUpdateProductsTool).toMatchObject({ destructive: true, access: 'write', settle: 'reconcile' });
  });

  it('at most 100 products, each once; the emulator refuses 101 as Wix does', async () => {
    const many = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ productId: `p-${i}`, revision: '1', visible: false }));
    await expect(
      runTool(bulkUpdateProductsTool, ctx(coffee), { products: many(101) }),
    ).rejects.toBeInstanceOf(ToolInputError);
    const twice = [...many(1), ...many(1)];
    await expect(runTool(bulkUpdateProductsTool, ctx(coffee), { products: twice })).rejects.toBeInstanceOf(
      ToolInputError,
    );
    await expect(
      runTool(bulkUpdateProductsTool, ctx(coffee), { products: many(100) }),
    ).resolves.toMatchObject({
      updated: [],
    });
    const direct = await h.client
      .request({
        method: 'POST',
        path: '/stores/v3/bulk/products/update',
        body: {
          products: many(101).map(({ productId, revision }) => ({ product: { id: productId, revision } })),
        },
        instanceId: coffee,
      })
      .catch((e: unknown) => e);
    expect(direct).toMatchObject({ status: 400 });
  });

  it('answer lost: reconcile settles it only when every product holds its update', async () => {
    h.emulator.setFault({ path: '/stores/v3/bulk/products/update', serverErrorsAfterApply: 1 });
    const args = {
      products: [
        { productId: ids.grinder, revision: '1', visible: false },
        { productId: ids.pourOver, revision: '1', name: 'Pour-Over Set' },
      ],
    };
    const error = await runTool(bulkUpdateProductsTool, ctx(coffee), args).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WixOutcomeUnknownError);
    const parsed = bulkUpdateProductsTool.input.parse(args);
    expect(await bulkUpdateProductsTool.reconcile!(ctx(coffee), parsed)).toMatchObject({
      updated: [{ id: ids.grinder }, { id: ids.pourOver, name: 'Pour-Over Set' }],
      failed: [],
    });
    const oneMore = bulkUpdateProductsTool.input.parse({
      products: [...args.products, { productId: ids.houseBlend, revision: '1', visible: false }],
    });
    expect(await bulkUpdateProductsTool.reconcile!(ctx(coffee), oneMore)).toBeUndefined();
  });
});

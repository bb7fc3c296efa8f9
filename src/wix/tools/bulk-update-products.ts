import { z } from 'zod';
import { wixLimits } from '../limits.js';
import { bulkUpdateProducts, holdsUpdate, type ProductUpdate } from '../resources/product-update.js';
import { lookupV3Products, v3Summary } from '../resources/product-view.js';
import { defineTool, scopeOf, wixId, writeScope } from './tool.js';
import { count, phrase } from './phrase.js';
import { productChangeFields, productRevision } from './update-product.js';

const MAX = wixLimits.productsPerBulkUpdate.max;

const item = z
  .object({
    productId: wixId.describe('The product id (Catalog V3).'),
    revision: productRevision.describe('The revision search_products returned for it.'),
    ...productChangeFields,
  })
  .refine((v) => v.name !== undefined || v.slug !== undefined || v.visible !== undefined, {
    message: 'give at least one field to change',
    path: ['visible'],
  });

const input = z.object({
  products: z
    .array(item)
    .min(1)
    .max(MAX)
    .refine((list) => new Set(list.map((p) => p.productId)).size === list.length, {
      message: 'each product at most once',
    })
    .describe(`1-${MAX} products, each with its revision and the fields to change.`),
});

const updatesOf = (args: z.output<typeof input>): ProductUpdate[] =>
  args.products.map(({ productId, revision, ...change }) => ({ productId, revision, change }));

export const bulkUpdateProductsTool = defineTool({
  name: 'bulk_update_products',
  description: `Change the name, URL name or visibility of up to ${MAX} Catalog V3 products in one call, each at the revision you read (e.g. hide every out-of-stock product found by search_products). Reports, per product, whether it was updated or why not (a product changed since is refused). Over MCP it waits for a person to approve it.`,
  input,
  access: 'write',
  tags: ['stores'],
  permission: 'WIX_STORES.PRODUCT_UPDATE',
  // Many products at once cannot be taken back in one step: approval by default over MCP, like cancel_order.
  destructive: true,
  settle: 'reconcile',
  describe(args) {
    return phrase('update', 'updated', `${count(args.products.length, 'product')} at once`);
  },
  async execute(ctx, args) {
    return bulkUpdateProducts(ctx.client, writeScope(ctx), updatesOf(args));
  },
  /**
   * Outcome unknown: applied when every product holds its update (revision moved on, fields as asked);
   * if any does not (not applied, refused as stale, or changed again since), the whole call is parked.
   */
  async reconcile(ctx, args) {
    const updates = updatesOf(args);
    const ids = updates.map((u) => u.productId);
    const found = await lookupV3Products(ctx.client, scopeOf(ctx), { id: { $in: ids } }, ids.length);
    const byId = new Map(found.map((p) => [p.id, p]));
    const all = updates.every((u) => {
      const p = byId.get(u.productId);
      return p !== undefined && holdsUpdate(p, u);
    });
    return all ? { updated: updates.map((u) => v3Summary(byId.get(u.productId)!)), failed: [] } : undefined;
  },
});

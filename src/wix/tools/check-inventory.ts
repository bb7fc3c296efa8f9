import { z } from 'zod';
import { productStock } from '../resources/stores.js';
import { defineTool, scopeOf, wixId } from './tool.js';
import { count, phrase } from './phrase.js';

export const checkInventoryTool = defineTool({
  name: 'check_inventory',
  description:
    'Check the stock status of Wix Stores products by product id, e.g. the productId of each item of an order. Tells for each product whether it is in stock, out of stock, partly out of stock (some variants) or on preorder, and, on sites that track quantities, how many are left and whether that is low. Works on both catalog versions.',
  input: z.object({
    productIds: z.array(wixId).min(1).max(50).describe('Product ids (catalog item ids of Wix Stores), 1-50.'),
    lowStockThreshold: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .default(5)
      .describe('A tracked quantity at or below this counts as low stock (default 5).'),
  }),
  access: 'read',
  tags: ['stores', 'inventory'],
  // @wix/auto_sdk_stores_products-v-3@1.0.226 queryProducts; also WIX_STORES.CATALOG_VERSION_READ
  // (catalog-versioning@1.0.81 getCatalogVersion) and, on V1 sites, WIX_STORES.READ_PRODUCTS (products@1.0.108).
  permission: 'WIX_STORES.PRODUCT_READ',
  describe(input) {
    return phrase('check', 'checked', `the stock of ${count(input.productIds.length, 'product')}`);
  },
  async execute(ctx, input) {
    const ids = [...new Set(input.productIds)];
    const { catalog, products } = await productStock(ctx.client, scopeOf(ctx), ids);
    const found = new Set(products.map((p) => p.id));
    return {
      catalog,
      products: products.map((p) => ({
        productId: p.id,
        name: p.name,
        availability: p.availability,
        quantity: p.quantity,
        lowStock:
          p.quantity !== undefined
            ? p.quantity <= input.lowStockThreshold && p.availability !== 'OUT_OF_STOCK'
            : p.availability === 'PARTIALLY_OUT_OF_STOCK' || undefined,
      })),
      notFound: ids.filter((id) => !found.has(id)),
    };
  },
});

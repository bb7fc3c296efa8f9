import { z } from 'zod';
import { wixLimits } from '../limits.js';
import { availabilityStatuses, searchProducts } from '../resources/products-search.js';
import { pageInput } from './paging.js';
import { defineTool, scopeOf } from './tool.js';
import { pageNote, phrase, quote } from './phrase.js';

/** A money amount as Wix writes it: a decimal string with at most 2 decimals, e.g. "24.00". */
export const moneyAmount = z
  .string()
  .regex(/^\d{1,9}(\.\d{1,2})?$/, 'a price like 24 or 24.50 (at most 2 decimals)');

export const searchProductsTool = defineTool({
  name: 'search_products',
  description:
    "Search this store's products by free text (name, description, SKU; typos tolerated) and typed filters: visibility, type, stock status, price range. Catalog V3 stores only (a V1 store answers SEARCH_NEEDS_CATALOG_V3: use query_products). Returns id, name, price, stock status and revision; when nextCursor is set, call again with it for more.",
  input: z.object({
    text: z
      .string()
      .trim()
      .min(1)
      .max(wixLimits.productSearchExpression.max)
      .optional()
      .describe(
        `Words to find, e.g. "decaf espresso", at most ${wixLimits.productSearchExpression.max} characters.`,
      ),
    visible: z.boolean().optional().describe('Only products visible (true) or hidden (false) on the site.'),
    productType: z
      .enum(['PHYSICAL', 'DIGITAL'])
      .optional()
      .describe('Only physical or only digital products.'),
    availability: z
      .array(z.enum(availabilityStatuses))
      .min(1)
      .max(availabilityStatuses.length)
      .optional()
      .describe('Only products with one of these stock statuses.'),
    minPrice: moneyAmount
      .optional()
      .describe('Only products whose lowest price is at least this, e.g. "10".'),
    maxPrice: moneyAmount
      .optional()
      .describe('Only products whose lowest price is at most this, e.g. "50.00".'),
    ...pageInput(100, 20),
  }),
  access: 'read',
  tags: ['stores'],
  permission: 'WIX_STORES.PRODUCT_READ',
  describe(input) {
    const what = input.text ? ` for ${quote(input.text, 60)}` : '';
    return phrase('search', 'searched', `the store catalog${what}${pageNote(input)}`);
  },
  async execute(ctx, input) {
    return searchProducts(ctx.client, scopeOf(ctx), input);
  },
});

import { z } from 'zod';
import { getProduct } from '../resources/product.js';
import { clip } from './compact.js';
import { defineTool, scopeOf, wixId } from './tool.js';
import { phrase, quote } from './phrase.js';

export const getProductTool = defineTool({
  name: 'get_product',
  description:
    'Get one Wix Stores product by id on either catalog version: name, price, currency, visibility, stock availability and, where tracked, the quantity left.',
  input: z.object({ productId: wixId.describe('The product id (catalog item id of Wix Stores).') }),
  access: 'read',
  tags: ['stores'],
  permission: 'WIX_STORES.PRODUCT_READ',
  describe(input) {
    return phrase('look up', 'looked up', `the product ${quote(input.productId, 60)}`);
  },
  async execute(ctx, input) {
    const product = await getProduct(ctx.client, scopeOf(ctx), input.productId);
    return { ...product, description: clip(product.description, 500) };
  },
});

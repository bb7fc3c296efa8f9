import { z } from 'zod';
import { wixLimits } from '../limits.js';
import { createProduct, descriptionHtml, slugFromName } from '../resources/product-create.js';
import { lookupV3Products, v3Summary } from '../resources/product-view.js';
import { getCatalogVersion } from '../resources/stores.js';
import { moneyAmount } from './search-products.js';
import { ToolInputError, defineTool, scopeOf, writeScope } from './tool.js';
import { phrase, quote } from './phrase.js';

/** A product slug: lowercase letters and digits joined by `-`. */
export const productSlug = z
  .string()
  .max(wixLimits.productSlug.max)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lowercase letters and digits joined by -, e.g. house-blend-1kg');

/** A product description: plain text, sent as HTML paragraphs (which must fit Wix's bound). */
export const productDescription = z
  .string()
  .trim()
  .min(1)
  .max(wixLimits.productDescription.max)
  .refine((text) => descriptionHtml(text).length <= wixLimits.productDescription.max, {
    message: `too long once sent as HTML (at most ${wixLimits.productDescription.max} characters)`,
  });

const input = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(wixLimits.productName.max)
    .describe('Product name, at most 80 characters.'),
  price: moneyAmount.describe('Price in the store currency, e.g. "24.50".'),
  description: productDescription
    .optional()
    .describe('Plain-text description; blank lines separate paragraphs.'),
  sku: z
    .string()
    .trim()
    .min(1)
    .max(wixLimits.productSku.max)
    .optional()
    .describe('Stock keeping unit, at most 40.'),
  slug: productSlug
    .optional()
    .describe('URL name on Catalog V3 stores (default: from the name). V1 stores choose their own.'),
  visible: z
    .boolean()
    .default(false)
    .describe('Show it on the site at once (default false: created hidden, for a person to review).'),
});

/** The slug sent (V3): given, or derived from the name; a name with no ASCII letters needs one. */
function slugOf(args: z.output<typeof input>): string {
  const slug = args.slug ?? slugFromName(args.name);
  if (!slug) {
    throw new ToolInputError('create_product', [
      { path: 'slug', message: 'the name has no letters a-z or digits to make a slug from: give a slug' },
    ]);
  }
  return slug.slice(0, wixLimits.productSlug.max);
}

export const createProductTool = defineTool({
  name: 'create_product',
  description:
    'Create a simple physical product (one price, no options) in this store, hidden unless visible is true. Works on both catalog versions. Returns its id, slug and revision.',
  input,
  access: 'write',
  tags: ['stores'],
  permission: 'WIX_STORES.PRODUCT_CREATE',
  // Not `repeat`: sent again after it was applied, V3 refuses the same slug (DUPLICATE_SLUG_ERROR) and V1
  // would create a second product. Looked up instead: see `reconcile`.
  settle: 'reconcile',
  describe(args) {
    return phrase('create', 'created', `the product ${quote(args.name, 80)} at ${quote(args.price, 20)}`);
  },
  async execute(ctx, args) {
    return createProduct(ctx.client, writeScope(ctx), {
      name: args.name,
      slug: slugOf(args),
      price: args.price,
      ...(args.description ? { description: descriptionHtml(args.description) } : {}),
      ...(args.sku ? { sku: args.sku } : {}),
      visible: args.visible,
    });
  },
  /**
   * Outcome unknown. Catalog V3: slugs are unique and the slug is ours, so a product holding it with the
   * name and price asked for is this write's product. Catalog V1 generates slugs: nothing ties a product to
   * this write, so it is parked for a person (undefined).
   */
  async reconcile(ctx, args) {
    if ((await getCatalogVersion(ctx.client, scopeOf(ctx))) !== 'V3_CATALOG') return undefined;
    const [found] = await lookupV3Products(ctx.client, scopeOf(ctx), { slug: { $eq: slugOf(args) } }, 1);
    const summary = found ? v3Summary(found) : undefined;
    return summary && summary.name === args.name && Number(summary.price) === Number(args.price)
      ? { catalog: 'V3' as const, product: summary }
      : undefined;
  },
});

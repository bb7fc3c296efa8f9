import { z } from 'zod';
import { wixLimits } from '../limits.js';
import { descriptionHtml } from '../resources/product-create.js';
import { updateProduct, holdsUpdate, type ProductUpdate } from '../resources/product-update.js';
import { lookupV3Products, v3Summary } from '../resources/product-view.js';
import { productDescription, productSlug } from './create-product.js';
import { defineTool, scopeOf, wixId, writeScope } from './tool.js';
import { phrase, quote } from './phrase.js';

/** A Catalog V3 revision as Wix returns it: a decimal string. */
export const productRevision = z.string().regex(/^\d{1,18}$/, 'the revision string a product read returned');

/** The product-level fields a model may change (each optional: only those given change). */
export const productChangeFields = {
  name: z.string().trim().min(1).max(wixLimits.productName.max).optional().describe('New name, at most 80.'),
  slug: productSlug.optional().describe('New URL name (unique in the store).'),
  visible: z.boolean().optional().describe('Show (true) or hide (false) the product on the site.'),
};

const input = z
  .object({
    productId: wixId.describe('The product id (Catalog V3).'),
    revision: productRevision.describe('The revision search_products or create_product returned.'),
    ...productChangeFields,
    description: productDescription.optional().describe('New plain-text description (replaces the old one).'),
  })
  .refine((v) => v.name !== undefined || v.slug !== undefined || v.visible !== undefined || v.description, {
    message: 'give at least one field to change',
    path: ['name'],
  });

/** The update a tool call asks for, with the description as the HTML that is sent. */
function updateOf(args: z.output<typeof input>): ProductUpdate {
  const { productId, revision, description, ...fields } = args;
  return {
    productId,
    revision,
    change: { ...fields, ...(description ? { description: descriptionHtml(description) } : {}) },
  };
}

export const updateProductTool = defineTool({
  name: 'update_product',
  description:
    "Change a Catalog V3 product's name, URL name (slug), visibility or description, at the revision you read: if the product changed since, Wix refuses with 409; read it again (search_products) and decide anew. Only the fields given change.",
  input,
  access: 'write',
  tags: ['stores'],
  permission: 'WIX_STORES.PRODUCT_UPDATE',
  // Not `repeat`: sent again after it was applied, the revision is stale and Wix refuses it, which would
  // record an applied write as failed. Looked up instead: see `reconcile`.
  settle: 'reconcile',
  describe(args) {
    return phrase('update', 'updated', `the product ${quote(args.productId, 60)}`);
  },
  async execute(ctx, args) {
    return updateProduct(ctx.client, writeScope(ctx), updateOf(args));
  },
  /**
   * Outcome unknown: applied when the product's revision moved past the one given and every field given
   * has the value asked for; anything else is parked for a person.
   */
  async reconcile(ctx, args) {
    const u = updateOf(args);
    const [found] = await lookupV3Products(ctx.client, scopeOf(ctx), { id: { $eq: u.productId } }, 1);
    return found && holdsUpdate(found, u) ? v3Summary(found) : undefined;
  },
});

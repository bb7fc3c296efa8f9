import { Router } from 'express';
import { z } from 'zod';
import { wixLimits } from '../../../wix/limits.js';
import { applicationError, parseRequest, siteOf, validationError, type RouteContext } from '../http.js';
import { slugify, stableId, type EmulatorSite, type Product } from '../model.js';
import { v1Shape, v3Shape, wrongCatalog } from './stores.js';

/**
 * Stores catalog writes as `@wix/auto_sdk_stores_products-v-3` (Create Product, Update Product, Bulk Update
 * Products) and `@wix/auto_sdk_stores_products` (V1 Create Product) type them, with their limits. The emulator
 * models products without options: one default variant (empty `choices`) holding the price and SKU.
 */
const amount = z.string().regex(/^\d{1,9}(\.\d{1,3})?$/, 'a decimal amount, at most 3 decimals');
const productFields = {
  name: z.string().min(1).max(wixLimits.productName.max),
  slug: z.string().min(1).max(300),
  visible: z.boolean(),
  plainDescription: z.string().max(16000),
};
const variant = z.object({
  choices: z.array(z.unknown()).max(6).optional(),
  price: z.object({ actualPrice: z.object({ amount }), compareAtPrice: z.object({ amount }).optional() }),
  sku: z.string().min(1).max(wixLimits.productSku.max).optional(),
  physicalProperties: z.record(z.string(), z.unknown()).optional(),
  visible: z.boolean().optional(),
});
const createV3Body = z.object({
  product: z.object({
    name: productFields.name,
    slug: productFields.slug.optional(),
    visible: productFields.visible.optional(),
    plainDescription: productFields.plainDescription.optional(),
    productType: z.enum(['PHYSICAL', 'DIGITAL']).optional(),
    physicalProperties: z.record(z.string(), z.unknown()).optional(),
    variantsInfo: z.object({ variants: z.array(variant).min(1).max(1000) }),
  }),
  fields: z.array(z.string()).max(100).optional(),
});
/** A partial product: the fields given change; `revision` must be the current one. */
const patch = z.object({
  id: z.string().min(1).max(36).optional(),
  revision: z.string().regex(/^\d+$/),
  name: productFields.name.optional(),
  slug: productFields.slug.optional(),
  visible: productFields.visible.optional(),
  plainDescription: productFields.plainDescription.optional(),
});
const updateV3Body = z.object({ product: patch, fields: z.array(z.string()).max(100).optional() });
const bulkUpdateV3Body = z.object({
  products: z
    .array(z.object({ product: patch.extend({ id: z.string().min(1).max(36) }) }))
    .min(1)
    .max(wixLimits.productsPerBulkUpdate.max),
  returnEntity: z.boolean().optional(),
  fields: z.array(z.string()).max(100).optional(),
});
const createV1Body = z.object({
  product: z.object({
    name: z.string().min(1).max(80),
    productType: z.enum(['physical', 'digital']).optional(),
    priceData: z.object({ price: z.number().min(0) }),
    description: z.string().max(wixLimits.productDescription.max).optional(),
    sku: z.string().max(40).optional(),
    visible: z.boolean().optional(),
  }),
});

function notFound(id: string) {
  return applicationError(404, 'PRODUCT_NOT_FOUND', `Product ${id} not found`);
}

/** 409 for a slug another product holds (Wix's status for "already exists"; code from the typings). */
function slugTaken(site: EmulatorSite, slug: string, self?: string) {
  for (const p of site.products.values()) {
    if (p.slug === slug && p.id !== self) {
      return applicationError(409, 'DUPLICATE_SLUG_ERROR', `slug ${slug} is taken by product ${p.id}`);
    }
  }
  return undefined;
}

/**
 * Applies a partial update, or answers why not. A stale revision is a 409 (Wix's status for a revision
 * conflict); Wix's typings name no code for it, `REVISION_MISMATCH` is the emulator's.
 */
function applyPatch(site: EmulatorSite, id: string, change: z.output<typeof patch>, now: string) {
  const product = site.products.get(id);
  if (!product) return notFound(id);
  if (change.revision !== String(product.revision ?? 1)) {
    return applicationError(
      409,
      'REVISION_MISMATCH',
      `product ${id} is at revision ${product.revision ?? 1}, not ${change.revision}`,
    );
  }
  const taken = change.slug ? slugTaken(site, change.slug, id) : undefined;
  if (taken) return taken;
  if (change.name !== undefined) product.name = change.name;
  if (change.slug !== undefined) product.slug = change.slug;
  if (change.visible !== undefined) product.visible = change.visible;
  if (change.plainDescription !== undefined) product.description = change.plainDescription;
  product.revision = (product.revision ?? 1) + 1;
  product.updatedDate = now;
  return product;
}

/** Stores: V3 create / update / bulk update, V1 create (each refused with 428 on the other catalog). */
export function storesWriteRoutes(ctx: RouteContext): Router {
  const router = Router();

  router.post('/stores/v3/products', (req, res) => {
    const site = siteOf(res);
    const refused = wrongCatalog(site, 'V3_CATALOG');
    if (refused) throw refused;
    const { product: input, fields = [] } = parseRequest(createV3Body, req.body);
    if ((input.productType ?? 'PHYSICAL') === 'PHYSICAL' && !input.physicalProperties) {
      throw validationError([
        {
          field: 'product.physicalProperties',
          description: 'required when productType is PHYSICAL',
          violatedRule: 'REQUIRED_FIELD',
        },
      ]);
    }
    const [only, ...more] = input.variantsInfo.variants;
    if (!only || more.length > 0 || (only.choices ?? []).length > 0) {
      throw applicationError(
        400,
        'INVALID_DEFAULT_VARIANT',
        'a product without options has one default variant',
      );
    }
    const slug = input.slug ?? slugify(input.name);
    const taken = slugTaken(site, slug);
    if (taken) throw taken;
    const now = ctx.isoNow();
    const product: Product = {
      id: stableId(`${site.instanceId}/product/${slug}/${now}`),
      name: input.name,
      slug,
      price: Number(only.price.actualPrice.amount),
      trackInventory: false,
      createdDate: now,
      updatedDate: now,
      revision: 1,
      visible: input.visible ?? true,
      ...(input.plainDescription ? { description: input.plainDescription } : {}),
      ...(only.sku ? { sku: only.sku } : {}),
    };
    site.products.set(product.id, product);
    res.json({ product: v3Shape(site, product, fields) });
  });

  router.patch('/stores/v3/products/:productId', (req, res) => {
    const site = siteOf(res);
    const refused = wrongCatalog(site, 'V3_CATALOG');
    if (refused) throw refused;
    const { product: change, fields = [] } = parseRequest(updateV3Body, req.body);
    const result = applyPatch(site, String(req.params.productId), change, ctx.isoNow());
    if (!('id' in result)) throw result;
    res.json({ product: v3Shape(site, result, fields) });
  });

  router.post('/stores/v3/bulk/products/update', (req, res) => {
    const site = siteOf(res);
    const refused = wrongCatalog(site, 'V3_CATALOG');
    if (refused) throw refused;
    const body = parseRequest(bulkUpdateV3Body, req.body);
    const now = ctx.isoNow();
    const results = body.products.map(({ product: change }, originalIndex) => {
      const result = applyPatch(site, change.id, change, now);
      if (!('id' in result)) {
        const { code, description } = result.body.details.applicationError as {
          code: string;
          description: string;
        };
        return {
          itemMetadata: { id: change.id, originalIndex, success: false, error: { code, description } },
        };
      }
      return {
        itemMetadata: { id: change.id, originalIndex, success: true },
        ...(body.returnEntity ? { item: v3Shape(site, result, body.fields ?? []) } : {}),
      };
    });
    const successes = results.filter((r) => r.itemMetadata.success).length;
    res.json({
      results,
      bulkActionMetadata: {
        totalSuccesses: successes,
        totalFailures: results.length - successes,
        undetailedFailures: 0,
      },
    });
  });

  router.post('/stores/v1/products', (req, res) => {
    const site = siteOf(res);
    const refused = wrongCatalog(site, 'V1_CATALOG');
    if (refused) throw refused;
    const { product: input } = parseRequest(createV1Body, req.body);
    // V1 generates the slug ("generated automatically by the catalog when a product is created").
    const base = slugify(input.name) || 'product';
    let slug = base;
    for (let n = 1; slugTaken(site, slug); n++) slug = `${base}-${n}`;
    const now = ctx.isoNow();
    const product: Product = {
      id: stableId(`${site.instanceId}/product/${slug}/${now}`),
      name: input.name,
      slug,
      price: input.priceData.price,
      trackInventory: false,
      createdDate: now,
      updatedDate: now,
      visible: input.visible ?? true,
      ...(input.description ? { description: input.description } : {}),
      ...(input.sku ? { sku: input.sku } : {}),
    };
    site.products.set(product.id, product);
    res.json({ product: v1Shape(site, product) });
  });

  return router;
}

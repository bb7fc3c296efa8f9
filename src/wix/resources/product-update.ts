/**
 * Update products on Catalog V3, each at the revision the caller read (a product changed since is refused
 * with 409). Only the fields given change.
 * - Update Product: `PATCH /stores/v3/products/{productId}` `{product: {id, revision, ...fields}, fields}` →
 *   `{product}` (permission `WIX_STORES.PRODUCT_UPDATE`).
 * - Bulk Update Products: `POST /stores/v3/bulk/products/update` `{products: [{product: {id, revision,
 *   ...}}] (1-100), returnEntity, fields}` → `{results: [{itemMetadata: {id, originalIndex, success, error:
 *   {code, description}}, item}], bulkActionMetadata: {totalSuccesses, totalFailures}}` (same permission).
 * Source: `@wix/auto_sdk_stores_products-v-3@1.0.226` (`UpdateProductRequest`, `BulkUpdateProductsRequest`,
 * `V3Product.revision`: "the current revision must be passed when updating the product"). Catalog V1 products
 * have no revision; a V1 store gets `UPDATE_NEEDS_CATALOG_V3`.
 */
import { z } from 'zod';
import { endpointRequest } from '../endpoints.js';
import { WixApiError } from '../errors.js';
import type { WixRequester } from '../request.js';
import { summaryFields, v3ProductSchema, v3Summary, type ProductSummary } from './product-view.js';
import { fromScope, parseBody, type WriteScope } from './scope.js';
import { withCatalog } from './stores.js';

/** The product-level fields our tools change. */
export interface ProductChange {
  name?: string;
  slug?: string;
  visible?: boolean;
  /** HTML, sent as V3 `plainDescription`. */
  description?: string;
}

/** One product to change at the revision the caller read. */
export interface ProductUpdate {
  productId: string;
  /** V3 revision as Wix returns it (a decimal string). */
  revision: string;
  change: ProductChange;
}

/** The partial V3 product of an update: id, revision and the fields given. */
export function productPatch(u: ProductUpdate) {
  const { name, slug, visible, description } = u.change;
  return {
    id: u.productId,
    revision: u.revision,
    ...(name !== undefined ? { name } : {}),
    ...(slug !== undefined ? { slug } : {}),
    ...(visible !== undefined ? { visible } : {}),
    ...(description !== undefined ? { plainDescription: description } : {}),
  };
}

export function updateProductBody(u: ProductUpdate) {
  return { product: productPatch(u), fields: [...summaryFields] };
}

export function bulkUpdateProductsBody(updates: ProductUpdate[]) {
  return {
    products: updates.map((u) => ({ product: productPatch(u) })),
    returnEntity: true,
    fields: [...summaryFields],
  };
}

/** The Update Product response fields we read. */
export const updateResponse = z.looseObject({ product: v3ProductSchema });

/** The Bulk Update Products response fields we read. */
export const bulkUpdateResponse = z.looseObject({
  results: z
    .array(
      z.looseObject({
        itemMetadata: z
          .looseObject({
            id: z.string().nullish(),
            originalIndex: z.number().optional(),
            success: z.boolean().optional(),
            error: z
              .looseObject({ code: z.string().optional(), description: z.string().optional() })
              .optional(),
          })
          .optional(),
        item: v3ProductSchema.optional(),
      }),
    )
    .default([]),
  bulkActionMetadata: z
    .looseObject({ totalSuccesses: z.number().optional(), totalFailures: z.number().optional() })
    .optional(),
});

/** What a bulk update did, per product. */
export interface BulkUpdateResult {
  updated: ProductSummary[];
  failed: { productId: string; code: string | undefined; message: string | undefined }[];
}

function v1Refused(): never {
  throw new WixApiError(
    'this store runs Catalog V1, whose products have no revision: product updates work on Catalog V3 stores only',
    { status: 400, code: 'UPDATE_NEEDS_CATALOG_V3', retryable: false },
  );
}

export async function updateProduct(
  client: WixRequester,
  scope: WriteScope,
  u: ProductUpdate,
): Promise<ProductSummary> {
  return withCatalog(client, scope, {
    V3: async () => {
      const response = await client.request({
        ...endpointRequest('updateProductV3', { productId: u.productId }),
        body: updateProductBody(u),
        ...fromScope(scope),
      });
      return v3Summary(parseBody(updateResponse, response, 'update product (V3)').product);
    },
    V1: async () => v1Refused(),
  });
}

export async function bulkUpdateProducts(
  client: WixRequester,
  scope: WriteScope,
  updates: ProductUpdate[],
): Promise<BulkUpdateResult> {
  return withCatalog<BulkUpdateResult>(client, scope, {
    V3: async () => {
      const response = await client.request({
        ...endpointRequest('bulkUpdateProductsV3', {}),
        body: bulkUpdateProductsBody(updates),
        ...fromScope(scope),
      });
      const { results } = parseBody(bulkUpdateResponse, response, 'bulk update products (V3)');
      const out: BulkUpdateResult = { updated: [], failed: [] };
      results.forEach((r, i) => {
        const meta = r.itemMetadata;
        const productId = meta?.id ?? updates[meta?.originalIndex ?? i]?.productId ?? '';
        if (meta?.success && r.item) out.updated.push(v3Summary(r.item));
        else if (meta?.success) out.updated.push({ id: productId });
        else out.failed.push({ productId, code: meta?.error?.code, message: meta?.error?.description });
      });
      return out;
    },
    V1: async () => v1Refused(),
  });
}

/**
 * Whether a product as found now holds an update: its revision moved past the one the update was made at
 * and every field given has the value asked for. (Only evidence, not proof of who changed it: equal values
 * set by someone else read the same; the write is then done all the same.)
 */
export function holdsUpdate(
  found: {
    revision?: string | null;
    name?: string | null;
    slug?: string | null;
    visible?: boolean | null;
    plainDescription?: string | null;
  },
  u: ProductUpdate,
): boolean {
  const { name, slug, visible, description } = u.change;
  const number = (revision: string | null | undefined) =>
    revision != null && /^\d{1,30}$/.test(revision) ? BigInt(revision) : undefined;
  const now = number(found.revision);
  const asked = number(u.revision);
  return (
    now !== undefined &&
    asked !== undefined &&
    now > asked &&
    (name === undefined || found.name === name) &&
    (slug === undefined || found.slug === slug) &&
    (visible === undefined || found.visible === visible) &&
    (description === undefined || found.plainDescription === description)
  );
}

/**
 * Search Products (Catalog V3): `POST /stores/v3/products/search` with `{search: {search: {expression, mode,
 * fuzzy}, filter, cursorPaging}, fields}` → `{products, pagingMetadata: {cursors: {next}}}`. Free text is
 * matched in name, description, SKU and barcode; filters on `visible`, `productType`,
 * `inventory.availabilityStatus`, `actualPriceRange.minValue.amount` (`V3ProductSearchSpec`); expression ≤ 100,
 * limit ≤ 100. Source: `@wix/auto_sdk_stores_products-v-3@1.0.226` (`wix.stores.catalog.v3.CatalogApi.
 * SearchProducts`, permission `WIX_STORES.PRODUCT_READ`). Catalog V1 has no free-text search (its Query
 * Products filters `name` by `$startsWith` only), so a V1 site gets `SEARCH_NEEDS_CATALOG_V3`.
 */
import { z } from 'zod';
import { endpointRequest } from '../endpoints.js';
import { WixApiError } from '../errors.js';
import type { WixRequester } from '../request.js';
import { summaryFields, v3ProductSchema, v3Summary, type ProductSummary } from './product-view.js';
import { fromScope, parseBody, type RequestScope } from './scope.js';
import { withCatalog } from './stores.js';

/** Stock status values of V3 (`InventoryAvailabilityStatus`). */
export const availabilityStatuses = ['IN_STOCK', 'OUT_OF_STOCK', 'PARTIALLY_OUT_OF_STOCK'] as const;

export interface ProductSearch {
  /** Free text, ≤ 100 characters; all words must match (`mode: AND`), typos allowed (`fuzzy`). */
  text?: string;
  visible?: boolean;
  productType?: 'PHYSICAL' | 'DIGITAL';
  availability?: (typeof availabilityStatuses)[number][];
  /** Lowest variant price bounds, decimal strings, inclusive. */
  minPrice?: string;
  maxPrice?: string;
  limit: number;
  /** Wix's cursor of the previous page (carries the search of the first page). */
  cursor?: string;
}

/** The Search Products request for this search (a cursor replaces search and filter). */
export function productSearchBody(q: ProductSearch) {
  if (q.cursor)
    return { search: { cursorPaging: { limit: q.limit, cursor: q.cursor } }, fields: [...summaryFields] };
  const all: Record<string, unknown>[] = [];
  if (q.visible !== undefined) all.push({ visible: { $eq: q.visible } });
  if (q.productType) all.push({ productType: { $eq: q.productType } });
  if (q.availability?.length) all.push({ 'inventory.availabilityStatus': { $in: q.availability } });
  if (q.minPrice !== undefined || q.maxPrice !== undefined) {
    all.push({
      'actualPriceRange.minValue.amount': {
        ...(q.minPrice !== undefined ? { $gte: q.minPrice } : {}),
        ...(q.maxPrice !== undefined ? { $lte: q.maxPrice } : {}),
      },
    });
  }
  const filter = all.length === 0 ? undefined : all.length === 1 ? all[0] : { $and: all };
  return {
    search: {
      ...(q.text ? { search: { expression: q.text, mode: 'AND' as const, fuzzy: true } } : {}),
      ...(filter ? { filter } : {}),
      cursorPaging: { limit: q.limit },
    },
    fields: [...summaryFields],
  };
}

/** The Search Products response fields we read. */
export const searchResponse = z.looseObject({
  products: z.array(v3ProductSchema).default([]),
  pagingMetadata: z
    .looseObject({ cursors: z.looseObject({ next: z.string().nullish() }).optional() })
    .optional(),
});

/** One page of matching products, with Wix's cursor of the next page. */
export async function searchProducts(
  client: WixRequester,
  scope: RequestScope,
  q: ProductSearch,
): Promise<{ products: ProductSummary[]; nextCursor: string | undefined }> {
  return withCatalog(client, scope, {
    V3: async () => {
      const response = await client.request({
        ...endpointRequest('searchProductsV3', {}),
        body: productSearchBody(q),
        read: true,
        ...fromScope(scope),
      });
      const page = parseBody(searchResponse, response, 'search products (V3)');
      return {
        products: page.products.map(v3Summary),
        nextCursor: page.pagingMetadata?.cursors?.next ?? undefined,
      };
    },
    V1: async () => {
      throw new WixApiError(
        'this store runs Catalog V1, which has no free-text product search: use query_products (slug, dates) instead',
        { status: 400, code: 'SEARCH_NEEDS_CATALOG_V3', retryable: false },
      );
    },
  });
}

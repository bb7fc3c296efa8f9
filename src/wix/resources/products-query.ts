/**
 * Query Stores products on either catalog, with the filters both catalogs allow (slug, creation date).
 * V3: `POST /stores/v3/products/query` `{query: {filter, sort, cursorPaging}}`; filterable id, createdDate,
 * updatedDate, slug, visible, options.id, handle (`@wix/auto_sdk_stores_products-v-3@1.0.226`
 * ProductsQueryBuilder typings; permission `WIX_STORES.PRODUCT_READ`). V1: `POST /stores-reader/v1/products/query`
 * with the filter and sort as JSON strings and offset paging; filterable id, name, slug, productType, sku,
 * price, lastUpdated, createdDate (`@wix/auto_sdk_stores_products@1.0.108` typings). The first page asks the
 * catalog the site runs (`withCatalog`, src/wix/resources/stores.ts); later pages follow their cursor's.
 */
import { z } from 'zod';
import { endpointRequest } from '../endpoints.js';
import type { WixRequester } from '../request.js';
import { v1Details, v1ProductSchema, v3Details, type ProductDetails } from './product.js';
import { summaryFields, v3ProductSchema } from './product-view.js';
import { fromScope, parseBody, type RequestScope } from './scope.js';
import { provisioningIsRetryable, withCatalog } from './stores.js';

export interface ProductQuery {
  slug?: string;
  /** ISO-8601, inclusive. */
  createdFrom?: string;
  createdTo?: string;
  limit: number;
  /** `v3:<cursor>` or `v1:<offset>` from a previous page. */
  cursor?: string;
}

export interface ProductPage {
  catalog: 'V1' | 'V3';
  products: Omit<ProductDetails, 'description' | 'catalog'>[];
  nextCursor: string | undefined;
}

function conditions(q: ProductQuery): Record<string, unknown> | undefined {
  const all: Record<string, unknown>[] = [];
  if (q.slug) all.push({ slug: { $eq: q.slug } });
  if (q.createdFrom || q.createdTo) {
    all.push({
      createdDate: {
        ...(q.createdFrom ? { $gte: q.createdFrom } : {}),
        ...(q.createdTo ? { $lte: q.createdTo } : {}),
      },
    });
  }
  return all.length === 0 ? undefined : all.length === 1 ? all[0] : { $and: all };
}

/** The Query Products (V3) response fields we read. */
export const productsV3Page = z.looseObject({
  products: z.array(v3ProductSchema).default([]),
  pagingMetadata: z
    .looseObject({ cursors: z.looseObject({ next: z.string().nullish() }).optional() })
    .optional(),
});

/** The Query Products (V1) response fields we read. */
export const productsV1Page = z.looseObject({
  products: z.array(v1ProductSchema).default([]),
  totalResults: z.number().optional(),
});

/**
 * The Query Products (V3) body: a cursor alone (Wix refuses filters with a cursor), or our filters newest
 * first; `fields: ['CURRENCY']` so `currency` is returned.
 */
export function productsV3QueryBody(q: ProductQuery, cursor?: string) {
  const filter = conditions(q);
  return {
    query: cursor
      ? { cursorPaging: { limit: q.limit, cursor } }
      : {
          ...(filter ? { filter } : {}),
          sort: [{ fieldName: 'createdDate', order: 'DESC' as const }],
          cursorPaging: { limit: q.limit },
        },
    fields: [...summaryFields],
  };
}

/** The Query Products (V1) body: filter and sort as JSON strings, offset paging. */
export function productsV1QueryBody(q: ProductQuery, offset: number) {
  const filter = conditions(q);
  return {
    query: {
      ...(filter ? { filter: JSON.stringify(filter) } : {}),
      sort: JSON.stringify([{ createdDate: 'desc' }]),
      paging: { limit: q.limit, offset },
    },
  };
}

/** A product of a page: its details without the catalog (the page says it) and the description. */
function summaryOf({ catalog: _catalog, description: _description, ...rest }: ProductDetails) {
  return rest;
}

async function queryV3(
  client: WixRequester,
  scope: RequestScope,
  q: ProductQuery,
  cursor?: string,
): Promise<ProductPage> {
  const response = await client.request({
    ...endpointRequest('queryProductsV3', {}),
    body: productsV3QueryBody(q, cursor),
    read: true,
    ...fromScope(scope),
  });
  const page = parseBody(productsV3Page, response, 'query products (V3)');
  const next = page.pagingMetadata?.cursors?.next;
  return {
    catalog: 'V3',
    products: page.products.map((p) => summaryOf(v3Details(p))),
    nextCursor: next ? `v3:${next}` : undefined,
  };
}

async function queryV1(
  client: WixRequester,
  scope: RequestScope,
  q: ProductQuery,
  offset: number,
): Promise<ProductPage> {
  const response = await client.request({
    ...endpointRequest('queryProductsV1', {}),
    body: productsV1QueryBody(q, offset),
    read: true,
    ...fromScope(scope),
  });
  const page = parseBody(productsV1Page, response, 'query products (V1)');
  const next = offset + page.products.length;
  return {
    catalog: 'V1',
    products: page.products.map((p) => summaryOf(v1Details(p))),
    nextCursor:
      page.totalResults !== undefined && next < page.totalResults && page.products.length
        ? `v1:${next}`
        : undefined,
  };
}

/** One page of products; the cursor says which catalog it came from, so later pages skip the version probe. */
export async function queryProducts(
  client: WixRequester,
  scope: RequestScope,
  q: ProductQuery,
): Promise<ProductPage> {
  if (q.cursor?.startsWith('v3:')) {
    const cursor = q.cursor.slice(3);
    return provisioningIsRetryable(() => queryV3(client, scope, q, cursor));
  }
  if (q.cursor?.startsWith('v1:')) return queryV1(client, scope, q, Number(q.cursor.slice(3)));
  return withCatalog(client, scope, {
    V3: () => queryV3(client, scope, q),
    V1: () => queryV1(client, scope, q, 0),
  });
}

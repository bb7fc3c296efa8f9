/**
 * Query Stores products on either catalog, with the filters both catalogs allow (slug, creation date).
 * V3: `POST /stores/v3/products/query` `{query: {filter, sort, cursorPaging}}`; filterable id, createdDate,
 * updatedDate, slug, visible, options.id, handle (`@wix/auto_sdk_stores_products-v-3@1.0.226`
 * ProductsQueryBuilder typings; permission `WIX_STORES.PRODUCT_READ`). V1: `POST /stores-reader/v1/products/query`
 * with the filter and sort as JSON strings and offset paging; filterable id, name, slug, productType, sku,
 * price, lastUpdated, createdDate (`@wix/auto_sdk_stores_products@1.0.108` typings). A V3 call on a V1 site
 * answers 428, then V1 is asked.
 */
import { z } from 'zod';
import { WixApiError } from '../errors.js';
import type { WixRequester } from '../request.js';
import type { ProductDetails } from './product.js';
import { fromScope, parseBody, type CallScope } from './scope.js';

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

const v3Page = z.looseObject({
  products: z
    .array(
      z.looseObject({
        id: z.string(),
        name: z.string().optional(),
        slug: z.string().optional(),
        visible: z.boolean().optional(),
        currency: z.string().optional(),
        actualPriceRange: z
          .looseObject({ minValue: z.looseObject({ amount: z.string().optional() }).optional() })
          .optional(),
        inventory: z.looseObject({ availabilityStatus: z.string().optional() }).optional(),
      }),
    )
    .default([]),
  pagingMetadata: z
    .looseObject({ cursors: z.looseObject({ next: z.string().nullish() }).optional() })
    .optional(),
});

const v1Page = z.looseObject({
  products: z
    .array(
      z.looseObject({
        id: z.string(),
        name: z.string().optional(),
        slug: z.string().optional(),
        visible: z.boolean().optional(),
        price: z.looseObject({ currency: z.string().optional(), price: z.number().optional() }).optional(),
        stock: z
          .looseObject({
            trackInventory: z.boolean().optional(),
            quantity: z.number().optional(),
            inventoryStatus: z.string().optional(),
          })
          .optional(),
      }),
    )
    .default([]),
  totalResults: z.number().optional(),
});

async function queryV3(
  client: WixRequester,
  scope: CallScope,
  q: ProductQuery,
  cursor?: string,
): Promise<ProductPage> {
  const filter = conditions(q);
  const response = await client.request({
    method: 'POST',
    path: '/stores/v3/products/query',
    body: {
      query: cursor
        ? { cursorPaging: { limit: q.limit, cursor } }
        : {
            ...(filter ? { filter } : {}),
            sort: [{ fieldName: 'createdDate', order: 'DESC' }],
            cursorPaging: { limit: q.limit },
          },
    },
    read: true,
    ...fromScope(scope),
  });
  const page = parseBody(v3Page, response, 'query products (V3)');
  const next = page.pagingMetadata?.cursors?.next;
  return {
    catalog: 'V3',
    products: page.products.map((p) => ({
      id: p.id,
      name: p.name,
      slug: p.slug,
      visible: p.visible,
      price: p.actualPriceRange?.minValue?.amount,
      currency: p.currency,
      availability: p.inventory?.availabilityStatus,
      quantity: undefined,
    })),
    nextCursor: next ? `v3:${next}` : undefined,
  };
}

async function queryV1(
  client: WixRequester,
  scope: CallScope,
  q: ProductQuery,
  offset: number,
): Promise<ProductPage> {
  const filter = conditions(q);
  const response = await client.request({
    method: 'POST',
    path: '/stores-reader/v1/products/query',
    body: {
      query: {
        ...(filter ? { filter: JSON.stringify(filter) } : {}),
        sort: JSON.stringify([{ createdDate: 'desc' }]),
        paging: { limit: q.limit, offset },
      },
    },
    read: true,
    ...fromScope(scope),
  });
  const page = parseBody(v1Page, response, 'query products (V1)');
  const next = offset + page.products.length;
  return {
    catalog: 'V1',
    products: page.products.map((p) => ({
      id: p.id,
      name: p.name,
      slug: p.slug,
      visible: p.visible,
      price: p.price?.price === undefined ? undefined : p.price.price.toFixed(2),
      currency: p.price?.currency,
      availability: p.stock?.inventoryStatus,
      quantity: p.stock?.trackInventory ? p.stock.quantity : undefined,
    })),
    nextCursor:
      page.totalResults !== undefined && next < page.totalResults && page.products.length
        ? `v1:${next}`
        : undefined,
  };
}

/** One page of products; the cursor says which catalog it came from, so later pages skip the version probe. */
export async function queryProducts(
  client: WixRequester,
  scope: CallScope,
  q: ProductQuery,
): Promise<ProductPage> {
  if (q.cursor?.startsWith('v3:')) return queryV3(client, scope, q, q.cursor.slice(3));
  if (q.cursor?.startsWith('v1:')) return queryV1(client, scope, q, Number(q.cursor.slice(3)));
  try {
    return await queryV3(client, scope, q);
  } catch (error) {
    if (!(error instanceof WixApiError) || error.status !== 428) throw error;
    return queryV1(client, scope, q, 0);
  }
}

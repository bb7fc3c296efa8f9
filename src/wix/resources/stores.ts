import { z } from 'zod';
import { endpointRequest } from '../endpoints.js';
import type { WixRequester } from '../request.js';
import { WixApiError } from '../errors.js';
import { fromScope, parseBody, type CallScope } from './scope.js';

export type CatalogVersion = 'V1_CATALOG' | 'V3_CATALOG' | 'STORES_NOT_INSTALLED' | (string & {});

/** Which Stores catalog the site runs; V1 and V3 endpoints do not work on each other's sites. */
export async function getCatalogVersion(client: WixRequester, scope: CallScope): Promise<CatalogVersion> {
  const response = await client.request({
    ...endpointRequest('getCatalogVersion', {}),
    ...fromScope(scope),
  });
  return parseBody(z.looseObject({ catalogVersion: z.string() }), response, 'catalog version').catalogVersion;
}

/** Stock of one product, the same for both catalogs. V3 has no quantities (they live in Inventory Items). */
export interface ProductStock {
  id: string;
  name: string | undefined;
  /** IN_STOCK, OUT_OF_STOCK, PARTIALLY_OUT_OF_STOCK (some variants), PREORDER (V3). */
  availability: string;
  /** V1 only, when inventory is tracked. */
  quantity: number | undefined;
  /** V1 only. */
  tracked: boolean | undefined;
}

/** The Query Products (V3) response fields we read. */
export const v3Response = z.looseObject({
  products: z
    .array(
      z.looseObject({
        id: z.string(),
        name: z.string().optional(),
        inventory: z.looseObject({ availabilityStatus: z.string().optional() }).optional(),
      }),
    )
    .default([]),
});

/** The Query Products (V1) response fields we read. */
export const v1Response = z.looseObject({
  products: z
    .array(
      z.looseObject({
        id: z.string(),
        name: z.string().optional(),
        stock: z
          .looseObject({
            trackInventory: z.boolean().optional(),
            quantity: z.number().optional(),
            inStock: z.boolean().optional(),
            inventoryStatus: z.string().optional(),
          })
          .optional(),
      }),
    )
    .default([]),
});

/** The Query Products (V3) body for these product ids. */
export function v3QueryBody(ids: string[]) {
  return { query: { filter: { id: { $in: ids } }, cursorPaging: { limit: Math.min(100, ids.length) } } };
}

/**
 * The Query Products (V1) body for these product ids. V1 takes the filter as a JSON string; hidden
 * products are included (`includeHiddenProducts`, "Requires permissions to manage products").
 */
export function v1QueryBody(ids: string[]) {
  return {
    query: {
      filter: JSON.stringify({ id: { $hasSome: ids } }),
      paging: { limit: Math.min(100, ids.length) },
    },
    includeHiddenProducts: true,
  };
}

export async function productStockV3(
  client: WixRequester,
  scope: CallScope,
  ids: string[],
): Promise<ProductStock[]> {
  const response = await client.request({
    ...endpointRequest('queryProductsV3', {}),
    body: v3QueryBody(ids),
    read: true,
    ...fromScope(scope),
  });
  return parseBody(v3Response, response, 'query products (V3)').products.map((p) => ({
    id: p.id,
    name: p.name,
    availability: p.inventory?.availabilityStatus ?? 'UNKNOWN',
    quantity: undefined,
    tracked: undefined,
  }));
}

export async function productStockV1(
  client: WixRequester,
  scope: CallScope,
  ids: string[],
): Promise<ProductStock[]> {
  const response = await client.request({
    ...endpointRequest('queryProductsV1', {}),
    body: v1QueryBody(ids),
    read: true,
    ...fromScope(scope),
  });
  return parseBody(v1Response, response, 'query products (V1)').products.map((p) => ({
    id: p.id,
    name: p.name,
    availability: p.stock?.inventoryStatus ?? (p.stock?.inStock === false ? 'OUT_OF_STOCK' : 'IN_STOCK'),
    quantity: p.stock?.trackInventory ? p.stock.quantity : undefined,
    tracked: p.stock?.trackInventory,
  }));
}

/** Stock of these products: Catalog V3 first; a 428 means the site is on V1, so V1 is asked instead. */
export async function productStock(
  client: WixRequester,
  scope: CallScope,
  ids: string[],
): Promise<{ catalog: 'V1' | 'V3'; products: ProductStock[] }> {
  try {
    return { catalog: 'V3', products: await productStockV3(client, scope, ids) };
  } catch (error) {
    if (!(error instanceof WixApiError) || error.status !== 428) throw error;
    return { catalog: 'V1', products: await productStockV1(client, scope, ids) };
  }
}

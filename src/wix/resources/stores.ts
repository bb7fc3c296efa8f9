import { z } from 'zod';
import { endpointRequest } from '../endpoints.js';
import type { WixRequester } from '../request.js';
import { WixApiError } from '../errors.js';
import { fromScope, parseBody, type RequestScope } from './scope.js';

/**
 * The catalog a site runs (`GET /stores/v3/provision/version` → `catalogVersion`; values from
 * @wix/auto_sdk_stores_catalog-versioning `Version`). V1 and V3 endpoints do not work on each other's sites.
 */
export type CatalogVersion = 'V1_CATALOG' | 'V3_CATALOG' | 'STORES_NOT_INSTALLED';
export const catalogVersions = ['V1_CATALOG', 'V3_CATALOG', 'STORES_NOT_INSTALLED'] as const;

/**
 * Wix's error code while a site's Catalog V3 is still being provisioned: HTTP 428, message "Site is
 * currently being provisioned for CATALOG_V3", meaning "not ready, retry". Retryable: the site will be
 * ready shortly. Source: Wix's own code, github.com/wix/skills
 * `skills/wix-vibe-headless/references/storefront/seed/seed-store.js` (commit f02bfb23, `PROVISIONING_CODES`),
 * which retries it. Not in Wix's API reference (docs search finds no page naming it) nor in the typings
 * of `@wix/auto_sdk_stores_catalog-versioning@1.0.81` or `@wix/auto_sdk_stores_products-v-3@1.0.226`.
 */
export const CATALOG_V3_SITE_PROVISIONING = 'CATALOG_V3_SITE_PROVISIONING';
/** How long to wait before retrying a site whose Catalog V3 is being provisioned. */
const PROVISIONING_RETRY_MS = 30_000;
/** A site's catalog version is asked once, then kept this long (a site may migrate V1 → V3). */
const VERSION_TTL_MS = 60 * 60_000;

const versionCache = new WeakMap<WixRequester, Map<string, { version: CatalogVersion; until: number }>>();

/** Drops the cached catalog version of a site (after a 428 says the catalog changed). */
function forgetCatalogVersion(client: WixRequester, instanceId: string): void {
  versionCache.get(client)?.delete(instanceId);
}

const catalogVersionAnswer = z.looseObject({ catalogVersion: z.enum(catalogVersions) });

/** Which Stores catalog the site runs, asked once per site and client, then cached for an hour. */
export async function getCatalogVersion(client: WixRequester, scope: RequestScope): Promise<CatalogVersion> {
  const cache = versionCache.get(client) ?? new Map<string, { version: CatalogVersion; until: number }>();
  versionCache.set(client, cache);
  const hit = cache.get(scope.instanceId);
  if (hit && hit.until > Date.now()) return hit.version;
  const response = await provisioningIsRetryable(() =>
    client.request({ ...endpointRequest('getCatalogVersion', {}), ...fromScope(scope) }),
  );
  const { catalogVersion } = parseBody(catalogVersionAnswer, response, 'catalog version');
  cache.set(scope.instanceId, { version: catalogVersion, until: Date.now() + VERSION_TTL_MS });
  return catalogVersion;
}

/** A call on a site whose Catalog V3 is being provisioned fails retryable (the event is retried later). */
export async function provisioningIsRetryable<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof WixApiError && error.code === CATALOG_V3_SITE_PROVISIONING && !error.retryable) {
      throw new WixApiError("Wix is still provisioning this site's Stores catalog (V3); retry shortly", {
        status: error.status,
        code: CATALOG_V3_SITE_PROVISIONING,
        retryable: true,
        retryAfterMs: PROVISIONING_RETRY_MS,
        ...(error.requestId ? { requestId: error.requestId } : {}),
        cause: error,
      });
    }
    throw error;
  }
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

/**
 * The Query Products (V3) body for these product ids. V3 has no hidden-products flag: hidden products
 * are returned when the app holds the admin read permission (SCOPE.STORES.PRODUCT_READ_ADMIN).
 */
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
  scope: RequestScope,
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
  scope: RequestScope,
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

/**
 * Runs `calls.V3` or `calls.V1` for the catalog the site runs: the version is asked once per site (cached),
 * then that catalog's call is made. Errors: `STORES_NOT_INSTALLED` (non-retryable, told apart from 401/403
 * auth failures, which pass through as they are); `CATALOG_V3_SITE_PROVISIONING` (retryable). A 428 saying
 * the site moved catalogs (Wix refuses the call, so nothing was applied) drops the cached version and asks
 * again once. Used by every Stores resource that must pick a catalog before calling (stock, product writes,
 * search).
 */
export async function withCatalog<T>(
  client: WixRequester,
  scope: RequestScope,
  calls: { V3: () => Promise<T>; V1: () => Promise<T> },
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const version = await getCatalogVersion(client, scope);
    if (version === 'STORES_NOT_INSTALLED') {
      throw new WixApiError('Wix Stores is not installed on this site: it has no product catalog', {
        status: 404,
        code: 'STORES_NOT_INSTALLED',
        retryable: false,
      });
    }
    try {
      return version === 'V3_CATALOG' ? await provisioningIsRetryable(calls.V3) : await calls.V1();
    } catch (error) {
      const moved =
        error instanceof WixApiError && error.status === 428 && error.code !== CATALOG_V3_SITE_PROVISIONING;
      if (!moved || attempt > 0) throw error;
      forgetCatalogVersion(client, scope.instanceId);
    }
  }
}

/** Stock of these products on the site's catalog (see `withCatalog`). */
export async function productStock(
  client: WixRequester,
  scope: RequestScope,
  ids: string[],
): Promise<{ catalog: 'V1' | 'V3'; products: ProductStock[] }> {
  return withCatalog<{ catalog: 'V1' | 'V3'; products: ProductStock[] }>(client, scope, {
    V3: async () => ({ catalog: 'V3', products: await productStockV3(client, scope, ids) }),
    V1: async () => ({ catalog: 'V1', products: await productStockV1(client, scope, ids) }),
  });
}

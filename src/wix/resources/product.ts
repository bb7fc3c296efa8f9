/**
 * One Stores product on either catalog. V3: `GET /stores/v3/products/{productId}` → `{product}`
 * (`@wix/auto_sdk_stores_products-v-3@1.0.226`, `wix.stores.catalog.v3.CatalogApi.GetProduct`, permission
 * `WIX_STORES.PRODUCT_READ`). V1: `GET /stores-reader/v1/products/{id}` → `{product}`
 * (`@wix/auto_sdk_stores_products@1.0.108`, `wix.catalog.api.v1.CatalogReadApi.GetProduct`). Which one is
 * asked is `withCatalog`'s choice (src/wix/resources/stores.ts), as for every Stores call.
 * V3 returns `currency` only when `fields` asks for `CURRENCY` (`V3Product.currency` typings note).
 */
import { z } from 'zod';
import { endpointRequest } from '../endpoints.js';
import type { WixRequester } from '../request.js';
import { fromScope, parseBody, type RequestScope } from './scope.js';
import { summaryFields, v3ProductSchema, type V3Product } from './product-view.js';
import { withCatalog } from './stores.js';

/** A product, the same for both catalogs. */
export interface ProductDetails {
  catalog: 'V1' | 'V3';
  id: string;
  name: string | undefined;
  slug: string | undefined;
  visible: boolean | undefined;
  /** Lowest price, as a decimal string. */
  price: string | undefined;
  currency: string | undefined;
  availability: string | undefined;
  /** V1 only, when inventory is tracked. */
  quantity: number | undefined;
  /** Plain text (V1) or undefined (V3 keeps a rich-content description). */
  description: string | undefined;
}

/** A V1 product as Wix returns it (Get Product and Query Products), with the fields we read. */
export const v1ProductSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  slug: z.string().optional(),
  visible: z.boolean().optional(),
  description: z.string().optional(),
  price: z.looseObject({ currency: z.string().optional(), price: z.number().optional() }).optional(),
  stock: z
    .looseObject({
      trackInventory: z.boolean().optional(),
      quantity: z.number().optional(),
      inventoryStatus: z.string().optional(),
    })
    .optional(),
});

/** The Get Product (V3) response fields we read. */
export const getProductV3Response = z.looseObject({ product: v3ProductSchema });

/** The Get Product (V1) response fields we read. */
export const getProductV1Response = z.looseObject({ product: v1ProductSchema });

/** A V3 product as `ProductDetails` (V3 keeps no plain description and no quantity here). */
export function v3Details(p: V3Product): ProductDetails {
  return {
    catalog: 'V3',
    id: p.id,
    name: p.name ?? undefined,
    slug: p.slug ?? undefined,
    visible: p.visible ?? undefined,
    price: p.actualPriceRange?.minValue?.amount,
    currency: p.currency ?? undefined,
    availability: p.inventory?.availabilityStatus,
    quantity: undefined,
    description: undefined,
  };
}

/** A V1 product as `ProductDetails` (the quantity only when inventory is tracked). */
export function v1Details(p: z.output<typeof v1ProductSchema>): ProductDetails {
  return {
    catalog: 'V1',
    id: p.id,
    name: p.name,
    slug: p.slug,
    visible: p.visible,
    price: p.price?.price === undefined ? undefined : p.price.price.toFixed(2),
    currency: p.price?.currency,
    availability: p.stock?.inventoryStatus,
    quantity: p.stock?.trackInventory ? p.stock.quantity : undefined,
    description: p.description,
  };
}

export async function getProductV3(
  client: WixRequester,
  scope: RequestScope,
  id: string,
): Promise<ProductDetails> {
  const response = await client.request({
    ...endpointRequest('getProductV3', { productId: id }),
    query: { fields: [...summaryFields] },
    ...fromScope(scope),
  });
  return v3Details(parseBody(getProductV3Response, response, 'get product (V3)').product);
}

export async function getProductV1(
  client: WixRequester,
  scope: RequestScope,
  id: string,
): Promise<ProductDetails> {
  const response = await client.request({
    ...endpointRequest('getProductV1', { id }),
    ...fromScope(scope),
  });
  return v1Details(parseBody(getProductV1Response, response, 'get product (V1)').product);
}

/**
 * The product from the catalog the site runs (see `withCatalog`: the version is asked once per site and
 * cached; a V3 site still being provisioned fails retryable, `CATALOG_V3_SITE_PROVISIONING`).
 */
export async function getProduct(
  client: WixRequester,
  scope: RequestScope,
  id: string,
): Promise<ProductDetails> {
  return withCatalog(client, scope, {
    V3: () => getProductV3(client, scope, id),
    V1: () => getProductV1(client, scope, id),
  });
}

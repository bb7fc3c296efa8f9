/**
 * One Stores product on either catalog. V3: `GET /stores/v3/products/{productId}` → `{product}`
 * (`@wix/auto_sdk_stores_products-v-3@1.0.226`, `wix.stores.catalog.v3.CatalogApi.GetProduct`, permission
 * `WIX_STORES.PRODUCT_READ`). V1: `GET /stores-reader/v1/products/{id}` → `{product}`
 * (`@wix/auto_sdk_stores_products@1.0.108`, `wix.catalog.api.v1.CatalogReadApi.GetProduct`). A V3 call on a
 * V1 site answers 428 (wix-reference.md D), so V1 is asked then.
 */
import { z } from 'zod';
import { WixApiError } from '../errors.js';
import { wixPath, type WixRequester } from '../request.js';
import { fromScope, parseBody, type CallScope } from './scope.js';

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

const v3 = z.looseObject({
  product: z.looseObject({
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
});

const v1 = z.looseObject({
  product: z.looseObject({
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
  }),
});

export async function getProductV3(
  client: WixRequester,
  scope: CallScope,
  id: string,
): Promise<ProductDetails> {
  const response = await client.request({
    method: 'GET',
    path: wixPath`/stores/v3/products/${id}`,
    ...fromScope(scope),
  });
  const p = parseBody(v3, response, 'get product (V3)').product;
  return {
    catalog: 'V3',
    id: p.id,
    name: p.name,
    slug: p.slug,
    visible: p.visible,
    price: p.actualPriceRange?.minValue?.amount,
    currency: p.currency,
    availability: p.inventory?.availabilityStatus,
    quantity: undefined,
    description: undefined,
  };
}

export async function getProductV1(
  client: WixRequester,
  scope: CallScope,
  id: string,
): Promise<ProductDetails> {
  const response = await client.request({
    method: 'GET',
    path: wixPath`/stores-reader/v1/products/${id}`,
    ...fromScope(scope),
  });
  const p = parseBody(v1, response, 'get product (V1)').product;
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

/** The product from Catalog V3, or from V1 when the site answers 428 (it runs V1). */
export async function getProduct(
  client: WixRequester,
  scope: CallScope,
  id: string,
): Promise<ProductDetails> {
  try {
    return await getProductV3(client, scope, id);
  } catch (error) {
    if (!(error instanceof WixApiError) || error.status !== 428) throw error;
    return getProductV1(client, scope, id);
  }
}

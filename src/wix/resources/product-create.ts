/**
 * Create Product on the site's catalog.
 * - V3: `POST /stores/v3/products` `{product: {name, slug, visible, productType: PHYSICAL, physicalProperties: {},
 *   plainDescription (HTML), variantsInfo: {variants: [{choices: [], price: {actualPrice: {amount}}, sku,
 *   physicalProperties: {}}]}}, fields}` → `{product}`. A product without options has exactly one default
 *   variant with empty `choices`; `physicalProperties` is required for PHYSICAL; a slug another product holds
 *   is refused with `DUPLICATE_SLUG_ERROR` (`@wix/auto_sdk_stores_products-v-3@1.0.226` `CreateProductRequest`,
 *   `CreateProductApplicationErrors`; permission `WIX_STORES.PRODUCT_CREATE`).
 * - V1: `POST /stores/v1/products` `{product: {name, productType: physical, priceData: {price}, description, sku,
 *   visible}}` → `{product}`; V1 generates the slug (`@wix/auto_sdk_stores_products@1.0.108` `Product`).
 */
import { z } from 'zod';
import { endpointRequest } from '../endpoints.js';
import type { WixRequester } from '../request.js';
import { summaryFields, v3ProductSchema, v3Summary, type ProductSummary } from './product-view.js';
import { fromScope, parseBody, type WriteScope } from './scope.js';
import { withCatalog } from './stores.js';

/** A simple physical product (no options): one price, one SKU. */
export interface NewProduct {
  name: string;
  /** V3 only (V1 generates it): lowercase letters, digits and `-`. */
  slug: string;
  /** Decimal string, e.g. "24.50". */
  price: string;
  /** HTML (see `descriptionHtml`). */
  description?: string;
  sku?: string;
  visible: boolean;
}

/** Plain text as the HTML both catalogs take for a description: escaped, one `<p>` per paragraph. */
export function descriptionHtml(text: string): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => `<p>${escape(paragraph.trim()).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/** A slug from a product name: lowercase ASCII letters and digits joined by `-` (may be empty). */
export function slugFromName(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function createProductV3Body(p: NewProduct) {
  return {
    product: {
      name: p.name,
      slug: p.slug,
      visible: p.visible,
      productType: 'PHYSICAL' as const,
      physicalProperties: {},
      ...(p.description ? { plainDescription: p.description } : {}),
      variantsInfo: {
        variants: [
          {
            choices: [],
            price: { actualPrice: { amount: p.price } },
            physicalProperties: {},
            ...(p.sku ? { sku: p.sku } : {}),
          },
        ],
      },
    },
    fields: [...summaryFields],
  };
}

export function createProductV1Body(p: NewProduct) {
  return {
    product: {
      name: p.name,
      productType: 'physical' as const,
      priceData: { price: Number(p.price) },
      visible: p.visible,
      ...(p.description ? { description: p.description } : {}),
      ...(p.sku ? { sku: p.sku } : {}),
    },
  };
}

/** The Create Product (V3) response fields we read. */
export const createV3Response = z.looseObject({ product: v3ProductSchema });

/** The Create Product (V1) response fields we read. */
export const createV1Response = z.looseObject({
  product: z.looseObject({
    id: z.string(),
    name: z.string().nullish(),
    slug: z.string().optional(),
    visible: z.boolean().nullish(),
    priceData: z.looseObject({ currency: z.string().optional(), price: z.number().optional() }).optional(),
  }),
});

/** Creates the product on the site's catalog (see `withCatalog`). */
export async function createProduct(
  client: WixRequester,
  scope: WriteScope,
  p: NewProduct,
): Promise<{ catalog: 'V1' | 'V3'; product: ProductSummary }> {
  return withCatalog<{ catalog: 'V1' | 'V3'; product: ProductSummary }>(client, scope, {
    V3: async () => {
      const response = await client.request({
        ...endpointRequest('createProductV3', {}),
        body: createProductV3Body(p),
        ...fromScope(scope),
      });
      return {
        catalog: 'V3',
        product: v3Summary(parseBody(createV3Response, response, 'create product (V3)').product),
      };
    },
    V1: async () => {
      const response = await client.request({
        ...endpointRequest('createProductV1', {}),
        body: createProductV1Body(p),
        ...fromScope(scope),
      });
      const created = parseBody(createV1Response, response, 'create product (V1)').product;
      const price = created.priceData?.price;
      return {
        catalog: 'V1',
        product: {
          id: created.id,
          ...(created.name ? { name: created.name } : {}),
          ...(created.slug ? { slug: created.slug } : {}),
          ...(created.visible != null ? { visible: created.visible } : {}),
          ...(price !== undefined ? { price: price.toFixed(2) } : {}),
          ...(created.priceData?.currency ? { currency: created.priceData.currency } : {}),
        },
      };
    },
  });
}

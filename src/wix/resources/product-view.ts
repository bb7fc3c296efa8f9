/**
 * The fields of a Catalog V3 product (`V3Product` of `@wix/auto_sdk_stores_products-v-3@1.0.226`) that
 * the Stores resources read, the compact summary built from them, and the lookup by filter that writes
 * reconcile with. Shared by search, create, update and bulk update, so a V3 product reads the same
 * wherever it comes from.
 */
import { z } from 'zod';
import { endpointRequest } from '../endpoints.js';
import type { WixRequester } from '../request.js';
import { fromScope, parseBody, type RequestScope } from './scope.js';

/** A V3 product as Wix returns it, with the fields we read (`revision` is a string in V3). */
export const v3ProductSchema = z.looseObject({
  id: z.string(),
  revision: z.string().nullish(),
  name: z.string().nullish(),
  slug: z.string().nullish(),
  visible: z.boolean().nullish(),
  productType: z.string().optional(),
  /** Returned only when `fields` asks for `CURRENCY`. */
  currency: z.string().nullish(),
  actualPriceRange: z
    .looseObject({ minValue: z.looseObject({ amount: z.string().optional() }).optional() })
    .optional(),
  inventory: z.looseObject({ availabilityStatus: z.string().optional() }).optional(),
  updatedDate: z.string().nullish(),
});
export type V3Product = z.output<typeof v3ProductSchema>;

/** A product as tools show it (either catalog): absent fields are omitted. */
export interface ProductSummary {
  id: string;
  /** V3: a decimal string that grows with each update, to pass back to `update_product`. */
  revision?: string;
  name?: string;
  slug?: string;
  visible?: boolean;
  /** Lowest variant price, a decimal string. */
  price?: string;
  currency?: string;
  availability?: string;
}

const present = <T>(value: T | null | undefined): T | undefined => value ?? undefined;

/** The summary of a V3 product. */
export function v3Summary(p: V3Product): ProductSummary {
  const summary: ProductSummary = {
    id: p.id,
    revision: present(p.revision),
    name: present(p.name),
    slug: present(p.slug),
    visible: present(p.visible),
    price: p.actualPriceRange?.minValue?.amount,
    currency: present(p.currency),
    availability: p.inventory?.availabilityStatus,
  };
  return Object.fromEntries(Object.entries(summary).filter(([, v]) => v !== undefined)) as ProductSummary;
}

/**
 * The `fields` to ask Products V3 for so the summary is complete: `CURRENCY` adds the currency, which V3
 * returns only when asked (`RequestedFields` / `SingleEntityOpsRequestedFields` of the same package).
 */
export const summaryFields = ['CURRENCY'] as const;

/** The Query Products (V3) body that finds products by a filter, with the fields a lookup compares. */
export function lookupQueryBody(filter: Record<string, unknown>, limit: number) {
  return {
    query: { filter, cursorPaging: { limit } },
    fields: [...summaryFields, 'PLAIN_DESCRIPTION' as const],
  };
}

/** The Query Products (V3) response fields a lookup reads. */
export const lookupResponse = z.looseObject({
  products: z.array(v3ProductSchema.extend({ plainDescription: z.string().nullish() })).default([]),
});

/**
 * Catalog V3 products matching a filter (`POST /stores/v3/products/query`), with revision and description:
 * what a write's `reconcile` compares with what it asked for. At most `limit` (≤ 100).
 */
export async function lookupV3Products(
  client: WixRequester,
  scope: RequestScope,
  filter: Record<string, unknown>,
  limit: number,
): Promise<z.output<typeof lookupResponse>['products']> {
  const response = await client.request({
    ...endpointRequest('queryProductsV3', {}),
    body: lookupQueryBody(filter, limit),
    read: true,
    ...fromScope(scope),
  });
  return parseBody(lookupResponse, response, 'query products (V3)').products;
}

import { Router } from 'express';
import { z } from 'zod';
import { availabilityOf, type EmulatorSite, type Product } from '../data.js';
import { applicationError, parseRequest, siteOf, validationError } from '../http.js';
import { cursorPage, runQuery } from './paging.js';

const sort = z.array(z.object({ fieldName: z.string(), order: z.enum(['ASC', 'DESC']).optional() })).max(3);
const v3Body = z.object({
  query: z
    .object({
      filter: z.record(z.string(), z.unknown()).optional(),
      sort: sort.optional(),
      cursorPaging: z
        .object({ limit: z.number().int().min(0).max(100).optional(), cursor: z.string().optional() })
        .optional(),
    })
    .optional(),
  fields: z.array(z.string()).optional(),
});
const v1Body = z.object({
  query: z
    .object({
      filter: z.string().optional(),
      sort: z.string().optional(),
      paging: z
        .object({
          limit: z.number().int().min(0).max(100).optional(),
          offset: z.number().int().min(0).optional(),
        })
        .optional(),
    })
    .optional(),
  includeVariants: z.boolean().optional(),
  includeHiddenProducts: z.boolean().optional(),
});

/**
 * A product in Catalog V3's REST shape. `currency` only when `fields` asks for `CURRENCY`, and
 * `plainDescription` only when it asks for `PLAIN_DESCRIPTION`, as Wix does
 * (`@wix/auto_sdk_stores_products-v-3` `V3Product`).
 */
export function v3Shape(site: EmulatorSite, p: Product, fields: readonly string[] = []) {
  const price = { amount: p.price.toFixed(2), formattedAmount: p.price.toFixed(2) };
  return {
    id: p.id,
    revision: String(p.revision ?? 1),
    name: p.name,
    slug: p.slug,
    visible: p.visible ?? true,
    productType: 'PHYSICAL',
    createdDate: p.createdDate,
    updatedDate: p.updatedDate ?? p.createdDate,
    ...(fields.includes('PLAIN_DESCRIPTION') && p.description ? { plainDescription: p.description } : {}),
    actualPriceRange: { minValue: price, maxValue: price },
    ...(fields.includes('CURRENCY') ? { currency: site.currency } : {}),
    inventory: { availabilityStatus: availabilityOf(p), preorderStatus: 'DISABLED' },
    variantSummary: { variantCount: 1 },
  };
}

export function v1Shape(site: EmulatorSite, p: Product) {
  const availability = availabilityOf(p);
  const formatted = `${p.price.toFixed(2)} ${site.currency}`;
  const price = {
    currency: site.currency,
    price: p.price,
    discountedPrice: p.price,
    formatted: { price: formatted, discountedPrice: formatted },
  };
  return {
    id: p.id,
    name: p.name,
    slug: p.slug,
    visible: p.visible ?? true,
    productType: 'physical',
    ...(p.description ? { description: p.description } : {}),
    sku: p.sku ?? p.slug.toUpperCase().slice(0, 12),
    price,
    priceData: price,
    stock: {
      trackInventory: p.trackInventory,
      ...(p.trackInventory ? { quantity: p.quantity ?? 0 } : {}),
      inStock: availability !== 'OUT_OF_STOCK',
      inventoryStatus: availability,
    },
    lastUpdated: p.updatedDate ?? p.createdDate,
  };
}

export function wrongCatalog(site: EmulatorSite, wanted: 'V1_CATALOG' | 'V3_CATALOG') {
  if (wanted === 'V3_CATALOG' && site.catalogVersion === 'V3_CATALOG' && site.catalogProvisioning) {
    return applicationError(
      428,
      'CATALOG_V3_SITE_PROVISIONING',
      'Catalog V3 is being provisioned on this site',
    );
  }
  if (site.catalogVersion === wanted) return undefined;
  if (site.catalogVersion === 'STORES_NOT_INSTALLED') {
    return applicationError(428, 'STORES_NOT_INSTALLED', 'Wix Stores is not installed on this site');
  }
  return wanted === 'V3_CATALOG'
    ? applicationError(
        428,
        'CATALOG_V1_SITE_CALLING_CATALOG_V3_API',
        'This site uses Catalog V1; call the V1 API',
      )
    : applicationError(
        428,
        'CATALOG_V3_SITE_CALLING_CATALOG_V1_API',
        'This site uses Catalog V3; call the V3 API',
      );
}

function parseJsonString(value: string | undefined, field: string): unknown {
  if (value === undefined || value === '') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw validationError([{ field, description: 'must be a JSON string', violatedRule: 'FORMAT' }]);
  }
}

/** Stores catalog: version, V3 and V1 product queries (each refused with 428 on the other catalog). */
export function storesRoutes(): Router {
  const router = Router();

  router.get('/stores/v3/provision/version', (_req, res) => {
    res.json({ catalogVersion: siteOf(res).catalogVersion });
  });

  router.post('/stores/v3/products/query', (req, res) => {
    const site = siteOf(res);
    const refused = wrongCatalog(site, 'V3_CATALOG');
    if (refused) throw refused;
    const { query = {}, fields = [] } = parseRequest(v3Body, req.body);
    const products = [...site.products.values()].map((p) => v3Shape(site, p, fields));
    const { page, next } = cursorPage(
      (filter, order) => runQuery(products, filter, order),
      {
        filter: query.filter,
        sort: query.sort,
        limit: query.cursorPaging?.limit ?? 100,
        cursor: query.cursorPaging?.cursor,
      },
      { sort: [{ fieldName: 'createdDate', order: 'DESC' }] },
    );
    res.json({
      products: page,
      pagingMetadata: { count: page.length, cursors: next ? { next } : {}, hasNext: Boolean(next) },
    });
  });

  router.post('/stores-reader/v1/products/query', (req, res) => {
    const site = siteOf(res);
    const refused = wrongCatalog(site, 'V1_CATALOG');
    if (refused) throw refused;
    const { query = {}, includeHiddenProducts } = parseRequest(v1Body, req.body);
    const filter = parseJsonString(query.filter, 'query.filter');
    const sortSpec = parseJsonString(query.sort, 'query.sort');
    const sortList = Array.isArray(sortSpec)
      ? sortSpec.flatMap((s: Record<string, string>) =>
          Object.entries(s).map(([fieldName, order]) => ({
            fieldName,
            order: order === 'desc' ? ('DESC' as const) : ('ASC' as const),
          })),
        )
      : [];
    const all = runQuery(
      // Hidden products only with includeHiddenProducts (V1 `Product.visible` typings).
      [...site.products.values()]
        .filter((p) => includeHiddenProducts === true || p.visible !== false)
        .map((p) => v1Shape(site, p)),
      filter,
      sortList,
    );
    const offset = query.paging?.offset ?? 0;
    const page = all.slice(offset, offset + (query.paging?.limit ?? 100));
    res.json({ products: page, metadata: { items: page.length, offset }, totalResults: all.length });
  });

  return router;
}

import { Router } from 'express';
import { z } from 'zod';
import { wixLimits } from '../../../wix/limits.js';
import { parseRequest, siteOf } from '../http.js';
import { cursorPage, runQuery } from './paging.js';
import { v3Shape, wrongCatalog } from './stores.js';

/** Search Products (V3) as `@wix/auto_sdk_stores_products-v-3` types it (`SearchProductsRequest`). */
const searchBody = z.object({
  search: z
    .object({
      search: z
        .object({
          expression: z.string().max(wixLimits.productSearchExpression.max).nullish(),
          mode: z.enum(['OR', 'AND']).optional(),
          fields: z.array(z.string().max(200)).max(20).optional(),
          fuzzy: z.boolean().optional(),
        })
        .optional(),
      filter: z.record(z.string(), z.unknown()).optional(),
      sort: z
        .array(z.object({ fieldName: z.string(), order: z.enum(['ASC', 'DESC']).optional() }))
        .max(10)
        .optional(),
      cursorPaging: z
        .object({
          limit: z.number().int().min(0).max(100).nullish(),
          cursor: z.string().max(16000).nullish(),
        })
        .optional(),
    })
    .optional(),
  fields: z.array(z.string()).max(100).optional(),
});

/**
 * Whether a product's searchable text (name, slug as a stand-in for the description, SKU) holds the
 * expression's words: all of them (`AND`) or any (`OR`, also
 * when `mode` is absent: Wix's typings name no default). Case-insensitive substrings; the
 * emulator does not model Wix's fuzzy matching.
 */
function hasWords(product: { name: string; slug: string }, expression: string, mode: 'OR' | 'AND'): boolean {
  const text = `${product.name} ${product.slug}`.toLowerCase();
  const words = expression.toLowerCase().split(/\s+/).filter(Boolean);
  return mode === 'AND' ? words.every((w) => text.includes(w)) : words.some((w) => text.includes(w));
}

/** Stores: Search Products (V3; 428 on a V1 site). The cursor carries the first page's search and filter. */
export function storesSearchRoutes(): Router {
  const router = Router();
  router.post('/stores/v3/products/search', (req, res) => {
    const site = siteOf(res);
    const refused = wrongCatalog(site, 'V3_CATALOG');
    if (refused) throw refused;
    const { search = {}, fields = [] } = parseRequest(searchBody, req.body);
    const words = search.search?.expression ? search.search : undefined;
    const asked = words || search.filter ? { words, filter: search.filter } : undefined;
    const { page, next } = cursorPage(
      (query, order) => {
        const q = (query ?? {}) as { words?: typeof words; filter?: unknown };
        const found = [...site.products.values()].filter(
          (p) => !q.words?.expression || hasWords(p, q.words.expression, q.words.mode ?? 'OR'),
        );
        return runQuery(
          found.map((p) => v3Shape(site, p, fields)),
          q.filter,
          order,
        );
      },
      {
        filter: asked,
        sort: search.sort,
        limit: search.cursorPaging?.limit ?? 100,
        cursor: search.cursorPaging?.cursor ?? undefined,
      },
      { sort: [{ fieldName: 'createdDate', order: 'DESC' }] },
    );
    res.json({
      products: page,
      pagingMetadata: { count: page.length, cursors: next ? { next } : {}, hasNext: Boolean(next) },
    });
  });
  return router;
}

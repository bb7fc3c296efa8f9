import { Router } from 'express';
import { z } from 'zod';
import { applicationError, parseRequest, siteOf } from '../http.js';
import { runQuery } from './paging.js';

const queryBody = z.object({
  dataCollectionId: z.string().min(1),
  query: z
    .object({
      filter: z.record(z.string(), z.unknown()).optional(),
      sort: z
        .array(z.object({ fieldName: z.string(), order: z.enum(['ASC', 'DESC']).optional() }))
        .optional(),
      fields: z.array(z.string()).optional(),
      paging: z
        .object({
          limit: z.number().int().min(0).max(1000).optional(),
          offset: z.number().int().min(0).optional(),
        })
        .optional(),
    })
    .optional(),
  returnTotalCount: z.boolean().optional(),
  consistentRead: z.boolean().optional(),
});

/** Wix Data (CMS): query items of a collection. */
export function cmsRoutes(): Router {
  const router = Router();

  router.post('/wix-data/v2/items/query', (req, res) => {
    const body = parseRequest(queryBody, req.body);
    const collection = siteOf(res).collections.get(body.dataCollectionId);
    if (!collection) {
      throw applicationError(404, 'WDE0025', `The ${body.dataCollectionId} collection does not exist.`, {
        collectionId: body.dataCollectionId,
      });
    }
    const query = body.query ?? {};
    const all = runQuery([...collection.values()], query.filter, query.sort ?? []);
    const offset = query.paging?.offset ?? 0;
    const page = all.slice(offset, offset + (query.paging?.limit ?? 50));
    res.json({
      dataItems: page.map((data) => ({ id: data._id, dataCollectionId: body.dataCollectionId, data })),
      pagingMetadata: {
        count: page.length,
        offset,
        ...(body.returnTotalCount ? { total: all.length } : {}),
        tooManyToCount: false,
        hasNext: offset + page.length < all.length,
      },
    });
  });

  return router;
}

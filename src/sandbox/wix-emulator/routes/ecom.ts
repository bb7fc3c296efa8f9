import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { applicationError, parseRequest, siteOf, type RouteContext } from '../http.js';
import type { Order } from '../data.js';
import { cursorPage, runQuery } from './paging.js';

const sort = z.array(z.object({ fieldName: z.string(), order: z.enum(['ASC', 'DESC']).optional() })).max(3);

const searchBody = z.object({
  search: z
    .object({
      filter: z.record(z.string(), z.unknown()).optional(),
      sort: sort.optional(),
      cursorPaging: z
        .object({ limit: z.number().int().min(0).max(100).optional(), cursor: z.string().optional() })
        .optional(),
    })
    .optional(),
});

const activityBody = z.object({
  activity: z.union([
    z.object({ merchantComment: z.object({ message: z.string().trim().min(1).max(1000) }) }),
    z.object({
      customActivity: z.object({
        appId: z.string(),
        type: z.string().min(1),
        additionalData: z.record(z.string(), z.string()).optional(),
      }),
    }),
  ]),
});

function orderNotFound(id: string) {
  return applicationError(404, 'ORDER_NOT_FOUND', `Order ${id} not found`);
}

/** eCommerce Orders: get, search (cursor paging), add activity. */
export function ecomRoutes(ctx: RouteContext): Router {
  const router = Router();

  router.post('/ecom/v1/orders/search', (req, res) => {
    const { search = {} } = parseRequest(searchBody, req.body);
    const site = siteOf(res);
    // Search Orders never returns INITIALIZED orders.
    const visible = [...site.orders.values()].filter((o) => o.status !== 'INITIALIZED');
    const limit = search.cursorPaging?.limit ?? 100;
    const { page, next } = cursorPage<Order>(
      (filter, order) => runQuery(visible, filter, order),
      { filter: search.filter, sort: search.sort, limit, cursor: search.cursorPaging?.cursor },
      { sort: [{ fieldName: 'createdDate', order: 'DESC' }] },
    );
    res.json({
      orders: page,
      metadata: { count: page.length, cursors: next ? { next } : {}, hasNext: Boolean(next) },
    });
  });

  router.get('/ecom/v1/orders/:id', (req, res) => {
    const order = siteOf(res).orders.get(String(req.params.id));
    if (!order) throw orderNotFound(String(req.params.id));
    res.json({ order });
  });

  router.post('/ecom/v1/orders/:id/activities', (req, res) => {
    const order = siteOf(res).orders.get(String(req.params.id));
    const body = parseRequest(activityBody, req.body);
    if (!order) throw orderNotFound(String(req.params.id));
    const activityId = randomUUID();
    const now = ctx.isoNow();
    if ('merchantComment' in body.activity) {
      order.activities.push({
        id: activityId,
        createdDate: now,
        type: 'MERCHANT_COMMENT',
        merchantComment: body.activity.merchantComment,
      });
    } else {
      order.activities.push({
        id: activityId,
        createdDate: now,
        type: 'CUSTOM_ACTIVITY',
        customActivity: body.activity.customActivity,
      });
    }
    order.updatedDate = now;
    res.json({ order, activityId });
  });

  return router;
}

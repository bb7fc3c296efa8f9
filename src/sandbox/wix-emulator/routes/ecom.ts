import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { wixLimits } from '../../../wix/limits.js';
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

/** Add Activities, as @wix/auto_sdk_ecom_orders publishes it (limits from src/wix/limits.ts). */
const activitiesBody = z.object({
  orderActivities: z
    .array(
      z.union([
        z.object({
          activityType: z.literal('MERCHANT_COMMENT'),
          merchantComment: z.object({ message: z.string().min(1).max(wixLimits.merchantComment.max) }),
        }),
        z.object({
          activityType: z.literal('CUSTOM_ACTIVITY'),
          customActivity: z.object({
            appId: z.string(),
            type: z.string().min(1),
            additionalData: z.record(z.string(), z.string()).optional(),
          }),
        }),
      ]),
    )
    .min(1)
    .max(wixLimits.orderActivitiesPerCall.max),
});

function orderNotFound(id: string) {
  return applicationError(404, 'ORDER_NOT_FOUND', `Order ${id} not found`);
}

/** eCommerce Orders: get, search (cursor paging), add activities. */
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

  // Add Activities. The single-activity POST /ecom/v1/orders/{id}/activities is no longer a public SDK
  // method and is not served (a request there is a 404, as an unknown path).
  router.post('/ecom/v1/orders/:orderId/activities/add', (req, res) => {
    const order = siteOf(res).orders.get(String(req.params.orderId));
    const body = parseRequest(activitiesBody, req.body);
    if (!order) throw orderNotFound(String(req.params.orderId));
    const now = ctx.isoNow();
    const activityIds = body.orderActivities.map((activity) => {
      const id = randomUUID();
      order.activities.push({ id, createdDate: now, ...activity });
      return id;
    });
    order.updatedDate = now;
    res.json({ order, activityIds });
  });

  return router;
}

import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { applicationError, parseRequest, siteOf, type RouteContext } from '../http.js';

const cancelBody = z.object({
  sendOrderCanceledEmail: z.boolean().optional(),
  customMessage: z.string().min(1).max(1000).optional(),
  restockAllItems: z.boolean().optional(),
});

/**
 * eCommerce Cancel Order. ASSUMPTIONS (Wix documents the codes, not these statuses or this behaviour):
 * an INITIALIZED order answers 428 ORDER_IS_PENDING; canceling a canceled order returns it unchanged.
 */
export function ecomCancelRoutes(ctx: RouteContext): Router {
  const router = Router();
  router.post('/ecom/v1/orders/:id/cancel', (req, res) => {
    const body = parseRequest(cancelBody, req.body);
    const order = siteOf(res).orders.get(req.params.id);
    if (!order) throw applicationError(404, 'ORDER_NOT_FOUND', `Order ${req.params.id} not found`);
    if (order.status === 'INITIALIZED') {
      throw applicationError(428, 'ORDER_IS_PENDING', 'The order is not approved yet');
    }
    if (order.status !== 'CANCELED') {
      order.status = 'CANCELED';
      order.updatedDate = ctx.isoNow();
      order.activities.push({ id: randomUUID(), createdDate: ctx.isoNow(), type: 'ORDER_CANCELED' });
      if (body.restockAllItems) order.restocked = true;
    }
    res.json({ order });
  });
  return router;
}

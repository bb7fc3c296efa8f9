import { Router } from 'express';
import { z } from 'zod';
import { orderChannels } from '../../../wix/resources/order-write.js';
import { wixLimits } from '../../../wix/limits.js';
import { applicationError, parseRequest, siteOf, type RouteContext } from '../http.js';
import { money, stableId, type Order } from '../model.js';

/** Create Order and Update Order as `@wix/auto_sdk_ecom_orders` types them, with their limits. */
const amount = z.object({ amount: z.string().regex(/^\d{1,9}(\.\d{1,3})?$/) });
const createBody = z.object({
  order: z.object({
    buyerInfo: z.object({ contactId: z.string().optional(), email: z.email().optional() }).optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional(),
    channelInfo: z.object({
      type: z.enum(orderChannels),
      externalOrderId: z.string().max(wixLimits.externalOrderId.max).optional(),
      externalOrderUrl: z.string().max(300).optional(),
    }),
    lineItems: z
      .array(
        z.object({
          productName: z.object({ original: z.string().min(1).max(wixLimits.lineItemName.max) }),
          catalogReference: z.object({ catalogItemId: z.string().min(1), appId: z.string().min(1) }),
          quantity: z.number().int().min(1).max(wixLimits.lineItemQuantity.max),
          price: amount,
          itemType: z.object({ preset: z.enum(['PHYSICAL', 'DIGITAL', 'GIFT_CARD', 'SERVICE']).optional() }),
        }),
      )
      .min(1)
      .max(wixLimits.orderLineItems.max),
    priceSummary: z.object({
      subtotal: amount.optional(),
      shipping: amount.optional(),
      total: amount.optional(),
    }),
  }),
  settings: z
    .object({
      notifications: z
        .object({
          sendNotificationToBuyer: z.boolean().optional(),
          sendNotificationsToBusiness: z.boolean().optional(),
        })
        .optional(),
    })
    .optional(),
});
const updateBody = z.object({
  order: z.object({
    id: z.string().optional(),
    archived: z.boolean().nullish(),
    seenByAHuman: z.boolean().nullish(),
    buyerInfo: z.object({ email: z.email() }).optional(),
    buyerLanguage: z.string().optional(),
  }),
});

/**
 * eCommerce Orders: create (record) and update. A created order is `INITIALIZED` and `NOT_PAID` unless its
 * total is 0 ("approved when `priceSummary.total = 0`, or after receiving payment": `OrderApprovalStrategy`),
 * so Search Orders does not return it until approved.
 */
export function ecomWriteRoutes(ctx: RouteContext): Router {
  const router = Router();

  router.post('/ecom/v1/orders', (req, res) => {
    const site = siteOf(res);
    const { order: input } = parseRequest(createBody, req.body);
    const email = input.buyerInfo?.email?.toLowerCase();
    const byEmail = email
      ? [...site.contacts.values()].find((c) => c.primaryInfo.email === email)?.id
      : undefined;
    const contactId =
      input.buyerInfo?.contactId ?? byEmail ?? stableId(`${site.instanceId}/contact/${email}`);
    const currency = input.currency ?? site.currency;
    const total = Number(input.priceSummary.total?.amount ?? 0);
    const number = String(site.nextOrderNumber++);
    const now = ctx.isoNow();
    const order: Order = {
      id: stableId(`${site.instanceId}/order/${number}`),
      number,
      createdDate: now,
      updatedDate: now,
      status: total === 0 ? 'APPROVED' : 'INITIALIZED',
      paymentStatus: 'NOT_PAID',
      fulfillmentStatus: 'NOT_FULFILLED',
      currency,
      buyerInfo: { contactId, ...(email ? { email } : {}) },
      lineItems: input.lineItems.map((li, i) => ({
        id: stableId(`${number}/line/${i}`),
        productName: { original: li.productName.original, translated: li.productName.original },
        catalogReference: li.catalogReference,
        quantity: li.quantity,
        price: money(Number(li.price.amount), currency),
        itemType: li.itemType,
      })),
      priceSummary: Object.fromEntries(
        Object.entries(input.priceSummary).map(([k, v]) => [k, money(Number(v.amount), currency)]),
      ),
      channelInfo: input.channelInfo,
      activities: [{ id: stableId(`${number}/placed`), createdDate: now, activityType: 'ORDER_PLACED' }],
      archived: false,
      seenByAHuman: false,
    };
    site.orders.set(order.id, order);
    res.json({ order });
  });

  router.patch('/ecom/v1/orders/:orderId', (req, res) => {
    const id = String(req.params.orderId);
    const order = siteOf(res).orders.get(id);
    const { order: change } = parseRequest(updateBody, req.body);
    if (!order) throw applicationError(404, 'ORDER_NOT_FOUND', `Order ${id} not found`);
    if (change.archived != null) order.archived = change.archived;
    if (change.seenByAHuman != null) order.seenByAHuman = change.seenByAHuman;
    if (change.buyerInfo) order.buyerInfo = { ...order.buyerInfo, email: change.buyerInfo.email };
    if (change.buyerLanguage) order.buyerLanguage = change.buyerLanguage;
    order.updatedDate = ctx.isoNow();
    res.json({ order });
  });

  return router;
}

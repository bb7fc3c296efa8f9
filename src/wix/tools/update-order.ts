import { z } from 'zod';
import { getOrder } from '../resources/orders.js';
import { updateOrder } from '../resources/order-write.js';
import { orderSummary } from './compact.js';
import { defineTool, scopeOf, wixId, writeScope } from './tool.js';
import { orderName, phrase } from './phrase.js';

const input = z
  .object({
    orderId: wixId.describe('The order id (a GUID), not the order number.'),
    archived: z.boolean().optional().describe('Archive (true) or unarchive (false) the order.'),
    seenByAHuman: z
      .boolean()
      .optional()
      .describe('Mark the order as seen (true) or new (false) in the dashboard.'),
    buyerEmail: z.email().max(320).optional().describe("Correct the buyer's email on the order."),
  })
  .refine((v) => v.archived !== undefined || v.seenByAHuman !== undefined || v.buyerEmail !== undefined, {
    message: 'give at least one field to change',
    path: ['archived'],
  });

export const updateOrderTool = defineTool({
  name: 'update_order',
  description:
    "Change an order's bookkeeping: archive or unarchive it, mark it seen or new, or correct the buyer's email. Only the fields given change. (Cancel with cancel_order; payment and fulfillment have their own Wix APIs.)",
  input,
  access: 'write',
  tags: ['orders'],
  permission: 'ECOM.MODIFY_ORDERS',
  // Looked up rather than re-sent: a resend could undo a person's change made in between.
  settle: 'reconcile',
  describe(args, about) {
    return phrase('update', 'updated', orderName(args.orderId, about));
  },
  async execute(ctx, args) {
    const { orderId, ...change } = args;
    const order = await updateOrder(ctx.client, writeScope(ctx), orderId, change);
    return {
      ...orderSummary(order),
      archived: order.archived ?? undefined,
      seenByAHuman: order.seenByAHuman ?? undefined,
    };
  },
  /** Outcome unknown: applied when the order holds every value given; otherwise parked for a person. */
  async reconcile(ctx, args) {
    const order = await getOrder(ctx.client, scopeOf(ctx), args.orderId);
    const seen = (order as Record<string, unknown>).seenByAHuman;
    const holds =
      (args.archived === undefined || (order.archived ?? false) === args.archived) &&
      (args.seenByAHuman === undefined || (seen ?? false) === args.seenByAHuman) &&
      (args.buyerEmail === undefined || order.buyerInfo?.email === args.buyerEmail);
    return holds
      ? {
          ...orderSummary(order),
          archived: order.archived ?? undefined,
          seenByAHuman: typeof seen === 'boolean' ? seen : undefined,
        }
      : undefined;
  },
});

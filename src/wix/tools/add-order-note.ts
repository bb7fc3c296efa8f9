import { z } from 'zod';
import { addMerchantComment, getOrder } from '../resources/orders.js';
import { defineTool, scopeOf, wixId, writeScope } from './tool.js';

export const addOrderNoteTool = defineTool({
  name: 'add_order_note',
  description:
    "Add an internal note (merchant comment) to an order's activity timeline in the Wix dashboard. Staff see it; the buyer does not.",
  input: z.object({
    orderId: wixId.describe('The order id (a GUID), not the order number.'),
    note: z.string().trim().min(1).max(1000).describe('The note, at most 1000 characters.'),
  }),
  access: 'write',
  tags: ['orders'],
  async execute(ctx, input) {
    const { activityId } = await addMerchantComment(ctx.client, writeScope(ctx), input.orderId, input.note);
    return { orderId: input.orderId, activityId };
  },
  // Unknown outcome: look for a merchant comment with the same text in the order's activities.
  settle: 'reconcile',
  async reconcile(ctx, input) {
    const order = await getOrder(ctx.client, scopeOf(ctx), input.orderId);
    const activities = Array.isArray(order.activities) ? (order.activities as Record<string, unknown>[]) : [];
    const same = activities.find(
      (a) => (a.merchantComment as { message?: unknown } | undefined)?.message === input.note,
    );
    return same && typeof same.id === 'string' ? { orderId: input.orderId, activityId: same.id } : undefined;
  },
});

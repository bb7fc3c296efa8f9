import { z } from 'zod';
import { wixLimits } from '../limits.js';
import { addMerchantComment, getOrder } from '../resources/orders.js';
import { defineTool, scopeOf, wixId, writeScope } from './tool.js';
import { orderName, phrase, quote } from './phrase.js';

export const addOrderNoteTool = defineTool({
  name: 'add_order_note',
  description:
    "Add an internal note (merchant comment) to an order's activity timeline in the Wix dashboard. Staff see it; the buyer does not.",
  input: z.object({
    orderId: wixId.describe('The order id (a GUID), not the order number.'),
    note: z
      .string()
      .trim()
      .min(1)
      .max(
        wixLimits.merchantComment.max,
        `Wix allows at most ${wixLimits.merchantComment.max} characters in an order note: shorten it`,
      )
      .describe(`The note, at most ${wixLimits.merchantComment.max} characters.`),
  }),
  access: 'write',
  tags: ['orders'],
  // @wix/auto_sdk_ecom_orders@1.0.300 addActivities; reading the order first needs ECOM.READ_ORDERS.
  permission: 'ECOM.MODIFY_ORDERS',
  describe(input, about) {
    return phrase(
      'add',
      'added',
      `an internal note to ${orderName(input.orderId, about)}: ${quote(input.note, 120)}`,
    );
  },
  async execute(ctx, input) {
    const { activityId } = await addMerchantComment(ctx.client, writeScope(ctx), input.orderId, input.note);
    return { orderId: input.orderId, activityId };
  },
  /** After an unknown outcome: the note landed if the order's activities hold a merchant comment with it. */
  settle: 'reconcile',
  async reconcile(ctx, input) {
    const order = await getOrder(ctx.client, scopeOf(ctx), input.orderId);
    const same = (order.activities ?? []).find(
      (a) => (a.activityType ?? a.type) === 'MERCHANT_COMMENT' && a.merchantComment?.message === input.note,
    );
    return same?.id ? { orderId: input.orderId, activityId: same.id } : undefined;
  },
});

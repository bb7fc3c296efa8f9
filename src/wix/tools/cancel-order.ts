import { z } from 'zod';
import { cancelOrder } from '../resources/order-cancel.js';
import { getOrder } from '../resources/orders.js';
import { defineTool, scopeOf, wixId, writeScope } from './tool.js';
import { orderName, phrase } from './phrase.js';

export const cancelOrderTool = defineTool({
  name: 'cancel_order',
  description:
    'Cancel an order of this store. Destructive: it cannot be undone, and over MCP it waits for a person to approve it. Optionally emails the buyer (with a note) and restocks the items.',
  input: z.object({
    orderId: wixId.describe('The order id (a GUID), not the order number.'),
    notifyBuyer: z
      .boolean()
      .default(false)
      .describe('Email the buyer that the order was canceled (default false).'),
    message: z
      .string()
      .trim()
      .min(1)
      .max(1000)
      .optional()
      .describe('Note for that email, at most 1000 characters.'),
    restock: z.boolean().default(false).describe('Put the items back into inventory (default false).'),
  }),
  access: 'write',
  tags: ['orders'],
  permission: 'ECOM.MODIFY_ORDERS',
  destructive: true,
  // Canceling is not repeatable blindly (a second cancel of a canceled order is refused, which would
  // read as a failure): an unknown outcome is looked up by the order's status instead.
  settle: 'reconcile',
  describe(input, about) {
    return phrase('cancel', 'cancelled', orderName(input.orderId, about));
  },
  async execute(ctx, input) {
    const order = await cancelOrder(ctx.client, writeScope(ctx), input.orderId, {
      sendOrderCanceledEmail: input.notifyBuyer,
      ...(input.message ? { customMessage: input.message } : {}),
      restockAllItems: input.restock,
    });
    return { orderId: order.id, number: order.number, status: order.status };
  },
  /** Outcome unknown: a canceled order means the cancel was applied; otherwise it is parked for a person. */
  async reconcile(ctx, input) {
    const order = await getOrder(ctx.client, scopeOf(ctx), input.orderId);
    return order.status === 'CANCELED'
      ? { orderId: order.id, number: order.number, status: order.status }
      : undefined;
  },
});

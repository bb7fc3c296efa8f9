import { z } from 'zod';
import { wixLimits } from '../limits.js';
import { createOrder, orderChannels, ordersByExternalId, type NewOrder } from '../resources/order-write.js';
import { orderSummary } from './compact.js';
import { moneyAmount } from './search-products.js';
import { defineTool, scopeOf, wixId, writeScope, type ToolContext } from './tool.js';
import { contactName, count, phrase, quote } from './phrase.js';

const input = z
  .object({
    contactId: wixId.optional().describe('The buyer contact id (give it, an email, or both).'),
    email: z.email().max(320).optional().describe("The buyer's email."),
    items: z
      .array(
        z.object({
          productId: wixId.describe('The Wix Stores product id.'),
          name: z.string().trim().min(1).max(wixLimits.lineItemName.max).describe('Product name as sold.'),
          quantity: z.number().int().min(1).max(wixLimits.lineItemQuantity.max).describe('How many.'),
          price: moneyAmount.describe('Unit price, e.g. "18.00".'),
        }),
      )
      .min(1)
      .max(wixLimits.orderLineItems.max)
      .describe(`What was bought, 1-${wixLimits.orderLineItems.max} lines.`),
    shipping: moneyAmount.optional().describe('Shipping charged, e.g. "5.00".'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO-4217 code such as USD')
      .optional()
      .describe('ISO-4217 currency (default: the store currency).'),
    channel: z
      .enum(orderChannels)
      .default('OTHER_PLATFORM')
      .describe('Where the order was placed (Wix: use the matching channel, else OTHER_PLATFORM).'),
    externalOrderId: z
      .string()
      .trim()
      .min(1)
      .max(wixLimits.externalOrderId.max)
      .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
      .optional()
      .describe('The order number in the system it came from (default: a reference of this call).'),
    notifyBuyer: z.boolean().default(false).describe('Email the buyer about the order (default false).'),
  })
  .refine((v) => v.contactId || v.email, {
    message: 'give the buyer contactId or email',
    path: ['contactId'],
  });

/** The external id sent: the model's, else this write's reference (so a lookup can find the order). */
const externalIdOf = (ctx: ToolContext, args: z.output<typeof input>) => args.externalOrderId ?? ctx.writeRef;

export const createOrderTool = defineTool({
  name: 'create_order',
  description:
    'Record an order in this store (e.g. one taken by phone or on another platform): buyer, Wix Stores products with quantities and unit prices, optional shipping. Totals are computed from the lines. Does not take payment.',
  input,
  access: 'write',
  tags: ['orders'],
  permission: 'ECOM.CREATE_ORDERS',
  // Never `repeat` (a second order). The order carries an external id (the model's or this write's
  // reference), which Search Orders can filter on: see `reconcile`.
  settle: 'reconcile',
  describe(args, about) {
    const who = args.contactId
      ? ` for ${contactName(args.contactId, about)}`
      : args.email
        ? ` for ${quote(args.email, 60)}`
        : '';
    return phrase('record', 'recorded', `an order of ${count(args.items.length, 'line')}${who}`);
  },
  async execute(ctx, args) {
    const { items, channel, notifyBuyer, contactId, email, currency, shipping } = args;
    const externalOrderId = externalIdOf(ctx, args);
    const order: NewOrder = {
      items,
      channel,
      notifyBuyer,
      ...(contactId ? { contactId } : {}),
      ...(email ? { email } : {}),
      ...(currency ? { currency } : {}),
      ...(shipping ? { shipping } : {}),
      ...(externalOrderId ? { externalOrderId } : {}),
    };
    const created = await createOrder(ctx.client, writeScope(ctx), order);
    return { ...orderSummary(created), externalOrderId: created.channelInfo?.externalOrderId ?? undefined };
  },
  /**
   * Outcome unknown: one order with this external id and as many lines as asked is this write's order.
   * Not found (none, several, or an order Search Orders does not return yet, e.g. INITIALIZED): parked.
   */
  async reconcile(ctx, args) {
    const externalOrderId = externalIdOf(ctx, args);
    if (!externalOrderId) return undefined;
    const found = await ordersByExternalId(ctx.client, scopeOf(ctx), externalOrderId);
    const [order, ...more] = found;
    return order && more.length === 0 && order.lineItems?.length === args.items.length
      ? { ...orderSummary(order), externalOrderId }
      : undefined;
  },
});

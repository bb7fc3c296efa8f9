import { z } from 'zod';
import { findContacts } from '../resources/contacts.js';
import { fulfillmentStatuses, orderStatuses, paymentStatuses } from '../entities/order.js';
import { searchOrders } from '../resources/orders.js';
import { orderSummary } from './compact.js';
import { defineTool, scopeOf, wixId } from './tool.js';
import { contactName, pageNote, phrase, quote } from './phrase.js';

const day = z.iso.date();
const dateOrTime = z.union([z.iso.datetime({ offset: true }), day]);

/** A date-only bound covers the whole day (UTC). */
function bound(value: string | undefined, end: boolean): string | undefined {
  if (value === undefined || !day.safeParse(value).success) return value;
  return `${value}T${end ? '23:59:59.999' : '00:00:00.000'}Z`;
}

export const searchOrdersTool = defineTool({
  name: 'search_orders',
  description:
    "Search this store's orders, newest first, e.g. a customer's past orders (by contact id or email), unpaid or unfulfilled orders, or orders in a date range. Returns short summaries with totals; use get_order for details. When hasMore is true, call again with the returned cursor (other filters are then ignored).",
  input: z
    .object({
      contactId: wixId.optional().describe("The buyer's contact id."),
      email: z
        .email()
        .max(254)
        .optional()
        .describe("The buyer's email address (matched through the site's contacts)."),
      // Every value Wix publishes (src/wix/entities/order.ts, from @wix/auto_sdk_ecom_orders).
      status: z
        .enum(orderStatuses)
        .optional()
        .describe(
          'Order status. Orders not yet approved (INITIALIZED) are never returned by Wix Search Orders.',
        ),
      paymentStatus: z.enum(paymentStatuses).optional().describe('Payment status.'),
      fulfillmentStatus: z.enum(fulfillmentStatuses).optional().describe('Fulfillment status.'),
      createdFrom: dateOrTime
        .optional()
        .describe('Only orders created at or after this ISO-8601 date or date-time.'),
      createdTo: dateOrTime
        .optional()
        .describe('Only orders created at or before this ISO-8601 date or date-time.'),
      limit: z.number().int().min(1).max(50).default(20).describe('Orders per page, 1-50 (default 20).'),
      cursor: z
        .string()
        .max(2000)
        .optional()
        .describe('The cursor returned by a previous call, for the next page.'),
    })
    .refine((v) => !(v.contactId && v.email), {
      message: 'give contactId or email, not both',
      path: ['email'],
    }),
  access: 'read',
  tags: ['orders'],
  // @wix/auto_sdk_ecom_orders@1.0.300 searchOrders; a buyer email lookup (queryContacts) needs CONTACTS.VIEW.
  permission: 'ECOM.READ_ORDERS',
  describe(input, about) {
    const whose = input.contactId
      ? ` of ${contactName(input.contactId, about)}`
      : input.email
        ? ` by email ${quote(input.email, 60)}`
        : '';
    return phrase('search', 'searched', `the orders${whose}${pageNote(input)}`);
  },
  async execute(ctx, input) {
    const scope = scopeOf(ctx);
    let buyerContactIds = input.contactId ? [input.contactId] : undefined;
    if (input.email && !input.cursor) {
      const found = await findContacts(ctx.client, scope, { email: input.email }, 20);
      buyerContactIds = found.contacts.map((c) => c.id);
      if (buyerContactIds.length === 0)
        return { orders: [], count: 0, hasMore: false, note: 'no contact with this email' };
    }
    const page = await searchOrders(ctx.client, scope, {
      buyerContactIds,
      statuses: input.status ? [input.status] : undefined,
      paymentStatuses: input.paymentStatus ? [input.paymentStatus] : undefined,
      fulfillmentStatuses: input.fulfillmentStatus ? [input.fulfillmentStatus] : undefined,
      createdFrom: bound(input.createdFrom, false),
      createdTo: bound(input.createdTo, true),
      limit: input.limit,
      cursor: input.cursor,
    });
    const orders = page.orders.map(orderSummary);
    const currencies = [...new Set(orders.map((o) => o.currency).filter(Boolean))];
    const pageTotal = orders.reduce((sum, o) => sum + (o.total ? Number(o.total) : 0), 0);
    return {
      orders,
      count: orders.length,
      // Sum of this page's totals, when all are in one currency (e.g. a customer's lifetime spend).
      pageTotal:
        currencies.length === 1 ? { amount: pageTotal.toFixed(2), currency: currencies[0] } : undefined,
      hasMore: page.hasNext,
      cursor: page.nextCursor,
    };
  },
});

/**
 * Create and update eCommerce orders. Source: `@wix/auto_sdk_ecom_orders@1.0.300`.
 * - Create Order (record an order): `POST /ecom/v1/orders` `{order: {buyerInfo, currency, channelInfo: {type,
 *   externalOrderId}, lineItems: [{productName: {original}, catalogReference: {catalogItemId, appId}, quantity,
 *   price: {amount}, itemType: {preset}}], priceSummary: {subtotal, shipping, total}}, settings: {notifications}}`
 *   → `{order}`. Required: `channelInfo`, `lineItems` (≤ 300; each with catalog reference, item type, price,
 *   name ≤ 200, quantity 1-100,000) and `priceSummary`; "to record an external order, use the channel type that
 *   matches the original source, else OTHER_PLATFORM" (`CreateOrderRequest`, `ChannelInfo`; permission
 *   `ECOM.CREATE_ORDERS`). `channelInfo.externalOrderId` (≤ 100) is filterable in Search Orders (`$eq`).
 * - Update Order: `PATCH /ecom/v1/orders/{orderId}` `{order: {id, ...}}` → `{order}`; "currently" updatable:
 *   buyer email and language, billing and recipient info, shipping destination, `archived`, `seenByAHuman`,
 *   `attributionSource`, `weightUnit` (`updateOrder` docs; permission `ECOM.MODIFY_ORDERS`).
 */
import { z } from 'zod';
import { endpointRequest } from '../endpoints.js';
import { WIX_STORES_APP_ID, orderSchema, type WixOrder } from '../entities/order.js';
import type { WixRequester } from '../request.js';
import { searchResponse } from './orders.js';
import { fromScope, parseBody, type RequestScope, type WriteScope } from './scope.js';

/** Channel types an order can be recorded with (Wix's `ChannelType` less `UNSPECIFIED`, "not supported"). */
export const orderChannels = [
  'WEB',
  'POS',
  'EBAY',
  'AMAZON',
  'OTHER_PLATFORM',
  'WIX_APP_STORE',
  'WIX_INVOICES',
  'BACKOFFICE_MERCHANT',
  'WISH',
  'CLASS_PASS',
  'GLOBAL_E',
  'FACEBOOK',
  'ETSY',
  'TIKTOK',
  'FAIRE_COM',
  'PAYPAL_AGENTIC_CHECKOUT',
  'STRIPE_AGENTIC_CHECKOUT',
] as const;
export type OrderChannel = (typeof orderChannels)[number];

/** One Wix Stores product bought. */
export interface NewOrderItem {
  productId: string;
  name: string;
  quantity: number;
  /** Unit price, decimal string. */
  price: string;
}

export interface NewOrder {
  contactId?: string;
  email?: string;
  /** ISO-4217; Wix uses the site's currency when absent. */
  currency?: string;
  channel: OrderChannel;
  /** Ties the order to its source (and to this write, for a lookup). */
  externalOrderId?: string;
  items: NewOrderItem[];
  /** Decimal string. */
  shipping?: string;
  notifyBuyer: boolean;
}

/** A decimal amount in cents (amounts have at most 2 decimals: see the tool's input). */
const cents = (amount: string) => Math.round(Number(amount) * 100);
const decimal = (c: number) => (c / 100).toFixed(2);

export function createOrderBody(o: NewOrder) {
  const subtotal = o.items.reduce((sum, i) => sum + cents(i.price) * i.quantity, 0);
  return {
    order: {
      buyerInfo: {
        ...(o.contactId ? { contactId: o.contactId } : {}),
        ...(o.email ? { email: o.email } : {}),
      },
      ...(o.currency ? { currency: o.currency } : {}),
      channelInfo: { type: o.channel, ...(o.externalOrderId ? { externalOrderId: o.externalOrderId } : {}) },
      lineItems: o.items.map((i) => ({
        productName: { original: i.name },
        catalogReference: { catalogItemId: i.productId, appId: WIX_STORES_APP_ID },
        quantity: i.quantity,
        price: { amount: i.price },
        itemType: { preset: 'PHYSICAL' as const },
      })),
      priceSummary: {
        subtotal: { amount: decimal(subtotal) },
        ...(o.shipping ? { shipping: { amount: o.shipping } } : {}),
        total: { amount: decimal(subtotal + cents(o.shipping ?? '0')) },
      },
    },
    settings: { notifications: { sendNotificationToBuyer: o.notifyBuyer } },
  };
}

/** The order fields our tools change (`updateOrder`'s updatable fields a model needs). */
export interface OrderChange {
  archived?: boolean;
  seenByAHuman?: boolean;
  buyerEmail?: string;
}

export function updateOrderBody(orderId: string, c: OrderChange) {
  return {
    order: {
      id: orderId,
      ...(c.archived !== undefined ? { archived: c.archived } : {}),
      ...(c.seenByAHuman !== undefined ? { seenByAHuman: c.seenByAHuman } : {}),
      ...(c.buyerEmail !== undefined ? { buyerInfo: { email: c.buyerEmail } } : {}),
    },
  };
}

/** The Create Order / Update Order response fields we read. */
export const orderResponse = z.looseObject({
  order: orderSchema.extend({
    seenByAHuman: z.boolean().nullish(),
    channelInfo: z
      .looseObject({ type: z.string().optional(), externalOrderId: z.string().nullish() })
      .nullish(),
  }),
});
export type WrittenOrder = z.output<typeof orderResponse>['order'];

/** The Search Orders body that finds an order by its external id (any status Search Orders returns). */
export function externalOrderSearchBody(externalOrderId: string) {
  return {
    search: {
      filter: { 'channelInfo.externalOrderId': { $eq: externalOrderId } },
      cursorPaging: { limit: 2 },
    },
  };
}

export async function createOrder(
  client: WixRequester,
  scope: WriteScope,
  o: NewOrder,
): Promise<WrittenOrder> {
  const response = await client.request({
    ...endpointRequest('createOrder', {}),
    body: createOrderBody(o),
    ...fromScope(scope),
  });
  return parseBody(orderResponse, response, 'create order').order;
}

export async function updateOrder(
  client: WixRequester,
  scope: WriteScope,
  orderId: string,
  c: OrderChange,
): Promise<WrittenOrder> {
  const response = await client.request({
    ...endpointRequest('updateOrder', { orderId }),
    body: updateOrderBody(orderId, c),
    ...fromScope(scope),
  });
  return parseBody(orderResponse, response, 'update order').order;
}

/** Orders recorded with this external id (Search Orders does not return INITIALIZED orders). */
export async function ordersByExternalId(
  client: WixRequester,
  scope: RequestScope,
  externalOrderId: string,
): Promise<WixOrder[]> {
  const response = await client.request({
    ...endpointRequest('searchOrders', {}),
    body: externalOrderSearchBody(externalOrderId),
    read: true,
    ...fromScope(scope),
  });
  return parseBody(searchResponse, response, 'search orders').orders;
}

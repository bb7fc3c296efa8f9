import { z } from 'zod';
import { wixLimits } from '../limits.js';

/**
 * The Wix eCommerce order (`wix.ecom.v1.order`): one model shared by webhook parsing (order_created and
 * order_approved), the resources, the compact tool views and the handler facts. Loose: fields we do not
 * read are kept as Wix sent them; Wix omits empty fields, so everything but `id` may be absent (or null).
 *
 * Source of every field and enum: `@wix/auto_sdk_ecom_orders` 1.0.300 typings (`Order`), checked by
 * test/wix/conformance/fields.types.ts (fields exist; enums complete and not invented).
 */

/** `Order.status` (OrderStatusWithLiterals). INITIALIZED orders are not yet approved; Search Orders hides them. */
export const orderStatuses = ['INITIALIZED', 'APPROVED', 'CANCELED', 'PENDING', 'REJECTED'] as const;
/** `Order.paymentStatus` (PaymentStatusEnumPaymentStatusWithLiterals). */
export const paymentStatuses = [
  'UNSPECIFIED',
  'NOT_PAID',
  'PAID',
  'PARTIALLY_REFUNDED',
  'FULLY_REFUNDED',
  'PENDING',
  'PARTIALLY_PAID',
  'PENDING_MERCHANT',
  'CANCELED',
  'DECLINED',
] as const;
/** `Order.fulfillmentStatus` (FulfillmentStatusWithLiterals). */
export const fulfillmentStatuses = ['NOT_FULFILLED', 'FULFILLED', 'PARTIALLY_FULFILLED'] as const;
export type OrderStatus = (typeof orderStatuses)[number];
export type PaymentStatus = (typeof paymentStatuses)[number];
export type FulfillmentStatus = (typeof fulfillmentStatuses)[number];

/** `Order.buyerNote` is at most 1,000 characters (`@maxLength 1000`); we show a model at most this many. */
export const BUYER_NOTE_MAX = wixLimits.buyerNote.max;

/** Wix Stores' app id: an order line from Stores has catalogReference.catalogItemId = the product id. */
export const WIX_STORES_APP_ID = '215238eb-22a5-4c36-9e7b-e7c08025e04e';

const text = () => z.string().nullish();
const money = z.looseObject({ amount: z.string(), formattedAmount: text() });
const translated = z.looseObject({ original: text(), translated: text() });
const contactDetails = z.looseObject({ firstName: text(), lastName: text(), phone: text(), company: text() });
const address = z.looseObject({
  addressLine: text(),
  city: text(),
  country: text(),
  subdivision: text(),
  postalCode: text(),
});

export const lineItemSchema = z.looseObject({
  id: text(),
  productName: translated.nullish(),
  quantity: z.number().nullish(),
  price: money.nullish(),
  totalPriceAfterTax: money.nullish(),
  catalogReference: z
    .looseObject({ catalogItemId: text(), appId: text(), options: z.unknown().optional() })
    .nullish(),
  descriptionLines: z.array(z.unknown()).nullish(),
});

/**
 * The order's activity timeline. `activityType` replaces the deprecated `type`; older activities may
 * carry only `type`.
 */
export const orderActivitySchema = z.looseObject({
  id: text(),
  createdDate: text(),
  type: text(),
  activityType: text(),
  merchantComment: z.looseObject({ message: text() }).nullish(),
});

/**
 * An eCommerce order. Statuses are kept as strings (a value Wix adds later must not lose a webhook);
 * {@link orderStatuses}, {@link paymentStatuses} and {@link fulfillmentStatuses} list today's values.
 */
export const orderSchema = z.looseObject({
  id: z.string().min(1),
  number: text(),
  createdDate: text(),
  updatedDate: text(),
  status: text(),
  paymentStatus: text(),
  fulfillmentStatus: text(),
  currency: text(),
  buyerNote: z.string().optional(),
  archived: z.boolean().nullish(),
  buyerInfo: z
    .looseObject({ contactId: text(), email: text(), memberId: text(), visitorId: text() })
    .nullish(),
  priceSummary: z
    .looseObject({
      subtotal: money.nullish(),
      shipping: money.nullish(),
      tax: money.nullish(),
      discount: money.nullish(),
      total: money.nullish(),
    })
    .nullish(),
  lineItems: z.array(lineItemSchema).nullish(),
  shippingInfo: z
    .looseObject({
      title: text(),
      logistics: z
        .looseObject({
          shippingDestination: z.looseObject({ address: address.nullish() }).nullish(),
          pickupDetails: z.looseObject({ address: address.nullish() }).nullish(),
        })
        .nullish(),
    })
    .nullish(),
  billingInfo: z.looseObject({ contactDetails: contactDetails.nullish() }).nullish(),
  activities: z.array(orderActivitySchema).nullish(),
});
export type WixOrder = z.output<typeof orderSchema>;
export type WixOrderLineItem = z.output<typeof lineItemSchema>;

/** Reads an order of unknown shape (a bus event's entity) with the model; unreadable gives `{ id: '' }`. */
export function asOrder(entity: Record<string, unknown>): WixOrder {
  const parsed = orderSchema.safeParse(entity);
  return parsed.success ? parsed.data : { id: typeof entity.id === 'string' ? entity.id : '' };
}

/** Clips customer-written text: at most `max` characters, `…` marking a cut. */
export function clipText(text: string | null | undefined, max: number): string | undefined {
  if (text === undefined || text === null) return undefined;
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

import type { Json } from '../lib/json-shape.js';
import { BUYER_NOTE_MAX, WIX_STORES_APP_ID, asOrder, clipText } from '../wix/entities/order.js';

/** Wix Stores' app id (re-exported from src/wix/entities/order.ts for existing importers). */
export { WIX_STORES_APP_ID };

/**
 * The facts of an eCommerce order a model needs (never the whole entity), read with the one order model
 * (src/wix/entities/order.ts) from a bus event's entity (order_created or order_approved alike).
 */
export function orderFacts(entity: Json) {
  const order = asOrder(entity);
  const buyer = order.buyerInfo;
  const contact = order.billingInfo?.contactDetails;
  const logistics = order.shippingInfo?.logistics;
  const destination = logistics?.shippingDestination?.address;
  const summary = order.priceSummary;
  const or = <T>(v: T | null | undefined) => v ?? undefined;
  return {
    orderId: order.id || undefined,
    number: or(order.number),
    createdDate: or(order.createdDate),
    status: or(order.status),
    paymentStatus: or(order.paymentStatus),
    currency: or(order.currency),
    total: summary?.total?.amount,
    discount: summary?.discount?.amount,
    buyer: {
      contactId: or(buyer?.contactId),
      email: or(buyer?.email),
      memberId: or(buyer?.memberId),
      visitorId: or(buyer?.visitorId),
      firstName: or(contact?.firstName),
      lastName: or(contact?.lastName),
    },
    lineItems: (order.lineItems ?? []).slice(0, 50).map((item) => ({
      name: or(item.productName?.original),
      quantity: or(item.quantity),
      price: item.price?.amount,
      catalogItemId:
        item.catalogReference?.appId === WIX_STORES_APP_ID
          ? or(item.catalogReference.catalogItemId)
          : undefined,
    })),
    // One limit for the buyer note everywhere: Wix's own (Order.buyerNote @maxLength 1000).
    buyerNote: clipText(order.buyerNote, BUYER_NOTE_MAX),
    delivery: {
      method: or(order.shippingInfo?.title),
      pickup: Object.keys(logistics?.pickupDetails ?? {}).length > 0,
      address: clipText(destination?.addressLine, 300),
      city: or(destination?.city),
      country: or(destination?.country),
    },
  };
}

/** Wix Stores' app id: an order line from Stores has catalogReference.catalogItemId = the product id. */
import { asObject as obj, asString as str, type Json } from '../lib/json-shape.js';
export const WIX_STORES_APP_ID = '215238eb-22a5-4c36-9e7b-e7c08025e04e';

const money = (v: unknown) => str(obj(v).amount);

/** The facts of an eCommerce order a model needs (never the whole entity). */
export function orderFacts(entity: Json) {
  const buyer = obj(entity.buyerInfo);
  const contact = obj(obj(entity.billingInfo).contactDetails);
  const shipping = obj(entity.shippingInfo);
  const logistics = obj(shipping.logistics);
  const destination = obj(obj(logistics.shippingDestination).address);
  const summary = obj(entity.priceSummary);
  const items = Array.isArray(entity.lineItems) ? entity.lineItems.map(obj) : [];
  return {
    orderId: str(entity.id),
    number: str(entity.number),
    createdDate: str(entity.createdDate),
    status: str(entity.status),
    paymentStatus: str(entity.paymentStatus),
    currency: str(entity.currency),
    total: money(summary.total),
    discount: money(summary.discount),
    buyer: {
      contactId: str(buyer.contactId),
      email: str(buyer.email),
      memberId: str(buyer.memberId),
      visitorId: str(buyer.visitorId),
      firstName: str(contact.firstName),
      lastName: str(contact.lastName),
    },
    lineItems: items.slice(0, 50).map((item) => {
      const ref = obj(item.catalogReference);
      return {
        name: str(obj(item.productName).original),
        quantity: typeof item.quantity === 'number' ? item.quantity : undefined,
        price: money(item.price),
        catalogItemId: ref.appId === WIX_STORES_APP_ID ? str(ref.catalogItemId) : undefined,
      };
    }),
    buyerNote: str(entity.buyerNote)?.slice(0, 2000),
    delivery: {
      method: str(shipping.title),
      pickup: Object.keys(obj(logistics.pickupDetails)).length > 0,
      address: str(destination.addressLine)?.slice(0, 300),
      city: str(destination.city),
      country: str(destination.country),
    },
  };
}

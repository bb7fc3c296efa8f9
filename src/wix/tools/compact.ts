import { contactMembership, type WixContact } from '../entities/contact.js';
import { BUYER_NOTE_MAX, clipText, type WixOrder } from '../entities/order.js';

/** Shortens customer-written text so one field cannot flood a model's context. */
export function clip(text: string | null | undefined, max = 500): string | undefined {
  return clipText(text, max);
}

/** Order summary for lists. */
export function orderSummary(order: WixOrder) {
  return {
    id: order.id,
    number: order.number,
    createdDate: order.createdDate,
    status: order.status,
    paymentStatus: order.paymentStatus,
    fulfillmentStatus: order.fulfillmentStatus,
    total: order.priceSummary?.total?.amount,
    currency: order.currency,
    itemCount: order.lineItems?.reduce((n, item) => n + (item.quantity ?? 0), 0),
  };
}

/** Order with the fields a model needs to act on it. `buyerNote` is customer-written text. */
export function orderDetails(order: WixOrder) {
  return {
    ...orderSummary(order),
    buyer: {
      contactId: order.buyerInfo?.contactId,
      email: order.buyerInfo?.email,
      name:
        [order.billingInfo?.contactDetails?.firstName, order.billingInfo?.contactDetails?.lastName]
          .filter(Boolean)
          .join(' ') || undefined,
    },
    subtotal: order.priceSummary?.subtotal?.amount,
    shipping: order.priceSummary?.shipping?.amount,
    discount: order.priceSummary?.discount?.amount,
    shippingMethod: order.shippingInfo?.title,
    buyerNote: clip(order.buyerNote, BUYER_NOTE_MAX),
    items: (order.lineItems ?? []).slice(0, 50).map((item) => ({
      name: clip(item.productName?.translated ?? item.productName?.original, 200),
      quantity: item.quantity,
      price: item.price?.amount,
      productId: item.catalogReference?.catalogItemId,
    })),
  };
}

export function contactSummary(contact: WixContact) {
  const name = [contact.info?.name?.first, contact.info?.name?.last].filter(Boolean).join(' ');
  return {
    id: contact.id,
    name: name || undefined,
    email: contact.primaryInfo?.email ?? contact.info?.emails?.items?.[0]?.email,
    phone: contact.primaryInfo?.phone ?? contact.info?.phones?.items?.[0]?.phone,
    labels: contact.info?.labelKeys?.items ?? [],
    createdDate: contact.createdDate,
  };
}

export function contactDetails(contact: WixContact) {
  return {
    ...contactSummary(contact),
    /** Pass to update_contact: Wix refuses an update made from a stale revision. */
    revision: contact.revision,
    emails: (contact.info?.emails?.items ?? []).slice(0, 5).map((e) => e.email),
    phones: (contact.info?.phones?.items ?? []).slice(0, 5).map((p) => p.e164Phone ?? p.phone),
    company: clip(contact.info?.company, 200),
    jobTitle: clip(contact.info?.jobTitle, 200),
    lastActivity: contact.lastActivity,
    // Membership is the `members.membershipStatus` extended field (Contact v4 has no memberInfo).
    member: contactMembership(contact).member,
    memberStatus: contactMembership(contact).status,
  };
}

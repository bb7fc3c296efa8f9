/**
 * Entities the event builders start from: a realistic eCommerce order and a Contact v4, shaped as Wix
 * sends them (wix-reference.md §B1/B2; invented people, `example.com` emails, fictional 555-01xx phones).
 * Every build copies them and gives them fresh ids.
 */
const WIX_STORES_APP_ID = '215238eb-22a5-4c36-9e7b-e7c08025e04e';
const money = (amount: string) => ({ amount, formattedAmount: `$${amount}` });

export function orderTemplate(ids: {
  orderId: string;
  contactId: string;
  number: string;
  productId: string;
  lineItemId: string;
  now: string;
}): Record<string, unknown> {
  return {
    id: ids.orderId,
    number: ids.number,
    createdDate: ids.now,
    updatedDate: ids.now,
    status: 'APPROVED',
    paymentStatus: 'PAID',
    fulfillmentStatus: 'NOT_FULFILLED',
    currency: 'USD',
    buyerLanguage: 'en',
    siteLanguage: 'en',
    weightUnit: 'LB',
    taxIncludedInPrices: false,
    buyerInfo: { contactId: ids.contactId, email: 'ada.moreno@example.com', memberId: ids.contactId },
    billingInfo: {
      address: {
        country: 'US',
        subdivision: 'US-NY',
        city: 'Brooklyn',
        postalCode: '11215',
        addressLine: '12 Park Pl',
      },
      contactDetails: { firstName: 'Ada', lastName: 'Moreno', phone: '+1 212-555-0147' },
    },
    shippingInfo: {
      title: 'Standard Shipping',
      logistics: {
        deliveryTime: '3 - 5 business days',
        shippingDestination: {
          address: {
            country: 'US',
            subdivision: 'US-NY',
            city: 'Brooklyn',
            postalCode: '11215',
            addressLine: '12 Park Pl',
          },
          contactDetails: { firstName: 'Ada', lastName: 'Moreno' },
        },
      },
      cost: { price: money('6.95') },
    },
    lineItems: [
      {
        id: ids.lineItemId,
        productName: { original: 'Ceramic Pour-Over Set', translated: 'Ceramic Pour-Over Set' },
        catalogReference: { catalogItemId: ids.productId, appId: WIX_STORES_APP_ID },
        quantity: 1,
        price: money('48.00'),
        totalPriceAfterTax: money('52.26'),
        itemType: { preset: 'PHYSICAL' },
      },
    ],
    priceSummary: {
      subtotal: money('48.00'),
      shipping: money('6.95'),
      tax: money('4.26'),
      discount: money('0.00'),
      total: money('59.21'),
    },
    activities: [{ createdDate: ids.now, type: 'ORDER_PLACED' }],
    channelInfo: { type: 'WEB' },
    archived: false,
  };
}

export function contactTemplate(ids: { contactId: string; now: string }): Record<string, unknown> {
  return {
    id: ids.contactId,
    revision: 1,
    source: { sourceType: 'ADMIN' },
    createdDate: ids.now,
    updatedDate: ids.now,
    primaryInfo: { email: 'noor.haddad@example.com', phone: '+1 718-555-0163' },
    info: {
      name: { first: 'Noor', last: 'Haddad' },
      emails: { items: [{ tag: 'MAIN', email: 'noor.haddad@example.com', primary: true }] },
      phones: {
        items: [
          {
            tag: 'MOBILE',
            countryCode: 'US',
            phone: '+1 718-555-0163',
            e164Phone: '+17185550163',
            primary: true,
          },
        ],
      },
      labelKeys: { items: [] },
      extendedFields: { items: {} },
    },
    primaryEmail: {
      email: 'noor.haddad@example.com',
      subscriptionStatus: 'NOT_SET',
      deliverabilityStatus: 'NOT_SET',
    },
  };
}

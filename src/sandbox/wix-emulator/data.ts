import type { FulfillmentStatus, OrderStatus, PaymentStatus } from '../../wix/entities/order.js';
import { randomUUID } from 'node:crypto';
import {
  EMULATOR_APP_ID,
  WIX_STORES_APP_ID,
  money,
  slugify,
  stableId,
  type CatalogVersion,
  type Contact,
  type EmulatorSite,
  type Label,
  type Order,
  type Product,
} from './model.js';

export * from './model.js';

const DAY = 86_400_000;

export interface SiteInput {
  instanceId: string;
  name: string;
  /** Default V3_CATALOG. */
  catalogVersion?: CatalogVersion;
  /** Default USD. */
  currency?: string;
}

export interface ContactInput {
  id?: string;
  firstName: string;
  lastName?: string;
  email?: string;
  /** E.164, e.g. +12125550147. */
  phone?: string;
  company?: string;
  /** Label keys, e.g. custom.vip (created when missing). */
  labelKeys?: string[];
  extendedFields?: Record<string, unknown>;
  createdDaysAgo?: number;
}

export interface OrderItemInput {
  productId: string;
  quantity?: number;
  /** Default the product's price. */
  price?: number;
}
export interface OrderInput {
  id?: string;
  contactId: string;
  items: OrderItemInput[];
  /** Default APPROVED. */
  /** Wix's order statuses (src/wix/entities/order.ts). */
  status?: OrderStatus;
  /** Default PAID. */
  paymentStatus?: PaymentStatus;
  /** Default FULFILLED. */
  fulfillmentStatus?: FulfillmentStatus;
  createdDaysAgo?: number;
  buyerNote?: string;
  /** Default 5.00. */
  shipping?: number;
}

export interface ProductInput {
  id?: string;
  name: string;
  price: number;
  /** Default true. */
  trackInventory?: boolean;
  quantity?: number;
  availability?: Product['availability'];
}

/**
 * The emulator's sites and their data, with helpers that build entities in Wix's REST shapes.
 * Tests and the demo use the helpers to add what they need to a site.
 */
export class EmulatorData {
  readonly sites = new Map<string, EmulatorSite>();

  constructor(private readonly now: () => number = Date.now) {}

  site(instanceId: string): EmulatorSite | undefined {
    return this.sites.get(instanceId);
  }

  private require(instanceId: string): EmulatorSite {
    const site = this.sites.get(instanceId);
    if (!site) throw new Error(`no emulated site with instance id ${instanceId}`);
    return site;
  }

  private iso(daysAgo = 0): string {
    return new Date(this.now() - daysAgo * DAY).toISOString();
  }

  addSite(input: SiteInput): EmulatorSite {
    const site: EmulatorSite = {
      instanceId: input.instanceId,
      name: input.name,
      catalogVersion: input.catalogVersion ?? 'V3_CATALOG',
      currency: input.currency ?? 'USD',
      contacts: new Map(),
      orders: new Map(),
      labels: new Map(),
      products: new Map(),
      tasks: new Map(),
      conversations: new Map(),
      messages: new Map(),
      collections: new Map(),
      bookings: new Map(),
      nextOrderNumber: 10001,
    };
    this.sites.set(site.instanceId, site);
    return site;
  }

  /** Finds or creates a label by key (`custom.<slug>`) or display name. */
  addLabel(instanceId: string, displayName: string, options: { key?: string; system?: boolean } = {}): Label {
    const site = this.require(instanceId);
    const key = options.key ?? `custom.${slugify(displayName)}`;
    const existing = site.labels.get(key);
    if (existing) return existing;
    const date = this.iso();
    const label: Label = {
      namespace: key.split('.')[0] ?? 'custom',
      key,
      displayName,
      labelType: options.system ? 'SYSTEM' : 'USER_DEFINED',
      createdDate: date,
      updatedDate: date,
    };
    site.labels.set(key, label);
    return label;
  }

  addContact(instanceId: string, input: ContactInput): Contact {
    const site = this.require(instanceId);
    const id = input.id ?? stableId(`${instanceId}/contact/${input.email ?? input.phone ?? input.firstName}`);
    const created = this.iso(input.createdDaysAgo ?? 0);
    for (const key of input.labelKeys ?? []) {
      if (!site.labels.has(key)) this.addLabel(instanceId, key.replace(/^custom\./, ''), { key });
    }
    const email = input.email?.toLowerCase();
    const contact: Contact = {
      id,
      revision: 1,
      source: { sourceType: 'WIX_APP', appId: WIX_STORES_APP_ID },
      createdDate: created,
      updatedDate: created,
      lastActivity: { activityDate: created, activityType: 'CONTACT_CREATED' },
      primaryInfo: { ...(email ? { email } : {}), ...(input.phone ? { phone: input.phone } : {}) },
      ...(email
        ? { primaryEmail: { email, subscriptionStatus: 'NOT_SET', deliverabilityStatus: 'VALID' } }
        : {}),
      info: {
        name: { first: input.firstName, ...(input.lastName ? { last: input.lastName } : {}) },
        emails: { items: email ? [{ id: stableId(`${id}/email`), tag: 'MAIN', email, primary: true }] : [] },
        phones: {
          items: input.phone
            ? [
                {
                  id: stableId(`${id}/phone`),
                  tag: 'MOBILE',
                  phone: input.phone,
                  e164Phone: input.phone,
                  primary: true,
                },
              ]
            : [],
        },
        labelKeys: { items: [...(input.labelKeys ?? [])] },
        extendedFields: { items: { ...input.extendedFields } },
        ...(input.company ? { company: input.company } : {}),
      },
    };
    site.contacts.set(id, contact);
    return contact;
  }

  addProduct(instanceId: string, input: ProductInput): Product {
    const site = this.require(instanceId);
    const product: Product = {
      id: input.id ?? stableId(`${instanceId}/product/${input.name}`),
      name: input.name,
      slug: slugify(input.name),
      price: input.price,
      trackInventory: input.trackInventory ?? true,
      ...(input.quantity !== undefined ? { quantity: input.quantity } : {}),
      ...(input.availability ? { availability: input.availability } : {}),
      createdDate: this.iso(200),
    };
    site.products.set(product.id, product);
    return product;
  }

  addOrder(instanceId: string, input: OrderInput): Order {
    const site = this.require(instanceId);
    const contact = site.contacts.get(input.contactId);
    if (!contact) throw new Error(`no contact ${input.contactId} on ${instanceId}`);
    const number = String(site.nextOrderNumber++);
    const id = input.id ?? stableId(`${instanceId}/order/${number}`);
    const created = this.iso(input.createdDaysAgo ?? 0);
    const c = site.currency;
    const lineItems = input.items.map((item, i) => {
      const product = site.products.get(item.productId);
      if (!product) throw new Error(`no product ${item.productId} on ${instanceId}`);
      const quantity = item.quantity ?? 1;
      const price = item.price ?? product.price;
      return {
        id: stableId(`${id}/line/${i}`),
        productName: { original: product.name, translated: product.name },
        catalogReference: { catalogItemId: product.id, appId: WIX_STORES_APP_ID },
        quantity,
        price: money(price, c),
        priceBeforeDiscounts: money(price, c),
        totalPriceAfterTax: money(price * quantity, c),
        itemType: { preset: 'PHYSICAL' },
        physicalProperties: { sku: product.slug.toUpperCase().slice(0, 12), shippable: true },
        paymentOption: 'FULL_PAYMENT_ONLINE',
      };
    });
    const subtotal = lineItems.reduce((sum, li) => sum + Number(li.totalPriceAfterTax.amount), 0);
    const shipping = input.shipping ?? 5;
    const name = { firstName: contact.info.name.first, lastName: contact.info.name.last ?? '' };
    const order: Order = {
      id,
      number,
      createdDate: created,
      updatedDate: created,
      status: input.status ?? 'APPROVED',
      paymentStatus: input.paymentStatus ?? 'PAID',
      fulfillmentStatus: input.fulfillmentStatus ?? 'FULFILLED',
      currency: c,
      weightUnit: 'KG',
      taxIncludedInPrices: true,
      buyerLanguage: 'en',
      siteLanguage: 'en',
      buyerInfo: {
        contactId: contact.id,
        ...(contact.primaryInfo.email ? { email: contact.primaryInfo.email } : {}),
      },
      lineItems,
      priceSummary: {
        subtotal: money(subtotal, c),
        shipping: money(shipping, c),
        tax: money(0, c),
        discount: money(0, c),
        total: money(subtotal + shipping, c),
      },
      billingInfo: { contactDetails: name },
      shippingInfo: { title: 'Standard Shipping', cost: { price: money(shipping, c) } },
      channelInfo: { type: 'WEB' },
      ...(input.buyerNote ? { buyerNote: input.buyerNote } : {}),
      activities: [
        {
          id: stableId(`${id}/placed`),
          createdDate: created,
          type: 'ORDER_PLACED',
          activityType: 'ORDER_PLACED',
        },
      ],
      archived: false,
      seenByAHuman: false,
    };
    site.orders.set(id, order);
    return order;
  }

  /** Adds an item to a CMS collection (created when missing). */
  addDataItem(
    instanceId: string,
    collectionId: string,
    data: Record<string, unknown>,
  ): Record<string, unknown> {
    const site = this.require(instanceId);
    let collection = site.collections.get(collectionId);
    if (!collection) {
      collection = new Map();
      site.collections.set(collectionId, collection);
    }
    const id = typeof data._id === 'string' ? data._id : randomUUID();
    const date = { $date: this.iso() };
    const item = { _id: id, _createdDate: date, _updatedDate: date, _owner: EMULATOR_APP_ID, ...data };
    collection.set(id, item);
    return item;
  }
}

import { createHash } from 'node:crypto';

/** Wix Stores app id, as in catalogReference.appId of order line items. */
export const WIX_STORES_APP_ID = '215238eb-22a5-4c36-9e7b-e7c08025e04e';
/** The app the emulator pretends the caller is (task/message `source.appId`). */
export const EMULATOR_APP_ID = 'c0ffee00-5eed-4a11-b0a7-0000000000e1';

/** A GUID derived from a name, so seeded ids are the same on every run. */
export function stableId(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface Money {
  amount: string;
  formattedAmount: string;
}
/** Wix entities are stored in their REST shape; these types name the fields the emulator sets. */
export type Entity = Record<string, unknown> & { id: string };
export type Contact = Entity & {
  revision: number;
  createdDate: string;
  updatedDate: string;
  primaryInfo: { email?: string; phone?: string };
  info: {
    name: { first: string; last?: string };
    emails: { items: { id: string; tag: string; email: string; primary: boolean }[] };
    phones: { items: { id: string; tag: string; phone: string; e164Phone?: string; primary: boolean }[] };
    labelKeys: { items: string[] };
    extendedFields: { items: Record<string, unknown> };
    company?: string;
  };
};
export type Order = Entity & {
  number: string;
  createdDate: string;
  status: string;
  currency: string;
  buyerInfo: { contactId: string; email?: string };
  activities: Record<string, unknown>[];
};
export type Label = { key: string; displayName: string; namespace: string; labelType: string } & Record<
  string,
  unknown
>;
export interface Product {
  id: string;
  name: string;
  slug: string;
  price: number;
  trackInventory: boolean;
  /** Tracked quantity (V1 shows it; V3 shows only availability). */
  quantity?: number;
  /** Stock status when not derived from quantity, e.g. PARTIALLY_OUT_OF_STOCK or PREORDER. */
  availability?: 'IN_STOCK' | 'OUT_OF_STOCK' | 'PARTIALLY_OUT_OF_STOCK' | 'PREORDER';
  createdDate: string;
  /** Set once the product was written through the API (default: revision 1, visible, never updated). */
  revision?: number;
  visible?: boolean;
  updatedDate?: string;
  /** HTML (V3 `plainDescription`, V1 `description`). */
  description?: string;
  sku?: string;
}

export type CatalogVersion = 'V1_CATALOG' | 'V3_CATALOG' | 'STORES_NOT_INSTALLED';

/** One site (app instance) and everything on it. */
export interface EmulatorSite {
  instanceId: string;
  name: string;
  catalogVersion: CatalogVersion;
  /** Catalog V3 still being provisioned: V3 calls answer 428 CATALOG_V3_SITE_PROVISIONING until cleared. */
  catalogProvisioning?: boolean;
  currency: string;
  contacts: Map<string, Contact>;
  orders: Map<string, Order>;
  labels: Map<string, Label>;
  products: Map<string, Product>;
  tasks: Map<string, Entity>;
  conversations: Map<string, Entity>;
  messages: Map<string, Entity[]>;
  /** Wix Bookings bookings in their REST shape (src/sandbox/wix-emulator/bookings.ts). */
  bookings: Map<string, Entity>;
  /** Bookable services and scheduled class sessions (a site without them offers none). */
  bookingServices?: EmulatedService[];
  classSessions?: EmulatedSession[];
  /** CMS collections: collection id → item id → item data (with `_id`). */
  collections: Map<string, Map<string, Record<string, unknown>>>;
  nextOrderNumber: number;
}

const symbols: Record<string, string> = { USD: '$', EUR: '€', GBP: '£' };

export function money(amount: number, currency: string): Money {
  const fixed = amount.toFixed(2);
  const symbol = symbols[currency];
  return { amount: fixed, formattedAmount: symbol ? `${symbol}${fixed}` : `${fixed} ${currency}` };
}

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Stock status as Wix reports it. */
export function availabilityOf(product: Product): NonNullable<Product['availability']> {
  if (product.availability) return product.availability;
  if (!product.trackInventory) return 'IN_STOCK';
  return (product.quantity ?? 0) > 0 ? 'IN_STOCK' : 'OUT_OF_STOCK';
}

/** A bookable service of a seeded site: an appointment (any slot) or a class (its sessions). */
export interface EmulatedService {
  id: string;
  name: string;
  type: 'APPOINTMENT' | 'CLASS';
}

/** A scheduled class session (a calendar event) that a class booking names by `eventId`. */
export interface EmulatedSession {
  eventId: string;
  serviceId: string;
  /** Local time in `timezone`, `YYYY-MM-DDThh:mm:ss`. */
  start: string;
  end: string;
  timezone: string;
}

/**
 * The entity types a handler receives, by event type. Built on the zod models of the Wix entities (the
 * same ones that parse Wix's REST answers), minus their catch-all index signature, so reading a field the
 * model does not have is a compile error (unknown fields Wix sends are still kept at run time).
 */
import type { WixContact } from '../wix/resources/contacts.js';
import type { WixOrder } from '../wix/resources/orders.js';

type KnownKeys<T> = keyof {
  [K in keyof T as string extends K ? never : number extends K ? never : K]: 0;
};

/**
 * `T` without the index signatures that loose zod objects add next to their named fields (a plain
 * record such as `extendedFields.items` keeps its own).
 */
export type Known<T> = T extends readonly (infer U)[]
  ? Known<U>[]
  : T extends object
    ? [KnownKeys<T>] extends [never]
      ? { [K in keyof T]: Known<T[K]> }
      : { [K in keyof T as string extends K ? never : number extends K ? never : K]: Known<T[K]> }
    : T;

/** An eCommerce order (`wix.ecom.v1.order`), as Wix sends it in order events and `get_order` reads it. */
export type Order = Known<WixOrder>;
/** A contact (`wix.contacts.v4.contact`), as Wix sends it in contact events. */
export type Contact = Known<WixContact>;

/**
 * The entity of an event type: orders for the order events (`order_created`, `order_approved`, any
 * `wix.ecom.v1.order_*`), contacts for the contact events (`contact_created`, any
 * `wix.contacts.v4.contact_*`), a plain JSON object for any other Wix event.
 */
export type EntityOf<T extends string> = T extends
  'order_created' | 'order_approved' | `wix.ecom.v1.order_${string}`
  ? Order
  : T extends 'contact_created' | `wix.contacts.v4.contact_${string}`
    ? Contact
    : Record<string, unknown>;

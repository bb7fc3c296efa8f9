/**
 * Plain English for each tool call, keyed by tool name: a new tool adds one line here. `did` is what
 * happened ("labelled the buyer's contact “vip”"), `todo` the same action not (yet) done ("label the
 * buyer's contact “vip”"). Customer text is quoted and clipped; the page escapes it.
 */
import { asArray as arr, asObject as obj, asString as str, type Json } from '../lib/json-shape.js';

export interface Phrase {
  did: string;
  todo: string;
}

/** What the console knows about the run's event, to name things the way a person would. */
export interface DescribeContext {
  /** The contact the event is about (the order's buyer, or the new contact). */
  subjectContactId?: string | undefined;
  /** How to call that contact: "the buyer's contact" or "the new contact". */
  subjectName?: string | undefined;
  /** The order the event is about. */
  orderId?: string | undefined;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const quote = (v: unknown, n = 80) => `“${clip(str(v) ?? '', n)}”`;
const list = (v: unknown) =>
  arr(v)
    .map((x) => quote(x, 40))
    .join(', ');

function contact(id: unknown, ctx: DescribeContext, stranger = 'contact'): string {
  const s = str(id);
  if (!s) return 'a contact';
  if (ctx.subjectContactId && s === ctx.subjectContactId) return ctx.subjectName ?? 'the contact';
  return `${stranger} ${s}`;
}

function order(id: unknown, ctx: DescribeContext): string {
  const s = str(id);
  if (ctx.orderId && s === ctx.orderId) return 'this order';
  return s ? `order ${s}` : 'an order';
}

type Describer = (args: Json, ctx: DescribeContext) => Phrase;

/** One entry per tool. */
export const toolPhrases: Record<string, Describer> = {
  get_order: (a, c) => ({ did: `looked up ${order(a.orderId, c)}`, todo: `look up ${order(a.orderId, c)}` }),
  search_orders: (a, c) => {
    const whose = a.contactId
      ? `of ${contact(a.contactId, c)}`
      : a.email
        ? `by email ${quote(a.email, 60)}`
        : '';
    return { did: `searched the orders ${whose}`.trim(), todo: `search the orders ${whose}`.trim() };
  },
  get_contact: (a, c) => ({
    did: `looked up ${contact(a.contactId, c)}`,
    todo: `look up ${contact(a.contactId, c)}`,
  }),
  find_contacts: (a) => {
    const by = a.email ? `email ${quote(a.email, 60)}` : `phone ${quote(a.phone, 30)}`;
    return { did: `looked for other contacts with ${by}`, todo: `look for other contacts with ${by}` };
  },
  check_inventory: (a) => {
    const n = arr(a.productIds).length;
    const what = `${n} product${n === 1 ? '' : 's'}`;
    return { did: `checked the stock of ${what}`, todo: `check the stock of ${what}` };
  },
  query_data_items: (a) => ({
    did: `read items of the data collection ${quote(a.collectionId, 60)}`,
    todo: `read items of the data collection ${quote(a.collectionId, 60)}`,
  }),
  label_contact: (a, c) => ({
    did: `labelled ${contact(a.contactId, c)} ${list(a.labels)}`,
    todo: `label ${contact(a.contactId, c)} ${list(a.labels)}`,
  }),
  create_task: (a, c) => {
    const about = a.contactId ? ` for ${contact(a.contactId, c)}` : '';
    return {
      did: `created the task ${quote(a.title)}${about}`,
      todo: `create the task ${quote(a.title)}${about}`,
    };
  },
  add_order_note: (a, c) => ({
    did: `added an internal note to ${order(a.orderId, c)}: ${quote(a.note, 120)}`,
    todo: `add an internal note to ${order(a.orderId, c)}: ${quote(a.note, 120)}`,
  }),
  send_inbox_message: (a, c) => {
    const to = contact(a.contactId, c, 'a stranger, contact');
    const how = a.visibility === 'customer' ? 'a message to' : 'a staff-only message on the inbox of';
    return {
      did: `sent ${how} ${to}: ${quote(a.text, 100)}`,
      todo: `send ${how} ${to}: ${quote(a.text, 100)}`,
    };
  },
  get_product: (a) => ({
    did: `looked up the product ${quote(a.productId, 60)}`,
    todo: `look up the product ${quote(a.productId, 60)}`,
  }),
  query_products: () => ({ did: 'searched the store catalog', todo: 'search the store catalog' }),
  cancel_order: (a, c) => ({
    did: `cancelled ${order(a.orderId, c)}`,
    todo: `cancel ${order(a.orderId, c)}`,
  }),
  create_contact: (a) => {
    const who = a.email ? ` with email ${quote(a.email, 60)}` : '';
    return { did: `created a contact${who}`, todo: `create a contact${who}` };
  },
  update_contact: (a, c) => ({
    did: `updated ${contact(a.contactId, c)}`,
    todo: `update ${contact(a.contactId, c)}`,
  }),
  get_member: (a) => ({
    did: `looked up the member ${quote(a.memberId, 60)}`,
    todo: `look up the member ${quote(a.memberId, 60)}`,
  }),
  list_members: () => ({ did: 'listed the site members', todo: 'list the site members' }),
  query_members: () => ({ did: 'searched the site members', todo: 'search the site members' }),
  query_events: () => ({ did: 'searched the site events', todo: 'search the site events' }),
  get_data_collection: (a) => ({
    did: `read the fields of the data collection ${quote(a.collectionId, 60)}`,
    todo: `read the fields of the data collection ${quote(a.collectionId, 60)}`,
  }),
  insert_data_item: (a) => ({
    did: `added an item to the data collection ${quote(a.collectionId, 60)}`,
    todo: `add an item to the data collection ${quote(a.collectionId, 60)}`,
  }),
  save_data_item: (a) => ({
    did: `replaced the item ${quote(a.itemId, 60)} of the data collection ${quote(a.collectionId, 60)}`,
    todo: `replace the item ${quote(a.itemId, 60)} of the data collection ${quote(a.collectionId, 60)}`,
  }),
  // Tool catalog (issue 14), second part.
  search_products: (a) => {
    const what = a.text ? ` for ${quote(a.text, 60)}` : '';
    return { did: `searched the store catalog${what}`, todo: `search the store catalog${what}` };
  },
  create_product: (a) => ({
    did: `created the product ${quote(a.name, 80)} at ${quote(a.price, 20)}`,
    todo: `create the product ${quote(a.name, 80)} at ${quote(a.price, 20)}`,
  }),
  update_product: (a) => ({
    did: `updated the product ${quote(a.productId, 60)}`,
    todo: `update the product ${quote(a.productId, 60)}`,
  }),
  bulk_update_products: (a) => {
    const n = arr(a.products).length;
    const what = `${n} product${n === 1 ? '' : 's'}`;
    return { did: `updated ${what} at once`, todo: `update ${what} at once` };
  },
  create_order: (a, c) => {
    const n = arr(a.items).length;
    const who = a.contactId ? ` for ${contact(a.contactId, c)}` : a.email ? ` for ${quote(a.email, 60)}` : '';
    const what = `an order of ${n} line${n === 1 ? '' : 's'}${who}`;
    return { did: `recorded ${what}`, todo: `record ${what}` };
  },
  update_order: (a, c) => ({ did: `updated ${order(a.orderId, c)}`, todo: `update ${order(a.orderId, c)}` }),
  // Bookings (issue 14).
  query_bookings: (a, c) => {
    const whose = a.contactId ? ` of ${contact(a.contactId, c)}` : '';
    return { did: `looked up the bookings${whose}`, todo: `look up the bookings${whose}` };
  },
  create_booking: (a, c) => {
    const when = a.startDate ? ` at ${quote(a.startDate, 19)}` : a.eventId ? ' into a class session' : '';
    const what = `${contact(a.contactId, c)}${when}`;
    return { did: `booked ${what}`, todo: `book ${what}` };
  },
};

/** The phrase for a call; tools without an entry get a neutral one naming the tool. */
export function describeTool(tool: string, args: unknown, ctx: DescribeContext = {}): Phrase {
  const describer = Object.hasOwn(toolPhrases, tool) ? toolPhrases[tool] : undefined;
  if (describer) return describer(obj(args), ctx);
  return { did: `called the tool ${tool}`, todo: `call the tool ${tool}` };
}

/** The context for describing calls made on an event (the bus event, as published). */
export function contextOfEvent(event: unknown): DescribeContext {
  const e = obj(event);
  const entity = obj(e.entity);
  if (e.type === 'order_created' || e.type === 'order_approved') {
    return {
      subjectContactId: str(obj(entity.buyerInfo).contactId),
      subjectName: "the buyer's contact",
      orderId: str(entity.id) ?? str(e.entityId),
    };
  }
  if (e.type === 'contact_created') {
    return { subjectContactId: str(entity.id) ?? str(e.entityId), subjectName: 'the new contact' };
  }
  return {};
}

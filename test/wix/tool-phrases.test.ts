/**
 * One phrase per tool call: every catalog tool words its own calls (`describe`), and what has no phrase
 * (an unknown tool, a tool without `describe`, arguments its schema refuses) gets the fallback.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeToolCall } from '../../src/wix/tools/describe-call.js';
import { fallbackPhrase } from '../../src/wix/tools/phrase.js';
import {
  defineTool,
  getOrderTool,
  wixTools,
  type AnyWixTool,
  type WixToolName,
} from '../../src/wix/tools/index.js';

/** A valid call of each tool, and a word of it its phrase must name. */
const samples = {
  add_order_note: [{ orderId: 'o-1', note: 'Gift wrap please' }, 'Gift wrap please'],
  bulk_update_products: [
    {
      products: [
        { productId: 'p-1', revision: '3', visible: false },
        { productId: 'p-2', revision: '4', visible: false },
      ],
    },
    '2 products',
  ],
  cancel_order: [{ orderId: 'o-77' }, 'o-77'],
  check_inventory: [{ productIds: ['p-1', 'p-2', 'p-3'] }, '3 products'],
  create_booking: [
    {
      contactId: 'c-5',
      serviceId: 's-1',
      startDate: '2026-03-02T09:00:00',
      endDate: '2026-03-02T10:00:00',
    },
    '2026-03-02T09:00:00',
  ],
  create_contact: [{ firstName: 'Ann', email: 'ann@example.com' }, 'ann@example.com'],
  create_order: [
    { email: 'bob@example.com', items: [{ productId: 'p-1', name: 'Mug', quantity: 2, price: '9.50' }] },
    'bob@example.com',
  ],
  create_product: [{ name: 'House blend', price: '24.50' }, 'House blend'],
  create_task: [{ title: 'Call the buyer back' }, 'Call the buyer back'],
  find_contacts: [{ phone: '+12125550147' }, '+12125550147'],
  get_contact: [{ contactId: 'c-9' }, 'c-9'],
  get_data_collection: [{ collectionId: 'FAQ' }, 'FAQ'],
  get_member: [{ memberId: 'm-3' }, 'm-3'],
  get_order: [{ orderId: 'o-12' }, 'o-12'],
  get_product: [{ productId: 'p-8' }, 'p-8'],
  label_contact: [{ contactId: 'c-1', labels: ['VIP'] }, 'VIP'],
  list_members: [{ cursor: 'offset:20' }, 'next page'],
  query_bookings: [{ contactId: 'c-4' }, 'c-4'],
  query_data_items: [{ collectionId: 'Recipes' }, 'Recipes'],
  query_events: [{ statuses: ['UPCOMING'] }, 'UPCOMING'],
  query_members: [{ loginEmail: 'eve@example.com' }, 'eve@example.com'],
  query_products: [{ slug: 'house-blend-1kg' }, 'house-blend-1kg'],
  search_orders: [{ email: 'dan@example.com' }, 'dan@example.com'],
  search_products: [{ text: 'decaf' }, 'decaf'],
  send_inbox_message: [{ contactId: 'c-2', text: 'Your parcel left today' }, 'Your parcel left today'],
  update_contact: [{ contactId: 'c-6', revision: 2, firstName: 'Ann' }, 'c-6'],
  update_order: [{ orderId: 'o-5', archived: true }, 'o-5'],
  update_product: [{ productId: 'p-6', revision: '7', visible: true }, 'p-6'],
  insert_data_item: [{ collectionId: 'Leads', data: { name: 'Ann' } }, 'Leads'],
  save_data_item: [{ collectionId: 'Leads', itemId: 'i-9', data: { name: 'Ann' } }, 'i-9'],
} satisfies Record<WixToolName, [Record<string, unknown>, string]>;

/** Whether `tool` words a call itself: it has a `describe`, and its phrase is not the fallback. */
function hasOwnPhrase(tool: AnyWixTool, input: unknown): boolean {
  const { todo, did } = describeToolCall(tool, input);
  const fallback = fallbackPhrase(tool.name, input);
  return typeof tool.describe === 'function' && todo !== fallback.todo && did !== fallback.did;
}

describe('tool phrases', () => {
  it('has a sample call for every catalog tool, valid for its schema', () => {
    for (const tool of wixTools) {
      const sample = (samples as Record<string, [unknown, string] | undefined>)[tool.name];
      expect(sample, `${tool.name}: add a sample call to this test`).toBeDefined();
      expect(tool.input.safeParse(sample![0]).success, tool.name).toBe(true);
    }
  });

  it('words every catalog tool’s call itself, naming what the call is about, in both tenses', () => {
    for (const tool of wixTools) {
      const [input, named] = samples[tool.name as WixToolName];
      expect(hasOwnPhrase(tool, input), `${tool.name} has no describe of its own`).toBe(true);
      const { todo, did } = describeToolCall(tool.name, input);
      expect(todo, tool.name).toContain(named);
      expect(did, tool.name).toContain(named);
    }
  });

  it('would notice a catalog tool without a phrase', () => {
    const { describe: _, ...bare } = getOrderTool;
    expect(hasOwnPhrase(bare, samples.get_order[0])).toBe(false);
    expect(describeToolCall(bare, { orderId: 'o-12' })).toEqual(
      fallbackPhrase('get_order', { orderId: 'o-12' }),
    );
  });

  it('names the event’s own contact and order the way a person would', () => {
    const about = { subjectContactId: 'buyer', subjectName: "the buyer's contact", orderId: 'o-1' };
    expect(describeToolCall('label_contact', { contactId: 'buyer', labels: ['vip'] }, about)).toEqual({
      todo: "label the buyer's contact “vip”",
      did: "labelled the buyer's contact “vip”",
    });
    expect(describeToolCall('cancel_order', { orderId: 'o-1' }, about).todo).toBe('cancel this order');
    expect(describeToolCall('send_inbox_message', { contactId: 'c-2', text: 'hi' }, about).todo).toBe(
      'send a staff-only message on the inbox of a stranger, contact c-2: “hi”',
    );
    // Without an event to go by, no contact is a stranger.
    expect(describeToolCall('send_inbox_message', { contactId: 'c-2', text: 'hi' }).todo).toBe(
      'send a staff-only message on the inbox of contact c-2: “hi”',
    );
  });

  it('gives an unknown tool, a tool without describe and refused arguments the fallback', () => {
    expect(describeToolCall('refund_order', { orderId: 'x' })).toEqual({
      todo: 'call the tool refund_order {"orderId":"x"}',
      did: 'called the tool refund_order {"orderId":"x"}',
    });
    expect(describeToolCall('toString', {})).toEqual({
      todo: 'call the tool toString',
      did: 'called the tool toString',
    });
    const ownTool = defineTool({
      name: 'ping_crm',
      description: 'Pings the CRM.',
      input: z.object({ host: z.string() }),
      access: 'read',
      tags: [],
      execute: async () => ({}),
    });
    expect(describeToolCall(ownTool, { host: 'crm' }).todo).toBe('call the tool ping_crm {"host":"crm"}');
    expect(describeToolCall('label_contact', { contactId: 'c-1', labels: [] }).todo).toBe(
      'call the tool label_contact {"contactId":"c-1","labels":[]}',
    );
    const long = describeToolCall('refund_order', { reason: 'x'.repeat(200) }).todo;
    expect(long).toMatch(/^call the tool refund_order \{"reason":"x+…$/);
    expect(long.length).toBeLessThan(120);
  });
});

/**
 * Type tests for the public API, checked by `npm run typecheck` (tsc), never run. Each
 * `@ts-expect-error` must stay an error: if a mistake ever compiles, tsc fails on the unused directive.
 */
import { expectTypeOf } from 'vitest';
import { z } from 'zod';
import {
  addOrderNoteTool,
  createBookingTool,
  defineHandler,
  searchProductsTool,
  getOrderTool,
  labelContactTool,
  type Contact,
  type Order,
  type Service,
  type ServiceEvents,
  type DeliverySettled,
  type RunFinished,
  type WixToolName,
  type WriteRequest,
} from '../src/index.js';

// The entity is typed by the event: an order for order_approved.
defineHandler({
  name: 'typed-order',
  on: 'order_approved',
  tools: [getOrderTool, addOrderNoteTool],
  instructions: 'x',
  data: (event) => {
    expectTypeOf(event.entity).toEqualTypeOf<Order>();
    expectTypeOf(event.entity.buyerNote).toEqualTypeOf<string | undefined>();
    // @ts-expect-error an order has no `favouriteColour`
    return { colour: event.entity.favouriteColour };
  },
  guard: (write, event) => {
    // The guard sees only the declared tools, each with its parsed input type.
    expectTypeOf(write.tool).toEqualTypeOf<'get_order' | 'add_order_note'>();
    if (write.tool === 'add_order_note') {
      expectTypeOf(write.input).toEqualTypeOf<{ orderId: string; note: string }>();
      return write.input.orderId === event.entity.id ? undefined : 'only this order';
    }
    // @ts-expect-error label_contact is not a tool of this handler
    if (write.tool === 'label_contact') return 'never';
    return undefined;
  },
});

// A contact for contact events, by built-in name or Wix name.
defineHandler({
  name: 'typed-contact',
  on: 'wix.contacts.v4.contact_updated',
  tools: [labelContactTool],
  instructions: 'x',
  data: (event) => {
    expectTypeOf(event.entity).toEqualTypeOf<Contact>();
    // @ts-expect-error a contact has no `buyerNote`
    return { note: event.entity.buyerNote };
  },
  guard: (write) => {
    // @ts-expect-error label_contact's input has no `orderId`
    return write.input.orderId;
  },
});

// Settings are typed by their schema.
defineHandler({
  name: 'typed-settings',
  on: 'order_created',
  tools: [],
  settings: { prefix: 'X_', schema: z.object({ minTotal: z.coerce.number().default(1) }) },
  instructions: (settings) => {
    expectTypeOf(settings.minTotal).toEqualTypeOf<number>();
    // @ts-expect-error not a declared setting
    return String(settings.maxTotal);
  },
  data: () => ({}),
});

// An event type that is neither built in nor a Wix event type does not compile.
defineHandler({
  name: 'typo',
  // @ts-expect-error `order_aproved` is not an event type
  on: 'order_aproved',
  tools: [],
  instructions: 'x',
  data: () => ({}),
});

expectTypeOf<WriteRequest<readonly [typeof addOrderNoteTool]>>().toEqualTypeOf<{
  tool: 'add_order_note';
  input: { orderId: string; note: string };
}>();

// Every tool of the catalog is public by name, with its literal name for guards.
expectTypeOf(createBookingTool.name).toEqualTypeOf<'create_booking'>();
defineHandler({
  name: 'catalog-tools',
  on: 'order_approved',
  tools: [searchProductsTool, createBookingTool],
  instructions: 'x',
  data: () => ({}),
  guard: (write) => (write.tool === 'create_booking' ? undefined : 'only bookings'),
});

// The catalog's names are a union of literals (one line per tool in src/wix/tools/list.ts).
expectTypeOf<'get_order'>().toExtend<WixToolName>();
expectTypeOf<'create_booking'>().toExtend<WixToolName>();
// @ts-expect-error not a tool of the catalog
expectTypeOf<'refund_everything'>().toExtend<WixToolName>();

// An embedder listens to what the service announces, typed by event.
declare const service: Service;
expectTypeOf(service.events).toEqualTypeOf<ServiceEvents>();
service.events.on('settled', (settled) => expectTypeOf(settled).toEqualTypeOf<DeliverySettled>());
service.events.on('run', (run) => expectTypeOf(run).toEqualTypeOf<RunFinished>());

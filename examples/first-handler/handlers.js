// @ts-check
import { z } from 'zod';
import { addOrderNoteTool, defineHandler, getContactTool } from 'wix-event-agent';

/**
 * thank-big-orders: when Wix approves an order above THANKS_MIN_TOTAL (default 100), leave an internal
 * note on the order so the team sends a thank-you card.
 */
export const thankBigOrders = defineHandler({
  name: 'thank-big-orders',
  on: 'order_approved',
  tools: [getContactTool, addOrderNoteTool],
  // THANKS_MIN_TOTAL: orders above it get the note.
  settings: { prefix: 'THANKS_', schema: z.object({ minTotal: z.coerce.number().positive().default(100) }) },
  instructions: ({ minTotal }) => `An order was approved. If its total is above ${minTotal}, look up the buyer
(get_contact) and add one internal note to the order (add_order_note) saying "Send a thank-you card to
<name>". Otherwise do nothing. Summarise what you did in one sentence.`,
  // What the model sees, as data: never the whole order.
  data: (event) => ({
    orderId: event.entity.id,
    number: event.entity.number,
    total: Number(event.entity.priceSummary?.total?.amount ?? 0),
    buyerContactId: event.entity.buyerInfo?.contactId,
  }),
  // Whatever the model asks, a note may only go on this event's order.
  guard: (write, event) =>
    write.tool === 'add_order_note' && write.input.orderId !== event.entity.id
      ? 'notes may only go on the approved order'
      : undefined,
  // What the sandbox model (serve --sandbox, no LLM needed) does for this handler.
  sandbox: [
    (ctx) =>
      Number(ctx.data.total) > 100 && ctx.data.buyerContactId
        ? { calls: [{ tool: 'get_contact', input: { contactId: ctx.data.buyerContactId } }] }
        : { text: 'Below the threshold: nothing to do.' },
    (ctx) => {
      const contact = /** @type {{ name?: string } | undefined} */ (ctx.results[0]?.result);
      const note = `Send a thank-you card to ${contact?.name ?? 'the buyer'}`;
      return { calls: [{ tool: 'add_order_note', input: { orderId: ctx.data.orderId, note } }] };
    },
    { text: 'Added a thank-you note.' },
  ],
});

export default [thankBigOrders];

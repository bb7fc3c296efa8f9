import { createTaskTool, defineHandler, getContactTool, orderFacts } from '../../src/api.js';

/** Flags orders above 1,000 for a personal thank-you call (the README's example; not built in). */
export const bigOrderAlert = defineHandler({
  name: 'big-order-alert',
  on: 'order_created',
  tools: [getContactTool, createTaskTool],
  instructions: `If the order total is above 1000, look up the buyer and create one task
"Call <name> to thank them for order #<number>" linked to the buyer's contact. Otherwise do nothing.`,
  // What the model sees, as data (never the whole entity).
  data: (event) => orderFacts(event.entity),
  // Writes outside the handler's purpose are refused, whatever the model asks.
  guard: (write, event) =>
    write.tool === 'create_task' && write.input.contactId !== event.entity.buyerInfo?.contactId
      ? 'tasks may only be about the buyer'
      : undefined,
  mode: 'approval', // a person approves each task; drop this line to follow AGENT_MODE
  limits: { maxSteps: 4, writesPerTool: { create_task: 1 } },
});

/**
 * `wix-event-agent/testing`: test your handlers with the real pipeline in-process.
 *
 * ```ts
 * const harness = await createHarness({ handlers: [myHandler] });
 * const event = orderApproved({ buyerNote: 'Gift wrap, please' });
 * const done = await harness.send(event, { script: [{ calls: [{ tool: 'add_order_note', input: {...} }] }] });
 * expect(done.calls[0].status).toBe('executed');
 * ```
 */
export {
  contactCreated,
  contactDeleted,
  contactFromForm,
  contactUpdated,
  eventByName,
  orderApproved,
  orderCreated,
  wixEvent,
  type EventOptions,
  type Overrides,
  type TestEvent,
} from '../sandbox/builders.js';
export {
  createHarness,
  type Delivered,
  type Harness,
  type HarnessOptions,
  type RequestRecord,
  type RunRecord,
  type ToolCallRecord,
} from './harness.js';
export { scriptedModel, type ScriptedModel } from './scripted-model.js';
export { signEvent, testSigningKey } from './sign.js';
export type { SandboxScript, ScriptCall, ScriptContext, ScriptStep, ScriptTurn } from '../handlers/script.js';

import { afterAll, beforeAll, expect, it } from 'vitest';
import { EMULATOR_INSTANCES, SEED_IDS } from '../../src/sandbox/wix-emulator.js';
import { getContact } from '../../src/wix/resources/contacts.js';
import { getOrCreateConversation, sendMessage } from '../../src/wix/resources/inbox.js';
import { findOrCreateLabel, labelContact } from '../../src/wix/resources/labels.js';
import { addMerchantComment, getOrder, searchOrders } from '../../src/wix/resources/orders.js';
import { getCatalogVersion } from '../../src/wix/resources/stores.js';
import { createTask } from '../../src/wix/resources/tasks.js';
import { startHarness, type Harness } from './support.js';

/**
 * zod compiles a parser for each schema the first time it parses (`new Function`): a schema built
 * inside a call (`parseBody(z.looseObject({ … }), …)`) is compiled again on every call, ~80 µs of CPU
 * each on Node 20 where a schema built once parses the same answer in under 1 µs. The resources read
 * Wix's answers with schemas built once, at load: a second round of calls compiles nothing.
 */
const coffee = EMULATOR_INSTANCES.coffee;
const ids = SEED_IDS.coffee;
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

/** Calls made while `fn` runs to the `Function` constructor (how zod compiles a parser). */
async function compilesDuring(fn: () => Promise<unknown>): Promise<number> {
  const real = globalThis.Function;
  let compiled = 0;
  globalThis.Function = new Proxy(real, {
    construct(target, args, newTarget) {
      compiled++;
      return Reflect.construct(target, args, newTarget) as object;
    },
    apply(target, self, args) {
      compiled++;
      return Reflect.apply(target, self, args) as unknown;
    },
  });
  try {
    await fn();
  } finally {
    globalThis.Function = real;
  }
  return compiled;
}

it('the resources read Wix’s answers without compiling a schema per call', async () => {
  const scope = { instanceId: coffee };
  const round = async (n: number) => {
    await searchOrders(h.client, scope, { buyerContactIds: [ids.contacts.jane], limit: 5 });
    await getContact(h.client, scope, ids.contacts.priya);
    const { label } = await findOrCreateLabel(h.client, scope, `Round ${n}`);
    await labelContact(h.client, scope, ids.contacts.priya, [label.key]);
    await createTask(h.client, scope, { title: `Call back ${n}`, contactId: ids.contacts.priya });
    await addMerchantComment(h.client, scope, ids.orders.priyaNew, `Note ${n}`);
    // After the note: the order then has activities, so round 1 already reads one.
    await getOrder(h.client, scope, ids.orders.priyaNew);
    const { conversationId } = await getOrCreateConversation(h.client, scope, ids.contacts.priya);
    await sendMessage(h.client, scope, { conversationId, text: `Hello ${n}`, visibility: 'BUSINESS' });
    // Cached per site and client after the first call: a client of its own each round asks again.
    await getCatalogVersion({ request: (r) => h.client.request(r) }, scope);
  };
  // The first round builds what is built once (the client's own parsers, zod's first compiles).
  expect(await compilesDuring(() => round(1))).toBeGreaterThan(0);
  expect(await compilesDuring(() => round(2))).toBe(0);
});

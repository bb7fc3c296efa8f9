import { randomUUID } from 'node:crypto';
import { loadFixtures, type Fixture } from '../../src/sandbox/fixtures.js';
import { seedFromFixtures } from '../../src/sandbox/fixture-seed.js';
import { builtInHandlers } from '../../src/builtin/index.js';
import { scriptsOf, startLlmEmulator, type LlmEmulatorOptions } from '../../src/sandbox/llm-emulator.js';
import { startWixEmulator, type WixEmulatorOptions } from '../../src/sandbox/wix-emulator.js';
import { fixturesDir } from './keys.js';

export const fixtures = loadFixtures([fixturesDir]);
export const fixture = (name: string) => {
  const f = fixtures.find((x) => x.name === name);
  if (!f) throw new Error(`no fixture ${name}`);
  return f;
};
/**
 * The published fixtures a built-in handler takes with the defaults: order-triage runs on order_approved
 * (ORDER_TRIAGE_EVENT), contact-intake on contact_created; none takes order_created.
 */
export const handledFixtures = fixtures.filter(
  (f) => f.expect?.outcome === 'published' && f.expect.type !== 'order_created',
);
export const eventIdOf = (name: string) => (fixture(name).webhook.data as { id: string }).id;

/**
 * The two emulators a worker talks to, seeded with the fixtures' entities, and the env pointing at them.
 * The sandbox model follows the built-in handlers' `sandbox` scripts (and `options.llm.scripts`).
 */
export async function startEmulators(options: { wix?: WixEmulatorOptions; llm?: LlmEmulatorOptions } = {}) {
  const wix = await startWixEmulator({ rateLimit: false, ...options.wix });
  seedFromFixtures(wix.data, fixtures);
  const llm = await startLlmEmulator({
    ...options.llm,
    scripts: { ...scriptsOf(builtInHandlers), ...options.llm?.scripts },
  });
  return {
    wix,
    llm,
    env: {
      WIX_API_BASE_URL: wix.url,
      WIX_APP_ID: wix.appId,
      WIX_APP_SECRET: wix.appSecret,
      LLM_PROVIDER: 'sandbox',
      LLM_BASE_URL: llm.url,
    },
    async close() {
      await llm.close();
      await wix.close();
    },
  };
}

/**
 * Copies of fixture approved orders (order-triage's default event) with fresh event ids, order ids and order numbers (task bodies name the
 * number, so each event's writes are told apart), spread over the fixture sites.
 */
export function freshOrders(n: number, options: { namePrefix: string; firstNumber: number }) {
  const bases = ['order-approved.shipping', 'order-approved.buyer-note', 'order-approved.multi-item'].map(
    (name) => fixture(name),
  );
  return Array.from({ length: n }, (_, i) => {
    const f = structuredClone(bases[i % bases.length]!);
    const data = f.webhook.data as Record<string, unknown> & {
      actionEvent: { body: { order: Record<string, unknown> } };
    };
    const orderId = randomUUID();
    data.id = randomUUID();
    data.entityId = orderId;
    data.actionEvent.body.order.id = orderId;
    data.actionEvent.body.order.number = String(options.firstNumber + i);
    return {
      fixture: { ...f, name: `${options.namePrefix}-${i}` } as Fixture,
      eventId: data.id as string,
      orderId,
    };
  });
}

/**
 * The entity a fixture's webhook carries, for editing a copy: `createdEvent.entity` (created events),
 * `createdEvent.entityAsJson` (an object, or a parsed copy of a string) or `actionEvent.body.order`
 * (order_approved).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function entityOf(f: Fixture): Record<string, any> {
  const data = f.webhook.data as {
    createdEvent?: { entity?: Record<string, unknown>; entityAsJson?: unknown };
    actionEvent?: { body?: { order?: Record<string, unknown> } };
  };
  const asJson = data.createdEvent?.entityAsJson;
  const entity =
    data.createdEvent?.entity ??
    ((typeof asJson === 'string' ? JSON.parse(asJson) : asJson) as Record<string, unknown> | undefined) ??
    data.actionEvent?.body?.order;
  if (!entity) throw new Error(`${f.name}: no entity in createdEvent.entity or actionEvent.body.order`);
  return entity;
}

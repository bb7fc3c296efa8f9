import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApprovals } from '../../src/calls/approvals.js';
import { importHandlers, prepareHandlers } from '../../src/handlers/load.js';
import { loadServiceHandlers } from '../../src/app/handlers.js';
import { loadConfig } from '../../src/config/load.js';
import {
  addOrderNoteTool,
  defineHandler,
  defineTool,
  getOrderTool,
  type AnyHandler,
} from '../../src/index.js';
import { agentStore } from '../support/agent-run.js';
import { runCli } from '../support/cli.js';

const options = { env: {}, agentMode: 'live' as const, handlerModes: {} };
const prepare = (handlers: AnyHandler[], env: Record<string, string> = {}) =>
  prepareHandlers(
    handlers.map((handler) => ({ handler, source: 'my-handlers.js' })),
    { ...options, env },
  );

const base = { instructions: 'x', data: () => ({}) };

describe('loading handlers', () => {
  it('reports every problem at once, naming the file and the handler', () => {
    const { handlers, problems } = prepare([
      { ...base, name: 'a', on: 'order_aproved', tools: [getOrderTool] },
      { ...base, name: 'b', on: 'order_created', tools: [undefined as never] },
      { ...base, name: 'b', on: 'order_created', tools: [] },
      { ...base, name: 'c', on: 'order_created', tools: [addOrderNoteTool] },
    ]);
    expect(handlers).toEqual([]);
    expect(problems).toEqual([
      expect.stringMatching(/^my-handlers\.js: handler "a": unknown event type "order_aproved"/),
      expect.stringMatching(
        /^my-handlers\.js: handler "b": tools\[0\] is not a tool \(undefined: check the import\)/,
      ),
      expect.stringMatching(
        /^my-handlers\.js: handler "b": duplicate handler name \(also defined in my-handlers\.js\)/,
      ),
      expect.stringMatching(
        /^my-handlers\.js: handler "c": write tool\(s\) add_order_note without a guard while its mode is live/,
      ),
    ]);
  });

  it('accepts an unguarded write tool when the mode is stricter than live (handler or AGENT_MODE)', () => {
    const unguarded = { ...base, name: 'c', on: 'order_created', tools: [addOrderNoteTool] };
    expect(prepare([{ ...unguarded, mode: 'approval' }]).problems).toEqual([]);
    const { problems } = prepareHandlers([{ handler: unguarded, source: 'x' }], {
      ...options,
      agentMode: 'dry-run',
    });
    expect(problems).toEqual([]);
  });

  it('decides the mode once: AGENT_MODE is a ceiling, the file and the override only stricter', () => {
    const handler = {
      ...base,
      name: 'm',
      on: 'order_created',
      tools: [addOrderNoteTool],
      mode: 'live' as const,
      guard: () => undefined,
    };
    const bound = (
      agentMode: 'live' | 'approval' | 'dry-run',
      handlerModes: Record<string, 'live' | 'approval' | 'dry-run'> = {},
    ) => prepareHandlers([{ handler, source: 'x' }], { ...options, agentMode, handlerModes }).handlers[0]!;
    expect(prepareHandlers([{ handler, source: 'x' }], options).problems).toEqual([]);
    expect(bound('live')).toMatchObject({ mode: 'live' });
    expect(bound('live')).not.toHaveProperty('looserAsked');
    // The file asks for live under an approval ceiling: it runs in approval, and says what it asked for.
    expect(bound('approval')).toMatchObject({ mode: 'approval', looserAsked: 'live' });
    expect(bound('live', { m: 'dry-run' })).toMatchObject({ mode: 'dry-run' });
    expect(bound('dry-run', { m: 'approval' })).toMatchObject({ mode: 'dry-run', looserAsked: 'approval' });
  });

  it('maps a Wix event type with a built-in name to that name, and keeps any other Wix event type', () => {
    const { handlers } = prepare([
      { ...base, name: 'a', on: 'wix.ecom.v1.order_created', tools: [] },
      { ...base, name: 'b', on: 'wix.bookings.v2.booking_created', tools: [] },
    ]);
    expect(handlers.map((h) => h.on)).toEqual(['order_created', 'wix.bookings.v2.booking_created']);
  });

  it("reads a handler's own settings from prefixed variables and reports bad ones with the variable named", () => {
    const withSettings = defineHandler({
      name: 'big',
      on: 'order_approved',
      tools: [],
      settings: {
        prefix: 'BIG_ORDER_',
        schema: z.object({ minTotal: z.coerce.number().positive().default(1000) }),
      },
      instructions: ({ minTotal }) => `above ${minTotal}`,
      data: () => ({}),
    });
    expect(prepare([withSettings]).handlers[0]!.instructions).toBe('above 1000');
    expect(prepare([withSettings], { BIG_ORDER_MIN_TOTAL: '250' }).handlers[0]!.instructions).toBe(
      'above 250',
    );
    expect(prepare([withSettings], { BIG_ORDER_MIN_TOTAL: '-3' }).problems).toEqual([
      expect.stringMatching(/^my-handlers\.js: handler "big": BIG_ORDER_MIN_TOTAL: /),
    ]);
  });

  it('takes the event from the settings when `on` is a function of them, and reads blank variables as unset', () => {
    const onSetting = defineHandler({
      name: 'either',
      on: ({ event }) => event,
      tools: [],
      settings: {
        prefix: 'EITHER_',
        schema: z.object({ event: z.enum(['order_created', 'contact_created']).default('order_created') }),
      },
      instructions: ({ event }) => `on ${event}`,
      data: () => ({}),
    });
    const bound = (env: Record<string, string>) => prepare([onSetting], env).handlers[0]!;
    expect(bound({}).on).toBe('order_created');
    expect(bound({ EITHER_EVENT: '' }).on).toBe('order_created');
    expect(bound({ EITHER_EVENT: ' contact_created ' })).toMatchObject({
      on: 'contact_created',
      instructions: 'on contact_created',
    });
    // Bad settings are the one problem: no second one about an event they could not give.
    expect(prepare([onSetting], { EITHER_EVENT: 'order_paid' }).problems).toEqual([
      expect.stringMatching(/^my-handlers\.js: handler "either": EITHER_EVENT: /),
    ]);
    expect(
      prepare([{ ...base, name: 'odd', on: () => 'order_aproved', tools: [] } as AnyHandler]).problems,
    ).toEqual([expect.stringMatching(/^my-handlers\.js: handler "odd": unknown event type "order_aproved"/)]);
  });

  it('loads a module exporting handlers (default array and named exports); HANDLERS picks built-ins next to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'handlers-'));
    const brand = "[Symbol.for('wix-event-agent.handler')]: true";
    writeFileSync(
      join(dir, 'handlers.mjs'),
      `const h = (name) => ({ ${brand}, name, on: 'order_approved', tools: [], instructions: 'x', data: () => ({}) });
       export const one = h('one');
       export default [h('two'), one];
       export const notAHandler = { name: 'three' };`,
    );
    expect((await importHandlers('./handlers.mjs', dir)).map((e) => e.handler.name).sort()).toEqual([
      'one',
      'two',
    ]);
    const module = join(dir, 'handlers.mjs');
    const cfg = { agentMode: 'live' as const, handlerModes: {} };
    expect(
      (await loadServiceHandlers({ ...cfg, handlers: undefined }, { env: {}, module })).map((h) => h.name),
    ).toEqual(['two', 'one']);
    expect(
      (await loadServiceHandlers({ ...cfg, handlers: ['order-triage'] }, { env: {}, module })).map(
        (h) => h.name,
      ),
    ).toEqual(['order-triage', 'two', 'one']);
    expect(
      (await loadServiceHandlers({ ...cfg, handlers: undefined }, { env: {} })).map((h) => h.name),
    ).toEqual(['order-triage', 'contact-intake']);
  });

  it('order-triage runs on order_approved by default, on order_created with its own ORDER_TRIAGE_EVENT', async () => {
    const cfg = { agentMode: 'live' as const, handlerModes: {}, handlers: undefined };
    const triageOn = async (env: Record<string, string>) => {
      const handlers = await loadServiceHandlers(cfg, { env });
      const triage = handlers.find((h) => h.name === 'order-triage')!;
      return { on: triage.on, opening: triage.instructions.trim().split('\n')[0] };
    };
    const approved = { on: 'order_approved', opening: expect.stringMatching(/approved/) };
    expect(await triageOn({})).toEqual(approved);
    expect(await triageOn({ ORDER_TRIAGE_EVENT: ' ' })).toEqual(approved);
    expect(await triageOn({ ORDER_TRIAGE_EVENT: 'Order_Created' })).toEqual({
      on: 'order_created',
      opening: expect.stringMatching(/^A new order arrived/),
    });
    // A bad value fails the start in one line naming the variable; the service's config does not know it.
    await expect(loadServiceHandlers(cfg, { env: { ORDER_TRIAGE_EVENT: 'order_paid' } })).rejects.toThrow(
      /^built-in: handler "order-triage": ORDER_TRIAGE_EVENT: expected one of order_approved \| order_created, got "order_paid"$/,
    );
    expect(() => loadConfig({ ORDER_TRIAGE_EVENT: 'order_paid' })).not.toThrow();
    const r = await runCli(['serve'], {
      env: { DATA_DIR: 'memory://', PORT: '0', ORDER_TRIAGE_EVENT: 'order_paid' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'built-in: handler "order-triage": ORDER_TRIAGE_EVENT: expected one of order_approved | order_created, got "order_paid"',
    );
  });

  it('serve --handlers fails at start with the problems, naming file and handler', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'handlers-'));
    const module = join(dir, 'bad.mjs');
    writeFileSync(
      module,
      `export default [{ [Symbol.for('wix-event-agent.handler')]: true, name: 'typo', on: 'order_aproved', tools: [], instructions: 'x', data: () => ({}) }];`,
    );
    const r = await runCli(['serve', '--handlers', module], { env: { DATA_DIR: 'memory://', PORT: '0' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${module}: handler "typo": unknown event type "order_aproved"`);
  });
});

describe('approvals', () => {
  it('run a parked call with the tool of the handler that parked it, even one not in the global list', async () => {
    const custom = defineTool({
      name: 'custom_write',
      description: 'a tool of the user',
      input: z.object({ n: z.number() }),
      access: 'write',
      tags: [],
      execute: async (_ctx, input) => ({ doubled: input.n * 2 }),
    });
    // A real (embedded) store: approving claims the journal row and records the outcome on it.
    const { store, audit, journal } = await agentStore();
    const runId = await audit.startRun({
      eventId: 'e1',
      eventType: 'order_created',
      instanceId: 'i1',
      handler: 'mine',
      model: 'm',
      mode: 'approval',
      attempt: 1,
    });
    const id = await audit.recordCall({
      runId,
      seq: 1,
      eventId: 'e1',
      handler: 'mine',
      instanceId: 'i1',
      tool: 'custom_write',
      access: 'write',
      arguments: { n: 21 },
      result: null,
      status: 'pending',
      idempotencyKey: 'k',
    });
    const approvals = createApprovals({
      audit,
      journal,
      client: { request: async () => ({}) } as never,
      tools: [],
      handlers: [{ name: 'mine', tools: [custom] }],
    });
    const decided = await approvals.approve(id, 'ops');
    expect(decided.status).toBe('executed');
    expect(decided.result).toEqual({ doubled: 42 });
    await store.close();
  });
});

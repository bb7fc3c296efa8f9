import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAudit } from '../../src/calls/audit.js';
import { createJournal, newWriteOwner } from '../../src/calls/journal.js';
import { scopedAiTools, toolDefinitions } from '../../src/mcp/definitions.js';
import { toolMode, inScope, missingScope, scopeProblems } from '../../src/mcp/scope.js';
import { EMULATOR_INSTANCES, SEED_IDS } from '../../src/sandbox/wix-emulator.js';
import type { Store } from '../../src/store/port.js';
import { cancelOrderTool, getOrderTool, labelContactTool, wixTools } from '../../src/wix/tools/index.js';
import { sqliteFactory } from '../support/stores.js';
import { startHarness, type Harness } from '../wix/support.js';

const coffee = EMULATOR_INSTANCES.coffee;
let h: Harness;
let store: Store;
beforeAll(async () => {
  h = await startHarness();
  store = await (await sqliteFactory()).open();
});
afterAll(async () => {
  await store?.close();
  await h?.close();
});

describe('scope rules', () => {
  const read = { methods: ['read' as const], tags: ['orders'], tools: [] };
  it('filters by access, then by tag or name', () => {
    expect(inScope(getOrderTool, read)).toBe(true);
    expect(inScope(labelContactTool, read)).toBe(false);
    expect(inScope(labelContactTool, { methods: ['write'], tags: [], tools: ['label_contact'] })).toBe(true);
    expect(missingScope(labelContactTool, read)).toBe(
      'label_contact needs write access; this token has read',
    );
    expect(missingScope(getOrderTool, { methods: ['read'], tags: ['crm'], tools: [] })).toMatch(
      /get_order needs tag orders/,
    );
  });
  it('AGENT_MODE is a ceiling and destructive tools wait for approval', () => {
    expect(toolMode(labelContactTool, 'live', 'live')).toBe('live');
    expect(toolMode(labelContactTool, 'live', 'dry-run')).toBe('dry-run');
    expect(toolMode(labelContactTool, 'dry-run', 'live')).toBe('dry-run');
    expect(toolMode(cancelOrderTool, 'live', 'live')).toBe('approval');
    expect(toolMode(cancelOrderTool, 'dry-run', 'live')).toBe('dry-run');
  });
  it('names unknown tags and tools, and refuses filters that match nothing', () => {
    const base = { methods: ['read' as const], tags: [], tools: [], sites: [coffee], mode: 'live' as const };
    expect(scopeProblems(wixTools, { ...base, tags: ['nope'] })[0]).toMatch(
      /unknown tag\(s\): nope \(known: /,
    );
    expect(scopeProblems(wixTools, { ...base, tools: ['label_contact'] })).toEqual([
      'these filters match no tool: widen methods, tags or tools',
    ]);
    expect(scopeProblems(wixTools, { ...base, sites: [] })).toEqual(['give at least one site (instance id)']);
  });
});

describe('for agent frameworks', () => {
  it('JSON tool definitions carry schema, access, permission and hints', () => {
    const defs = toolDefinitions(wixTools, { methods: ['read', 'write'], tags: ['orders'], tools: [] }, [
      coffee,
    ]);
    expect(defs.map((d) => d.name)).toEqual(expect.arrayContaining(['get_order', 'cancel_order']));
    expect(defs.find((d) => d.name === 'cancel_order')).toMatchObject({
      access: 'write',
      destructive: true,
      idempotent: false,
      permission: 'ECOM.MODIFY_ORDERS',
      inputSchema: {
        type: 'object',
        properties: { orderId: { type: 'string' }, siteId: { enum: [coffee] } },
      },
    });
  });

  it('AI SDK tools run through the same guarded path (scope, site, audit as mcp:<name>)', async () => {
    const audit = createAudit(store);
    const tools = scopedAiTools(
      {
        audit,
        journal: createJournal(store, newWriteOwner()),
        client: h.client,
        ceiling: 'live',
        catalog: wixTools,
      },
      {
        id: 'tok-1',
        name: 'framework',
        methods: ['read'],
        tags: ['orders'],
        tools: [],
        sites: [coffee],
        mode: 'live',
      },
    );
    expect(Object.keys(tools).sort()).toEqual(['get_order', 'search_orders']);
    const opts = { toolCallId: 'c1', messages: [] };
    const order = await tools.get_order!.execute!({ orderId: SEED_IDS.coffee.orders.priyaNew }, opts);
    expect(order).toMatchObject({ number: '10013' });
    const foreign = await tools.get_order!.execute!(
      { orderId: SEED_IDS.coffee.orders.priyaNew, siteId: EMULATOR_INSTANCES.bakery },
      opts,
    );
    expect(foreign).toMatchObject({ error: expect.stringMatching(/not one of this token's sites/) });
    const two = scopedAiTools(
      {
        audit,
        journal: createJournal(store, newWriteOwner()),
        client: h.client,
        ceiling: 'live',
        catalog: wixTools,
      },
      {
        id: 'tok-2',
        name: 'two-sites',
        methods: ['read'],
        tags: ['orders'],
        tools: [],
        sites: [coffee, 'other'],
        mode: 'live',
      },
    );
    const unnamed = await two.get_order!.execute!({ orderId: SEED_IDS.coffee.orders.priyaNew }, opts);
    expect(unnamed).toMatchObject({ error: `give siteId: one of ${coffee}, other` });
    const calls = await audit.listCalls();
    expect(calls.map((c) => [c.handler, c.tool, c.status])).toEqual([
      ['mcp:framework', 'get_order', 'executed'],
      ['mcp:framework', 'get_order', 'refused'],
      ['mcp:two-sites', 'get_order', 'refused'],
    ]);
  });
});

describe('MCP writes go through the write journal', () => {
  it('an answer lost after Wix applied the write is settled by lookup, and asked again is not re-sent', async () => {
    const audit = createAudit(store);
    const deps = {
      audit,
      journal: createJournal(store, newWriteOwner()),
      client: h.client,
      ceiling: 'live' as const,
      catalog: wixTools,
    };
    const token = {
      id: 'tok-w',
      name: 'crm-writer',
      methods: ['write' as const],
      tags: [],
      tools: ['create_contact'],
      sites: [coffee],
      mode: 'live' as const,
    };
    const tools = scopedAiTools(deps, token);
    const opts = { toolCallId: 'w1', messages: [] };
    h.emulator.setFault({ path: '/contacts/v4/contacts', resetsAfterApply: 1 });
    const before = h.emulator.writes.length;
    const input = { firstName: 'Ines', email: 'ines.journal@example.com' };
    const created = await tools.create_contact!.execute!(input, opts);
    expect(created).toMatchObject({ email: 'ines.journal@example.com' });
    expect(h.emulator.writes.length - before).toBe(1);
    const [row] = (await audit.listCalls()).filter((c) => c.handler === 'mcp:crm-writer');
    expect(row).toMatchObject({ tool: 'create_contact', status: 'executed', decidedBy: 'reconcile' });
    expect(row!.owner).toBe(deps.journal.owner.id);

    const again = await tools.create_contact!.execute!(input, opts);
    expect(again).toMatchObject({ email: 'ines.journal@example.com' });
    expect(h.emulator.writes.length - before).toBe(1);
    const rows = (await audit.listCalls()).filter((c) => c.handler === 'mcp:crm-writer');
    expect(rows.map((c) => c.status).sort()).toEqual(['deduplicated', 'executed']);
  });
});

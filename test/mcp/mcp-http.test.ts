import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolCallRecord } from '../../src/calls/audit.js';
import { EMULATOR_INSTANCES, SEED_IDS } from '../../src/sandbox/wix-emulator.js';
import { startMcpEnv } from './support.js';

const coffee = EMULATOR_INSTANCES.coffee;
const bakery = EMULATOR_INSTANCES.bakery;
const ids = SEED_IDS.coffee;

let env: Awaited<ReturnType<typeof startMcpEnv>>;
beforeAll(async () => {
  env = await startMcpEnv();
});
afterAll(async () => {
  await env?.close();
});

const callsOf = async (actor: string): Promise<ToolCallRecord[]> =>
  (await env.t.service.agents!.audit.listCalls({ limit: 500 })).filter((c) => c.handler === actor);

describe('MCP over Streamable HTTP with scoped tokens', () => {
  it('tools/list differs per token scope, with JSON schemas and honest annotations', async () => {
    const triage = await env.token({ name: 'triage', methods: ['read'], tags: ['orders'], sites: [coffee] });
    const crm = await env.token({
      name: 'crm',
      methods: ['read', 'write'],
      tags: ['contacts', 'labels'],
      sites: [coffee, bakery],
    });
    const a = await env.connect(triage);
    const b = await env.connect(crm, 'path');
    const listA = (await a.client.listTools()).tools;
    const listB = (await b.client.listTools()).tools;
    expect(listA.map((t) => t.name).sort()).toEqual(['get_order', 'search_orders']);
    expect(listB.map((t) => t.name)).toEqual(expect.arrayContaining(['get_contact', 'label_contact']));
    expect(listB.map((t) => t.name)).not.toContain('get_order');

    const getOrder = listA.find((t) => t.name === 'get_order')!;
    expect(getOrder.annotations).toMatchObject({ readOnlyHint: true });
    expect(getOrder.inputSchema).toMatchObject({
      type: 'object',
      properties: { orderId: { type: 'string' }, siteId: { enum: [coffee] } },
      required: ['orderId'],
    });
    const label = listB.find((t) => t.name === 'label_contact')!;
    expect(label.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: true,
    });
    // Two sites: the site must be named.
    expect(label.inputSchema.required).toEqual(expect.arrayContaining(['contactId', 'labels', 'siteId']));
    await a.close();
    await b.close();
    // The path token never reaches the service's logs.
    expect(env.t.logs.lines.join('\n')).not.toContain(crm);
  });

  it('a read returns compact data and lands in the audit with the token name and the Wix request id', async () => {
    const secret = await env.token({ name: 'reader', methods: ['read'], tags: ['orders'], sites: [coffee] });
    const c = await env.connect(secret);
    const out = await c.call('get_order', { orderId: ids.orders.priyaNew });
    expect(out.isError).toBe(false);
    const order = out.data as Record<string, unknown>;
    expect(order).toMatchObject({ id: ids.orders.priyaNew, number: '10013' });
    expect(order).not.toHaveProperty('activities');
    expect(order).not.toHaveProperty('lineItems');
    const [call] = await callsOf('mcp:reader');
    expect(call).toMatchObject({ tool: 'get_order', status: 'executed', instanceId: coffee });
    expect(call!.wixRequestId).toMatch(/^\d+\.\d+$/);
    await c.close();
  });

  it('a request for 10,000 items gets one page', async () => {
    const secret = await env.token({
      name: 'pager',
      methods: ['read'],
      tools: ['search_orders'],
      sites: [coffee],
    });
    const c = await env.connect(secret);
    const out = await c.call('search_orders', { limit: 10_000 });
    expect(out.isError).toBe(false);
    const page = out.data as { orders: unknown[]; note: string };
    expect(page.orders.length).toBeLessThanOrEqual(50);
    expect(page.note).toMatch(/limit lowered from 10000 to 50/);
    const search = env.emu.wix.requests.filter((r) => r.path === '/ecom/v1/orders/search');
    expect(search.length).toBe(1);
    await c.close();
  });

  it('a write in approval mode is pending until a person approves it, then runs exactly once', async () => {
    const secret = await env.token({
      name: 'crm-tagger',
      methods: ['read', 'write'],
      tools: ['label_contact', 'get_contact'],
      sites: [coffee],
      mode: 'approval',
    });
    const c = await env.connect(secret);
    const writesBefore = env.emu.wix.writes.length;
    const args = { contactId: ids.contacts.sofia, labels: ['Newsletter fan'] };
    const out = await c.call('label_contact', args);
    expect(out.isError).toBe(false);
    const pending = out.data as { status: string; approvalId: string };
    expect(pending.status).toBe('pending_approval');
    expect(env.emu.wix.writes.length).toBe(writesBefore);

    // The model asks again: same write, not parked twice.
    const again = await c.call('label_contact', args);
    expect(again.data).toMatchObject({ status: 'pending_approval', approvalId: pending.approvalId });

    const listed = await env.api('/approvals');
    expect((listed.body.approvals as ToolCallRecord[]).map((a) => a.id)).toContain(pending.approvalId);
    const approved = await env.api(`/approvals/${pending.approvalId}/approve`, { method: 'POST' });
    expect(approved.body).toMatchObject({ status: 'executed', handler: 'mcp:crm-tagger' });
    const second = await env.api(`/approvals/${pending.approvalId}/approve`, { method: 'POST' });
    expect(second.status).toBe(409);
    const labelWrites = env.emu.wix.writes
      .slice(writesBefore)
      .filter((w) => w.path === `/contacts/v4/contacts/${ids.contacts.sofia}/labels`);
    expect(labelWrites).toHaveLength(1);
    expect(env.emu.wix.data.site(coffee)!.contacts.get(ids.contacts.sofia)!.info.labelKeys.items).toContain(
      'custom.newsletter-fan',
    );
    // Frameworks fetch the same token's tools as JSON over /api.
    const defs = await env.api('/tools?token=crm-tagger');
    expect((defs.body.tools as { name: string }[]).map((d) => d.name).sort()).toEqual([
      'get_contact',
      'label_contact',
    ]);
    // After execution the same call returns the recorded result, not a second write.
    const third = await c.call('label_contact', args);
    expect(third.isError).toBe(false);
    expect(env.emu.wix.writes.slice(writesBefore).filter((w) => w.path.endsWith('/labels'))).toHaveLength(2);
    await c.close();
  });

  it('parks a destructive write (cancel_order) for approval even with a live token', async () => {
    const secret = await env.token({
      name: 'orders-live',
      methods: ['write'],
      tools: ['cancel_order'],
      sites: [coffee],
      mode: 'live',
    });
    const c = await env.connect(secret);
    const tools = (await c.client.listTools()).tools;
    expect(tools[0]).toMatchObject({
      name: 'cancel_order',
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
    });
    const out = await c.call('cancel_order', { orderId: ids.orders.janeLatest });
    expect(out.data).toMatchObject({ status: 'pending_approval' });
    expect(env.emu.wix.writes.some((w) => w.path.endsWith('/cancel'))).toBe(false);
    await c.close();
  });

  it('refuses expired, revoked and unknown tokens with 401 and lists nothing', async () => {
    const expired = await env.token({ name: 'old', methods: ['read'], tags: ['orders'], sites: [coffee] });
    await env.t.service.store.query(`UPDATE mcp_tokens SET expires_at = $1 WHERE name = 'old'`, [
      new Date(Date.now() - 60_000),
    ]);
    const revoked = await env.token({ name: 'gone', methods: ['read'], tags: ['orders'], sites: [coffee] });
    const res = await env.api('/mcp/tokens/gone', { method: 'DELETE' });
    expect(res.status).toBe(200);
    for (const [secret, reason] of [
      [expired, 'expired'],
      [revoked, 'revoked'],
      ['wea_nonsense', 'unknown'],
    ] as const) {
      const post = await fetch(`${env.t.url}/mcp`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${secret}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(post.status).toBe(401);
      expect(await post.json()).toMatchObject({ error: { message: `token ${reason}` } });
      await expect(env.connect(secret)).rejects.toThrow();
    }
    const none = await fetch(`${env.t.url}/mcp`, { method: 'POST', body: '{}' });
    expect(none.status).toBe(401);
  });

  it('refuses a foreign site, an out-of-scope tool and invalid arguments before any Wix request', async () => {
    const secret = await env.token({ name: 'narrow', methods: ['read'], tags: ['orders'], sites: [coffee] });
    const c = await env.connect(secret);
    const before = env.emu.wix.requests.length;
    const foreign = await c.call('get_order', { orderId: ids.orders.priyaNew, siteId: bakery });
    expect(foreign).toMatchObject({ isError: true });
    expect(foreign.text).toMatch(/not one of this token's sites/);
    const scope = await c.call('label_contact', { contactId: ids.contacts.sofia, labels: ['x'] });
    expect(scope.isError).toBe(true);
    expect(scope.text).toMatch(/label_contact needs write access; this token has read/);
    const invalid = await c.call('get_order', { orderId: 'not a wix id!' });
    expect(invalid.isError).toBe(true);
    expect(invalid.text).toMatch(/invalid arguments for get_order: orderId: must be a Wix id/);
    expect(env.emu.wix.requests.length).toBe(before);
    const audited = await callsOf('mcp:narrow');
    expect(audited.map((a) => a.status)).toEqual(['refused', 'refused', 'refused']);
    await c.close();
  });

  it('answers bodies that are not JSON with a JSON-RPC parse error, and GET with 405', async () => {
    const bad = await fetch(`${env.t.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"jsonrpc":',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: -32700 } });
    const get = await fetch(`${env.t.url}/mcp`);
    expect(get.status).toBe(405);
  });

  it('refuses to create a token whose filters match no tool', async () => {
    const res = await env.api('/mcp/tokens', {
      method: 'POST',
      body: { name: 'nothing', methods: ['write'], tools: ['get_order'], sites: [coffee] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/match no tool/);
  });

  it('absorbs a 429 storm within the call deadline; past it, says when to retry', async () => {
    const secret = await env.token({ name: 'stormy', methods: ['read'], tags: ['orders'], sites: [coffee] });
    const c = await env.connect(secret);
    env.emu.wix.setFault({ instanceId: coffee, rateLimitStormMs: 1_500, retryAfter: 'seconds' });
    const started = Date.now();
    const ok = await c.call('get_order', { orderId: ids.orders.priyaNew });
    expect(ok.isError).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(env.emu.wix.requests.some((r) => r.status === 429)).toBe(true);

    env.emu.wix.setFault({ instanceId: coffee, rateLimitStormMs: 60_000, retryAfter: 'seconds' });
    const limited = await c.call('get_order', { orderId: ids.orders.priyaNew });
    env.emu.wix.clearFaults();
    expect(limited.isError).toBe(true);
    expect(limited.text).toMatch(/rate limited by Wix for this site: retry after \d+ s/);
    const calls = await callsOf('mcp:stormy');
    expect(calls.map((x) => x.status)).toEqual(['executed', 'failed']);
    await c.close();
  });
});

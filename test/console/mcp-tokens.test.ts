/**
 * The console's MCP token page over HTTP, on a real store, against an in-memory token store that
 * implements the console's `McpTokenAdmin` port (the MCP server's store satisfies the same port).
 */
import { consoleDepsOn } from '../support/console.js';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpTokenAdmin, McpTokenView } from '../../src/console/deps.js';
import { consoleRouter } from '../../src/console/router.js';
import { listen, type RunningServer } from '../../src/lib/http-server.js';
import { migrate } from '../../src/store/migrate.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/port.js';

/** Tokens in memory; `create` refuses a token without a site, with a 400 like the real store. */
function memoryTokens(): McpTokenAdmin & { tokens: McpTokenView[] } {
  const tokens: McpTokenView[] = [];
  return {
    tokens,
    list: async () => tokens,
    async create(raw) {
      const input = raw as {
        name: string;
        methods: string[];
        sites: string[];
        tags: string[];
        tools: string[];
        mode?: string;
      };
      if (!input.sites.length)
        throw Object.assign(new Error('give at least one site (instance id)'), { status: 400 });
      const secret = `wea_${randomUUID().replace(/-/g, '')}`;
      const token: McpTokenView = {
        id: randomUUID(),
        name: input.name,
        hint: secret.slice(0, 9),
        methods: input.methods,
        tags: input.tags,
        tools: input.tools,
        sites: input.sites,
        mode: input.mode ?? 'approval',
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        createdAt: new Date().toISOString(),
        revokedAt: null,
        lastUsedAt: null,
      };
      tokens.push(token);
      return { token, secret };
    },
    async revoke(id) {
      const token = tokens.find((t) => t.id === id);
      if (token) token.revokedAt = new Date().toISOString();
      return token;
    },
  };
}

describe('console: MCP tokens', () => {
  let store: Store;
  let server: RunningServer;
  let cookie = '';
  const mcp = memoryTokens();
  const post = (path: string, form: URLSearchParams, extra: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      body: form,
      headers: { cookie, origin: server.url, ...extra },
      redirect: 'manual',
    });

  beforeAll(async () => {
    store = await openSqliteStore('memory://');
    await migrate(store);
    const app = express().use('/console', consoleRouter(consoleDepsOn(store, mcp)));
    server = await listen(app, 0, '127.0.0.1');
    const login = await post('/console/login', new URLSearchParams({ token: 'tok' }));
    cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  }, 60_000);
  afterAll(async () => {
    await server?.close(1000);
    await store?.close();
  });

  it('creates a token, shows its secret once, lists it, and revokes it', async () => {
    const page = await (await fetch(`${server.url}/console/mcp-tokens`, { headers: { cookie } })).text();
    expect(page).toContain('>MCP tokens<');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;

    const form = new URLSearchParams({
      _csrf: csrf,
      name: 'desk <b>',
      sites: 'site-1, site-2',
      mode: 'dry-run',
    });
    form.append('methods', 'read');
    form.append('methods', 'write');
    const created = await post('/console/mcp-tokens', form, { 'x-console-fetch': '1' });
    expect(created.status).toBe(200);
    const body = (await created.json()) as { message: string; html: string };
    const secret = /class="secret-value">([^<]+)</.exec(body.html)![1]!;
    expect(secret).toMatch(/^wea_/);
    expect(body.html).toContain('desk &lt;b&gt;');
    expect(mcp.tokens[0]).toMatchObject({
      methods: ['read', 'write'],
      sites: ['site-1', 'site-2'],
      mode: 'dry-run',
    });

    const listed = await (await fetch(`${server.url}/console/mcp-tokens`, { headers: { cookie } })).text();
    expect(listed).toContain(mcp.tokens[0]!.hint);
    expect(listed).not.toContain(secret);

    const noSite = await post(
      '/console/mcp-tokens',
      new URLSearchParams({ _csrf: csrf, name: 'x', methods: 'read' }),
      { 'x-console-fetch': '1' },
    );
    expect(noSite.status).toBe(400);
    expect(await noSite.json()).toEqual({ message: 'give at least one site (instance id)' });

    const revoked = await post(
      `/console/mcp-tokens/${mcp.tokens[0]!.id}/revoke`,
      new URLSearchParams({ _csrf: csrf }),
    );
    expect(revoked.status).toBe(303);
    expect(mcp.tokens[0]!.revokedAt).not.toBeNull();
    expect(await (await fetch(`${server.url}/console/mcp-tokens`, { headers: { cookie } })).text()).toContain(
      '>revoked<',
    );
  });
});

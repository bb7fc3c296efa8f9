/**
 * The console's pages are one list (src/console/pages/index.ts): every page in it is routed and linked
 * in the navigation of every signed-in page, and a page that is off for the service is neither.
 */
import { consoleDepsOn } from '../support/console.js';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleDeps, McpTokenAdmin } from '../../src/console/deps.js';
import { html } from '../../src/console/html.js';
import { page } from '../../src/console/layout.js';
import { consolePages } from '../../src/console/pages/index.js';
import { consoleRouter } from '../../src/console/router.js';
import { listen, type RunningServer } from '../../src/lib/http-server.js';
import { migrate } from '../../src/store/migrate.js';
import type { Store } from '../../src/store/port.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

/** The links of the page's section navigation. */
const navLinks = (text: string) => {
  const nav = /<nav aria-label="Console sections">([\s\S]*?)<\/nav>/.exec(text)?.[1] ?? '';
  return [...nav.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]!);
};

/** The pages of the list the navigation of `text` does not link. */
const missingFromNav = (pages: readonly { path: string }[], text: string) => {
  const links = navLinks(text);
  return pages.map((p) => `/console${p.path}`).filter((path) => !links.includes(path));
};

const noTokens: McpTokenAdmin = {
  list: async () => [],
  create: async () => {
    throw Object.assign(new Error('not here'), { status: 400 });
  },
  revoke: async () => undefined,
};

describe('console pages: one list', () => {
  let store: Store;
  const servers: RunningServer[] = [];

  /** A console on a fresh store, signed in: `get(path)` answers status and text. */
  async function start(mcpTokens: McpTokenAdmin | undefined) {
    const deps: ConsoleDeps = consoleDepsOn(store, mcpTokens);
    const server = await listen(express().use('/console', consoleRouter(deps)), 0, '127.0.0.1');
    servers.push(server);
    const login = await fetch(`${server.url}/console/login`, {
      method: 'POST',
      body: new URLSearchParams({ token: 'tok' }),
      headers: { origin: server.url },
      redirect: 'manual',
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    return async (path: string, form?: Record<string, string>) => {
      const res = await fetch(`${server.url}${path}`, {
        ...(form ? { method: 'POST', body: new URLSearchParams(form) } : {}),
        headers: { cookie, origin: server.url },
        redirect: 'manual',
      });
      return { status: res.status, location: res.headers.get('location'), text: await res.text() };
    };
  }

  beforeAll(async () => {
    store = await openSqliteStore('memory://');
    await migrate(store);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close(1000)));
    await store?.close();
  });

  it('routes every page of the list and links each in every page’s navigation, in list order', async () => {
    const get = await start(noTokens);
    expect(consolePages.length).toBeGreaterThan(0);
    for (const p of consolePages) {
      const { status, text } = await get(`/console${p.path}`);
      expect(status, p.path).toBe(200);
      expect(text).toContain(`<h1>${p.label}</h1>`);
      expect(text).toMatch(new RegExp(`<a href="/console${p.path}" aria-current="page"`));
      expect(navLinks(text)).toEqual(consolePages.map((q) => `/console${q.path}`));
      expect((await get(`/console/changes?path=/console${p.path}`)).status).toBe(200);
    }
    expect(await get('/console/')).toMatchObject({
      status: 303,
      location: `/console${consolePages[0]!.path}`,
    });
  });

  it('leaves a page that is off out of the navigation, and answers it with 404 saying why', async () => {
    const get = await start(undefined);
    const off = consolePages.filter((p) => p.off?.({ mcpTokens: undefined } as ConsoleDeps));
    expect(off.map((p) => p.path)).toEqual(['/mcp-tokens']);
    const { text } = await get(`/console${consolePages[0]!.path}`);
    expect(missingFromNav(consolePages, text)).toEqual(['/console/mcp-tokens']);
    const page = await get('/console/mcp-tokens');
    expect(page.status).toBe(404);
    expect(page.text).toContain('This service has no MCP server.');
    // Its forms' routes still answer, saying so (a stale form may post to them).
    const csrf = /data-csrf="([^"]+)"/.exec(text)![1]!;
    const posted = await get('/console/mcp-tokens', { _csrf: csrf, name: 'x' });
    expect(posted.status).toBe(404);
    expect(posted.text).toContain('This service has no MCP server.');
  });

  it('the navigation check fails for a page left out of the navigation', () => {
    const nav = consolePages.map((p) => ({ path: `/console${p.path}`, label: p.label }));
    const full = page({ title: 't', csrf: 'c', body: html``, nav }).value;
    expect(missingFromNav(consolePages, full)).toEqual([]);
    const short = page({ title: 't', csrf: 'c', body: html``, nav: nav.slice(0, -1) }).value;
    expect(missingFromNav(consolePages, short)).toEqual([nav.at(-1)!.path]);
  });
});

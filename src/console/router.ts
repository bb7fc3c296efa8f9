import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { authRoutes, sessionOf } from './auth.js';
import type { ConsoleDeps } from './deps.js';
import { html, type Html } from './html.js';
import { page } from './layout.js';
import { approvalsBody } from './pages/approvals.js';
import { deadLettersBody } from './pages/dead-letters.js';
import { eventBody, eventFilterForm, eventFilters, eventsBody } from './pages/events.js';
import { healthBody } from './pages/health.js';
import { mcpTokensBody, tokenForm } from './pages/mcp-tokens.js';
import { runBody, runsBody } from './pages/runs.js';
import { actionRoutes } from './actions.js';
import { sessionKeys } from './session.js';

const assetDir = new URL('./assets/', import.meta.url);
const assets = {
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
} as const;

/** Headers for every console response: no framing, no inline script, no caching of admin pages. */
function securityHeaders(_req: Request, res: Response, next: NextFunction) {
  res.set({
    'Content-Security-Policy':
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  });
  next();
}

/** `/console` when no admin token is configured: a page saying how to turn it on, nothing else. */
export function consoleOffRouter(): Router {
  const router = express.Router();
  router.use(securityHeaders, (_req, res) => {
    res
      .status(404)
      .type('html')
      .send(
        page({
          title: 'Console is off',
          body: html`<p>
            The console is off because <code>ADMIN_TOKEN</code> is not set. Set it and restart the service.
          </p>`,
        }).value,
      );
  });
  return router;
}

/**
 * `/console`: the operator console. Server-rendered pages, one small script that refreshes the live
 * region when something changes and turns action forms into in-place updates. Everything it needs is
 * in the package: no CDN, works offline.
 */
export function consoleRouter(deps: ConsoleDeps): Router {
  const router = express.Router();
  const keys = sessionKeys(deps.adminToken, deps.sessionTtlMs ? { ttlMs: deps.sessionTtlMs } : {});
  const files = Object.fromEntries(
    Object.keys(assets).map((name) => [name, readFileSync(new URL(name, assetDir), 'utf8')]),
  ) as Record<keyof typeof assets, string>;

  router.use(securityHeaders);
  router.get('/assets/:name', (req, res, next) => {
    const name = req.params.name as keyof typeof assets;
    if (!Object.hasOwn(assets, name)) return next();
    res.set('Cache-Control', 'no-cache').type(assets[name]).send(files[name]);
  });
  router.use(authRoutes(keys));

  const badges = async () => ({ '/console/approvals': await deps.audit.countPending() });
  const send = async (
    res: Response,
    title: string,
    section: string,
    body: Html,
    before?: Html,
  ): Promise<void> => {
    const { csrf } = sessionOf(res);
    const extra = deps.mcpTokens ? [{ path: '/console/mcp-tokens', label: 'MCP tokens' }] : [];
    res.type('html').send(page({ title, section, csrf, badges: await badges(), body, before, extra }).value);
  };
  const notFound = (res: Response, section: string, what: string) =>
    res
      .status(404)
      .type('html')
      .send(
        page({
          title: 'Not found',
          section,
          csrf: sessionOf(res).csrf,
          body: html`<p class="empty">${what}</p>`,
        }).value,
      );

  router.get('/', (_req, res) => res.redirect(303, '/console/events'));
  router.get('/events', async (req, res) => {
    const f = eventFilters(req);
    await send(res, 'Events', '/console/events', await eventsBody(deps, f), eventFilterForm(f));
  });
  router.get('/events/:id', async (req, res) => {
    const body = await eventBody(deps, req.params.id);
    if (!body) return notFound(res, '/console/events', 'No such arrival (it may have been pruned).');
    await send(res, 'Event', '/console/events', body);
  });
  router.get('/runs', async (_req, res) => send(res, 'Runs', '/console/runs', await runsBody(deps)));
  router.get('/runs/:id', async (req, res) => {
    const run = await runBody(deps, req.params.id);
    if (!run) return notFound(res, '/console/runs', 'No such run.');
    await send(res, run.title, '/console/runs', run.body);
  });
  router.get('/approvals', async (_req, res) =>
    send(res, 'Approvals', '/console/approvals', await approvalsBody(deps, sessionOf(res).csrf)),
  );
  router.get('/dead-letters', async (_req, res) =>
    send(res, 'Dead letters', '/console/dead-letters', await deadLettersBody(deps, sessionOf(res).csrf)),
  );
  router.get('/health', async (_req, res) => send(res, 'Health', '/console/health', await healthBody(deps)));
  router.get('/mcp-tokens', async (_req, res) => {
    if (!deps.mcpTokens) return notFound(res, '/console/health', 'This service has no MCP server.');
    const { csrf } = sessionOf(res);
    await send(res, 'MCP tokens', '/console/mcp-tokens', await mcpTokensBody(deps, csrf), tokenForm(csrf));
  });

  // Live updates: the page asks every few seconds whether what it shows changed.
  router.get('/changes', async (req, res) => {
    const path = typeof req.query.path === 'string' ? req.query.path : '';
    res.json({ version: await fingerprint(deps, path), pollSeconds: deps.pollSeconds ?? 2 });
  });

  router.use(actionRoutes(deps));
  return router;
}

/** Changes whenever something the page at `path` shows may have changed. */
async function fingerprint(deps: ConsoleDeps, path: string): Promise<string> {
  const [arrival, runs, pending] = await Promise.all([
    deps.arrivals.latestId(),
    deps.audit.listRuns({ limit: 1 }),
    deps.audit.countPending(),
  ]);
  const parts: unknown[] = [arrival, runs.map((r) => [r.id, r.status, r.steps]), pending];
  const run = /^\/console\/runs\/([\w-]{1,100})$/.exec(path);
  if (run) {
    const r = await deps.audit.getRun(run[1]!);
    parts.push(
      r?.status,
      r?.calls.map((c) => c.status),
    );
  }
  if (path === '/console/dead-letters') {
    parts.push((await deps.bus.listDeadLetters({ limit: 500 })).map((l) => l.id));
  }
  if (path === '/console/health') parts.push(Math.floor(Date.now() / 5000));
  if (path === '/console/mcp-tokens' && deps.mcpTokens) {
    parts.push(
      (await deps.mcpTokens.list({ includeRevoked: true })).map((t) => [t.id, t.revokedAt, t.lastUsedAt]),
    );
  }
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

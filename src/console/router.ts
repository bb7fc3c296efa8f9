import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { authRoutes, sessionOf } from './auth.js';
import type { ConsolePage, PageView } from './console-page.js';
import type { ConsoleDeps } from './deps.js';
import { html } from './html.js';
import { page } from './layout.js';
import { consolePages } from './pages/index.js';
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

  // The pages on for this service, in navigation order (pages/index.ts).
  const pages = consolePages.filter((p) => !p.off?.(deps));
  const nav = pages.map((p) => ({ path: `/console${p.path}`, label: p.label }));
  const badges = async () =>
    Object.fromEntries(
      await Promise.all(
        pages.flatMap((p) => (p.badge ? [p.badge(deps).then((n) => [`/console${p.path}`, n])] : [])),
      ),
    ) as Record<string, number>;
  const send = async (res: Response, section: string, view: PageView, label: string): Promise<void> => {
    const { csrf } = sessionOf(res);
    const { title = label, body, before } = view;
    res.type('html').send(page({ title, section, csrf, badges: await badges(), body, before, nav }).value);
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
          nav,
        }).value,
      );

  router.get('/', (_req, res) => res.redirect(303, `/console${consolePages[0]!.path}`));
  for (const p of consolePages) {
    const section = `/console${p.path}`;
    const off = p.off?.(deps);
    if (off) {
      // Shown under Health, the page saying what this service runs.
      router.get(p.path, (_req, res) => notFound(res, '/console/health', off));
      continue;
    }
    router.get(p.path, async (req, res) =>
      send(res, section, await p.body(deps, req, sessionOf(res).csrf), p.label),
    );
    const item = p.item;
    if (item) {
      router.get(`${p.path}/:id`, async (req, res) => {
        const view = await item.body(deps, req.params.id, sessionOf(res).csrf);
        if (!view) return notFound(res, section, item.missing);
        await send(res, section, view, p.label);
      });
    }
  }

  // Live updates: the page asks every few seconds whether what it shows changed.
  router.get('/changes', async (req, res) => {
    const path = typeof req.query.path === 'string' ? req.query.path : '';
    res.json({ version: await fingerprint(deps, pages, path), pollSeconds: deps.pollSeconds ?? 2 });
  });

  // A page's actions answer even where it is off (saying so), as a stale form may still post to them.
  for (const p of consolePages) if (p.actions) router.use(p.actions(deps));
  return router;
}

/**
 * Changes whenever something the page at `path` shows may have changed: the newest arrival, runs and
 * approvals waiting (every page shows or counts them), and what the page (or its item) adds.
 */
async function fingerprint(deps: ConsoleDeps, pages: readonly ConsolePage[], path: string): Promise<string> {
  const [arrival, runs, pending] = await Promise.all([
    deps.arrivals.latestId(),
    deps.audit.listRuns({ limit: 1 }),
    deps.audit.countPending(),
  ]);
  const parts: unknown[] = [arrival, runs.map((r) => [r.id, r.status, r.steps]), pending];
  for (const p of pages) {
    const at = `/console${p.path}`;
    if (path === at && p.fingerprint) parts.push(...(await p.fingerprint(deps)));
    else if (path.startsWith(`${at}/`) && p.item?.fingerprint)
      parts.push(...(await p.item.fingerprint(deps, path.slice(at.length + 1))));
  }
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { html } from './html.js';
import { page } from './layout.js';
import { sameOrigin, type SessionKeys } from './session.js';

export const COOKIE = 'wea_console';

/** Reads one cookie from the request (no cookie parser dependency for one value). */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function setCookie(req: Request, res: Response, value: string, maxAgeSec: number) {
  const secure = req.secure ? '; Secure' : '';
  res.append(
    'Set-Cookie',
    `${COOKIE}=${value}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSec}${secure}`,
  );
}

/** The session id of a signed-in request (set by `requireSession`). */
export const sessionOf = (res: Response): { sid: string; csrf: string } =>
  res.locals.console as { sid: string; csrf: string };

/**
 * True when a request comes from the console's own origin, as the browser addressed it (behind a
 * proxy: X-Forwarded-Proto/-Host, which a cross-site form cannot set).
 */
export function originCheck(req: Request): boolean {
  return sameOrigin(
    {
      ...(req.get('origin') !== undefined ? { origin: req.get('origin')! } : {}),
      ...(req.get('sec-fetch-site') !== undefined ? { secFetchSite: req.get('sec-fetch-site')! } : {}),
      ...(req.get('referer') !== undefined ? { referer: req.get('referer')! } : {}),
    },
    `${req.protocol}://${req.host}`,
  );
}

function refuse(res: Response, status: number, message: string) {
  res
    .status(status)
    .type('html')
    .send(
      page({
        title: 'Refused',
        body: html`<p class="error">${message}</p>
          <p><a href="/console">Back to the console</a></p>`,
      }).value,
    );
}

/**
 * Sign-in and sign-out, and the guard for everything after them: a valid session cookie for any
 * request, plus same origin and the CSRF token for anything that is not GET/HEAD.
 */
export function authRoutes(keys: SessionKeys, options: { maxFailuresPerMinute?: number } = {}) {
  const router: Router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 200 });
  const maxFailures = options.maxFailuresPerMinute ?? 10;
  const failures = new Map<string, { count: number; since: number }>();

  const loginPage = (message?: string) =>
    page({
      title: 'Sign in',
      body: html`<form method="post" action="/console/login" class="login">
        ${message ? html`<p class="error" role="alert">${message}</p>` : ''}
        <label for="token">Admin token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required autofocus />
        <p class="muted">The value of <code>ADMIN_TOKEN</code> the service was started with.</p>
        <button type="submit" class="btn btn-approve">Sign in</button>
      </form>`,
    }).value;

  router.get('/login', (req, res) => {
    if (keys.verify(readCookie(req, COOKIE))) return res.redirect(303, '/console/events');
    res.type('html').send(loginPage());
  });

  router.post('/login', form, (req, res) => {
    if (!originCheck(req))
      return refuse(res, 403, 'Sign-in refused: the form was not sent from this console.');
    const ip = req.ip ?? 'unknown';
    const now = Date.now();
    const f = failures.get(ip);
    if (f && now - f.since < 60_000 && f.count >= maxFailures) {
      res
        .status(429)
        .set('Retry-After', '60')
        .type('html')
        .send(loginPage('Too many wrong tokens. Wait a minute.'));
      return;
    }
    const token = typeof req.body?.token === 'string' ? (req.body.token as string) : '';
    if (!token || !keys.tokenMatches(token)) {
      const fresh = !f || now - f.since >= 60_000;
      failures.set(ip, { count: fresh ? 1 : f.count + 1, since: fresh ? now : f.since });
      if (failures.size > 10_000) failures.clear();
      res.status(401).type('html').send(loginPage('That is not the admin token.'));
      return;
    }
    failures.delete(ip);
    const session = keys.issue(now);
    setCookie(req, res, session.value, Math.floor(keys.ttlMs / 1000));
    res.redirect(303, '/console/events');
  });

  const guard: RequestHandler = (req, res, next) => {
    const sid = keys.verify(readCookie(req, COOKIE));
    if (!sid) {
      if (req.method === 'GET' || req.method === 'HEAD') {
        if (req.get('x-console-fetch')) return void res.status(401).json({ error: 'signed out' });
        return res.redirect(303, '/console/login');
      }
      return refuse(res, 401, 'You are signed out. Sign in again.');
    }
    res.locals.console = { sid, csrf: keys.csrfFor(sid) };
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    if (!originCheck(req))
      return refuse(res, 403, 'Refused: this request did not come from the console itself.');
    form(req, res, (error?: unknown) => {
      if (error) return next(error);
      const candidate =
        req.get('x-csrf-token') ??
        (typeof req.body?._csrf === 'string' ? (req.body._csrf as string) : undefined);
      if (!keys.csrfMatches(sid, candidate))
        return refuse(res, 403, 'Refused: the form is stale or forged. Reload the page.');
      next();
    });
  };
  router.use(guard);

  router.post('/logout', (req, res) => {
    setCookie(req, res, '', 0);
    res.redirect(303, '/console/login');
  });

  return router;
}

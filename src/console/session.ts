import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Console sessions without server state: the cookie carries `{sid, exp}` signed with a key derived from
 * `ADMIN_TOKEN`, so every process holding the same token accepts it (ingress and workers behind one
 * address), and changing the token signs everyone out. The CSRF token is derived from the session id.
 */
export interface SessionKeys {
  /** Verifies a sign-in attempt in constant time. */
  tokenMatches(candidate: string): boolean;
  /** A new session cookie value, valid for `ttlMs`. */
  issue(now?: number): { value: string; sid: string; expiresAt: number };
  /** The session id of a valid, unexpired cookie value, or undefined. */
  verify(value: string | undefined, now?: number): string | undefined;
  /** The CSRF token of a session: forms send it back in `_csrf` (or the `x-csrf-token` header). */
  csrfFor(sid: string): string;
  /** True when `candidate` is the CSRF token of `sid`. */
  csrfMatches(sid: string, candidate: string | undefined): boolean;
  ttlMs: number;
}

const b64 = (buf: Buffer) => buf.toString('base64url');

function sameBytes(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Keys for one admin token. Sessions last `ttlMs` (default 12 hours) from sign-in. */
export function sessionKeys(adminToken: string, options: { ttlMs?: number } = {}): SessionKeys {
  const ttlMs = options.ttlMs ?? 12 * 60 * 60 * 1000;
  const key = createHmac('sha256', adminToken).update('wix-event-agent console session v1').digest();
  const mac = (purpose: string, data: string) =>
    b64(createHmac('sha256', key).update(`${purpose}\n${data}`).digest());
  const tokenDigest = createHmac('sha256', key).update(adminToken).digest();

  return {
    ttlMs,
    tokenMatches(candidate) {
      return timingSafeEqual(createHmac('sha256', key).update(candidate).digest(), tokenDigest);
    },
    issue(now = Date.now()) {
      const sid = b64(randomBytes(18));
      const expiresAt = now + ttlMs;
      const payload = `${sid}.${expiresAt.toString(36)}`;
      return { value: `${payload}.${mac('session', payload)}`, sid, expiresAt };
    },
    verify(value, now = Date.now()) {
      if (!value || value.length > 200) return undefined;
      const parts = value.split('.');
      if (parts.length !== 3) return undefined;
      const [sid, exp, sig] = parts as [string, string, string];
      if (!sameBytes(sig, mac('session', `${sid}.${exp}`))) return undefined;
      const expiresAt = parseInt(exp, 36);
      return Number.isFinite(expiresAt) && expiresAt > now ? sid : undefined;
    },
    csrfFor(sid) {
      return mac('csrf', sid);
    },
    csrfMatches(sid, candidate) {
      return typeof candidate === 'string' && sameBytes(candidate, mac('csrf', sid));
    },
  };
}

/**
 * True when a state-changing request comes from the console's own origin: its `Origin` header (or,
 * when a client sends none, `Sec-Fetch-Site: same-origin`, or else a `Referer` on this origin) names
 * `expectedOrigin` (`scheme://host[:port]` as the browser addressed us).
 */
export function sameOrigin(
  headers: { origin?: string; secFetchSite?: string; referer?: string },
  expectedOrigin: string,
): boolean {
  if (headers.origin !== undefined) return headers.origin === expectedOrigin;
  if (headers.secFetchSite !== undefined) return headers.secFetchSite === 'same-origin';
  if (headers.referer) {
    try {
      return new URL(headers.referer).origin === expectedOrigin;
    } catch {
      return false;
    }
  }
  return false;
}

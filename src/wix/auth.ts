import { z } from 'zod';
import { systemClock, type Clock } from '../lib/clock.js';
import { httpRequest, requesterFrom, type HttpAnswer } from '../lib/http-fetch.js';
import { abortable } from '../lib/abortable.js';
import { WixApiError, isRetryableStatus } from './errors.js';
import type { WixMetrics } from './metrics.js';

/** What authenticates one call. `token` identifies it when the API refuses it (401). */
export interface WixAuthorization {
  headers: Record<string, string>;
  /** True when a refused credential can be replaced by a fresh one (OAuth tokens, not API keys). */
  refreshable: boolean;
  token: string;
}

/** How the client authenticates as the app on a site. */
export interface WixAuth {
  /** Headers for a call on this site; may fetch (once, shared by concurrent callers) a new token. */
  authorize(instanceId: string, options?: { signal?: AbortSignal }): Promise<WixAuthorization>;
  /** Forgets a credential the API refused, unless a newer one already replaced it. */
  invalidate(instanceId: string, authorization: WixAuthorization): void;
}

export interface OAuthAuthOptions {
  /** App ID (`WIX_APP_ID`). */
  appId: string;
  /** App secret (`WIX_APP_SECRET`). */
  appSecret: string;
  /** API base URL. Default `https://www.wixapis.com`. */
  baseUrl?: string;
  /** Tokens are renewed this long before they expire. Default 300_000 (5 minutes). */
  refreshMarginMs?: number;
  /** Timeout of one token request. Default 10_000. */
  timeoutMs?: number;
  /**
   * A `fetch` to send the token requests with (a test's, say). Default `httpRequest` (lib/http-fetch.ts:
   * undici's request API, the answer read as text), as the Wix client.
   */
  fetch?: typeof fetch;
  /** Default the system clock. */
  clock?: Clock;
  metrics?: WixMetrics;
}

const tokenResponse = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.number().nonnegative().optional(),
});

interface CachedToken {
  token: string;
  expiresAt: number;
}

/**
 * App OAuth: `client_credentials` per app instance (`POST {base}/oauth2/token`). Tokens (4 hours) are
 * cached per instance, renewed before they expire, and concurrent callers share one request. The
 * header is the bare token, without `Bearer` (wix-reference.md, section C).
 */
export function createOAuthAuth(options: OAuthAuthOptions): WixAuth {
  const baseUrl = (options.baseUrl ?? 'https://www.wixapis.com').replace(/\/+$/, '');
  const refreshMarginMs = options.refreshMarginMs ?? 300_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const send = options.fetch ? requesterFrom(options.fetch) : httpRequest;
  const clock = options.clock ?? systemClock;
  const cache = new Map<string, CachedToken>();
  const inFlight = new Map<string, Promise<CachedToken>>();

  async function requestToken(instanceId: string): Promise<CachedToken> {
    const path = '/oauth2/token';
    let response: HttpAnswer;
    try {
      // The answer is read whole here: a connection lost in the middle of it is a failed request too.
      response = await send(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          grant_type: 'client_credentials',
          client_id: options.appId,
          client_secret: options.appSecret,
          instance_id: instanceId,
        }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      options.metrics?.tokenRequests.inc({ outcome: 'error' });
      throw new WixApiError('could not reach the Wix OAuth endpoint', {
        status: 0,
        code: 'TOKEN_REQUEST_FAILED',
        retryable: true,
        method: 'POST',
        path,
        cause,
      });
    }
    const requestId = response.headers.get('x-wix-request-id') ?? undefined;
    const text = response.text;
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const ok = response.status >= 200 && response.status < 300;
    const parsed = ok ? tokenResponse.safeParse(body) : undefined;
    if (!parsed?.success) {
      options.metrics?.tokenRequests.inc({ outcome: 'error' });
      const detail =
        body && typeof body === 'object' && 'error' in body
          ? ` (${String((body as { error: unknown }).error)})`
          : '';
      throw new WixApiError(`Wix refused the access token request: HTTP ${response.status}${detail}`, {
        status: response.status,
        code: 'TOKEN_REQUEST_FAILED',
        retryable: ok ? false : isRetryableStatus(response.status),
        requestId,
        method: 'POST',
        path,
      });
    }
    options.metrics?.tokenRequests.inc({ outcome: 'ok' });
    const ttlMs = (parsed.data.expires_in ?? 14_400) * 1000;
    // A token that lives shorter than the margin is still used for half its life.
    const usableMs = ttlMs > refreshMarginMs * 2 ? ttlMs - refreshMarginMs : ttlMs / 2;
    const cached = { token: parsed.data.access_token, expiresAt: clock.now() + usableMs };
    cache.set(instanceId, cached);
    return cached;
  }

  function token(instanceId: string): Promise<CachedToken> {
    const cached = cache.get(instanceId);
    if (cached && clock.now() < cached.expiresAt) return Promise.resolve(cached);
    let pending = inFlight.get(instanceId);
    if (!pending) {
      pending = requestToken(instanceId).finally(() => inFlight.delete(instanceId));
      inFlight.set(instanceId, pending);
    }
    return pending;
  }

  return {
    async authorize(instanceId, { signal } = {}) {
      // The shared request is not aborted by one caller; that caller just stops waiting.
      const { token: value } = await abortable(token(instanceId), signal);
      return { headers: { authorization: value }, refreshable: true, token: value };
    },
    invalidate(instanceId, authorization) {
      if (cache.get(instanceId)?.token === authorization.token) cache.delete(instanceId);
    },
  };
}

export interface ApiKeyAuthOptions {
  /** The site owner's API key (`WIX_API_KEY`). */
  apiKey: string;
  /** The site it may act on (`WIX_SITE_ID`), sent as `wix-site-id`. */
  siteId: string;
}

/** API key with a site id: one site, no token to renew; a 401 is final. */
export function createApiKeyAuth(options: ApiKeyAuthOptions): WixAuth {
  const authorization: WixAuthorization = {
    headers: { authorization: options.apiKey, 'wix-site-id': options.siteId },
    refreshable: false,
    token: options.apiKey,
  };
  return {
    async authorize() {
      return authorization;
    },
    invalidate() {},
  };
}

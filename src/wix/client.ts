import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import { sleep as defaultSleep } from '../lib/backoff.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { httpRequest, requesterFrom, type HttpAnswer, type HttpRequester } from '../lib/http-fetch.js';
import type { WixAuth, WixAuthorization } from './auth.js';
import { WixApiError, WixOutcomeUnknownError, errorFromResponse } from './errors.js';
import { LimiterWaitTooLongError, type RateLimiter } from './limiter/port.js';
import type { WixMetrics } from './metrics.js';
import { isWriteRequest, type WixRequest, type WixRequester, type WixResponse } from './request.js';
import { backoffDelayMs, defaultRetryPolicy, serverRetryDelayMs, type RetryPolicy } from './retry.js';

export * from './request.js';
export { observeRequests, type ObservedRequest } from './observe.js';

export interface WixClientOptions {
  auth: WixAuth;
  /** Every request waits for its site's slot here first. */
  limiter: RateLimiter;
  /** API base URL (`WIX_API_BASE_URL`). Default `https://www.wixapis.com`. */
  baseUrl?: string;
  /** Timeout of one HTTP attempt (shortened to the deadline). Default 20_000. */
  timeoutMs?: number;
  /** Overrides of `defaultRetryPolicy`. */
  retry?: Partial<RetryPolicy>;
  /**
   * A `fetch` to send the requests with (a test's, say). Default `httpRequest` (lib/http-fetch.ts:
   * undici's request API, the answer read as text without building a `Response`).
   */
  fetch?: typeof fetch;
  /** Default the system clock. */
  clock?: Clock;
  /** Sleep between retries after 5xx and network errors. Default a timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Source of jitter in [0, 1). Default Math.random. */
  random?: () => number;
  metrics?: WixMetrics;
  logger?: Logger;
  /** Default `wix-event-agent`. */
  userAgent?: string;
}

type Sent =
  | {
      ok: true;
      status: number;
      headers: HttpAnswer['headers'];
      body: unknown;
      requestId: string | undefined;
      sentAt: number;
    }
  | { ok: false; error: WixApiError; notSent: boolean };

/**
 * The Wix REST client: auth, per-site rate limiting, retries and error classification in one place.
 * - Every attempt waits for a slot from the site's limiter.
 * - 429: the site's limiter is penalized for the server's `Retry-After` / `ratelimit-reset`, else a
 *   jittered exponential backoff; then the request goes again. Any request may be retried after a 429.
 * - Reads (GET, or `read: true`): 5xx, timeouts and connection errors are retried with backoff.
 * - Writes are re-sent only when they certainly did not reach Wix: a refused connection, a failed DNS
 *   lookup, a failed token request, a 429 or a 401 (Wix refused them before doing anything). After a
 *   5xx, a timeout, a reset connection or an abort once sent, the outcome is unknown: the call fails with
 *   `WixOutcomeUnknownError` (not retryable) and is settled by the caller, never re-sent blindly. Wix
 *   documents no idempotency header, so none is sent or relied on.
 * - 401 with an OAuth token: the token is dropped, renewed once, and the request sent once more.
 * - A wait that would pass `deadline` fails at once with a retryable `DEADLINE` error.
 */
export class WixClient implements WixRequester {
  private readonly baseUrl: string;
  private readonly policy: RetryPolicy;
  private readonly clock: Clock;
  private readonly transport: HttpRequester;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly timeoutMs: number;

  constructor(private readonly options: WixClientOptions) {
    this.baseUrl = (options.baseUrl ?? 'https://www.wixapis.com').replace(/\/+$/, '');
    this.policy = { ...defaultRetryPolicy, ...options.retry };
    this.clock = options.clock ?? systemClock;
    this.transport = options.fetch ? requesterFrom(options.fetch) : httpRequest;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.timeoutMs = options.timeoutMs ?? 20_000;
  }

  async request<T = unknown>(request: WixRequest): Promise<WixResponse<T>> {
    const { method, path, instanceId, signal } = request;
    const repeatable = method === 'GET' || request.read === true;
    let transientFailures = 0;
    let rateLimitedCount = 0;
    let reauthorized = false;
    let attempts = 0;

    for (;;) {
      signal?.throwIfAborted();
      let authorization: WixAuthorization;
      try {
        authorization = await this.options.auth.authorize(instanceId, { signal });
      } catch (error) {
        signal?.throwIfAborted();
        // Nothing reached the API yet, so a failed token request may be retried for any call.
        if (error instanceof WixApiError && error.retryable && transientFailures < this.policy.maxRetries) {
          transientFailures += 1;
          await this.pause(request, this.backoff(transientFailures), 'token', error);
          continue;
        }
        throw error;
      }

      await this.waitForSlot(request);
      attempts += 1;
      const sent = await this.send(request, authorization);

      if (!sent.ok) {
        if ((repeatable || sent.notSent) && transientFailures < this.policy.maxRetries) {
          transientFailures += 1;
          await this.pause(
            request,
            this.backoff(transientFailures),
            sent.error.code.toLowerCase(),
            sent.error,
          );
          continue;
        }
        throw sent.error;
      }

      const { status, headers, body, requestId, sentAt } = sent;
      if (status >= 200 && status < 300) return { status, data: body as T, requestId, attempts };
      if (!repeatable && (status >= 500 || status === 408)) {
        throw new WixOutcomeUnknownError(
          `Wix answered ${status} to a write; it may have been applied [${method} ${path}]`,
          { status, requestId, method, path, sentAt },
        );
      }

      if (status === 401 && authorization.refreshable && !reauthorized) {
        reauthorized = true;
        this.options.auth.invalidate(instanceId, authorization);
        this.options.metrics?.retries.inc({ reason: 'unauthorized' });
        continue;
      }

      const serverDelay = serverRetryDelayMs(headers, this.clock.now());
      if (status === 429) {
        rateLimitedCount += 1;
        this.options.metrics?.rateLimited.inc();
        const delay =
          serverDelay ??
          backoffDelayMs(
            rateLimitedCount,
            this.policy.rateLimitBaseMs,
            this.policy.rateLimitMaxMs,
            this.random,
          );
        const error = errorFromResponse({ status, body, requestId, method, path, retryAfterMs: delay });
        if (rateLimitedCount > this.policy.maxRateLimitRetries) throw error;
        if (serverDelay !== undefined && serverDelay > this.policy.maxRetryAfterMs) throw error;
        this.checkDeadline(request, delay, error);
        this.options.logger?.warn(
          { instanceId, method, path, requestId, delayMs: delay, attempt: attempts },
          'wix rate limited; site penalized',
        );
        this.options.metrics?.retries.inc({ reason: 'rate_limited' });
        // The wait happens in the limiter, for every caller on this site, not just this one.
        await this.options.limiter.penalize(instanceId, delay).catch((e: unknown) => {
          throw this.limiterError(request, e);
        });
        continue;
      }

      const error = errorFromResponse({ status, body, requestId, method, path, retryAfterMs: serverDelay });
      const waitTooLong = serverDelay !== undefined && serverDelay > this.policy.maxRetryAfterMs;
      if (error.retryable && repeatable && !waitTooLong && transientFailures < this.policy.maxRetries) {
        transientFailures += 1;
        await this.pause(request, serverDelay ?? this.backoff(transientFailures), 'server_error', error);
        continue;
      }
      throw error;
    }
  }

  private backoff(failures: number): number {
    return backoffDelayMs(failures, this.policy.baseMs, this.policy.maxMs, this.random);
  }

  private async pause(
    request: WixRequest,
    delayMs: number,
    reason: string,
    cause: WixApiError,
  ): Promise<void> {
    this.checkDeadline(request, delayMs, cause);
    this.options.metrics?.retries.inc({ reason });
    this.options.logger?.info(
      {
        instanceId: request.instanceId,
        method: request.method,
        path: request.path,
        code: cause.code,
        delayMs,
      },
      'wix request will be retried',
    );
    await this.sleep(delayMs, request.signal);
  }

  /** Throws a retryable DEADLINE error when waiting `delayMs` more would pass the call's deadline. */
  private checkDeadline(request: WixRequest, delayMs: number, cause?: unknown): void {
    if (request.deadline === undefined) return;
    if (this.clock.now() + delayMs <= request.deadline) return;
    throw this.deadlineError(request, delayMs, cause);
  }

  private deadlineError(request: WixRequest, retryAfterMs: number, cause?: unknown): WixApiError {
    this.options.metrics?.deadlineExceeded.inc();
    return new WixApiError(`waiting ${Math.ceil(retryAfterMs)} ms for Wix would pass the call's deadline`, {
      status: 0,
      code: 'DEADLINE',
      retryable: true,
      retryAfterMs: Math.ceil(retryAfterMs),
      requestId: cause instanceof WixApiError ? cause.requestId : undefined,
      method: request.method,
      path: request.path,
      cause,
    });
  }

  /** A limiter failure (store down, closed) as a retryable WixApiError; an abort stays the caller's reason. */
  private limiterError(request: WixRequest, error: unknown): unknown {
    if (request.signal?.aborted) return request.signal.reason;
    const code = error instanceof AppError ? error.code : 'LIMITER_UNAVAILABLE';
    return new WixApiError(`rate limiter failed: ${error instanceof Error ? error.message : String(error)}`, {
      status: 0,
      code,
      retryable: true,
      method: request.method,
      path: request.path,
      cause: error,
    });
  }

  private async waitForSlot(request: WixRequest): Promise<void> {
    const maxWaitMs = request.deadline === undefined ? undefined : request.deadline - this.clock.now();
    if (maxWaitMs !== undefined && maxWaitMs <= 0) throw this.deadlineError(request, 0);
    try {
      const waited = await this.options.limiter.acquire(request.instanceId, {
        signal: request.signal,
        maxWaitMs,
      });
      this.options.metrics?.limiterWait.observe(waited / 1000);
    } catch (error) {
      if (error instanceof LimiterWaitTooLongError) throw this.deadlineError(request, error.waitMs, error);
      throw this.limiterError(request, error);
    }
  }

  private async send(request: WixRequest, authorization: WixAuthorization): Promise<Sent> {
    const { method, path, signal } = request;
    const metrics = this.options.metrics;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.options.userAgent ?? 'wix-event-agent',
      ...authorization.headers,
    };
    if (request.body !== undefined) headers['content-type'] = 'application/json';

    const remaining = request.deadline === undefined ? Infinity : request.deadline - this.clock.now();
    if (remaining <= 0) throw this.deadlineError(request, 0);
    const timeoutMs = Math.max(1, Math.floor(Math.min(this.timeoutMs, remaining)));
    // An abort before the request leaves is a plain abort: nothing was sent.
    signal?.throwIfAborted();
    // The call's own signal: the caller's, or the timeout (as `AbortSignal.timeout` would abort it). One
    // controller and one timer, cleared when the answer is read: `AbortSignal.any` + `AbortSignal.timeout`
    // cost ~7 × the CPU per call on Node 20, and their timers outlive the call.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    }, timeoutMs);
    const onAbort = () => controller.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const started = performance.now();
    const sentAt = this.clock.now();
    const write = isWriteRequest(request);
    try {
      const response = await this.transport(this.url(request), {
        method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: controller.signal,
      });
      const text = response.text;
      metrics?.requestDuration.observe({ method }, (performance.now() - started) / 1000);
      metrics?.responses.inc({ method, status: String(response.status) });
      const requestId = response.headers.get('x-wix-request-id') ?? undefined;
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch (cause) {
        if (response.status >= 200 && response.status < 300) {
          const error = new WixApiError(`Wix answered ${response.status} with a body that is not JSON`, {
            status: response.status,
            code: 'INVALID_RESPONSE',
            retryable: false,
            requestId,
            method,
            path,
            cause,
          });
          return {
            ok: false,
            error: write
              ? new WixOutcomeUnknownError(`${error.message}; the write was applied [${method} ${path}]`, {
                  status: response.status,
                  requestId,
                  method,
                  path,
                  sentAt,
                  cause,
                })
              : error,
            notSent: false,
          };
        }
        body = undefined;
      }
      return { ok: true, status: response.status, headers: response.headers, body, requestId, sentAt };
    } catch (cause) {
      const notSent = neverSent(cause);
      if (write && !notSent) {
        metrics?.responses.inc({ method, status: timedOut ? 'timeout' : 'network' });
        const why = signal?.aborted
          ? 'the call was aborted'
          : timedOut
            ? `Wix did not answer within ${timeoutMs} ms`
            : 'the connection failed';
        throw new WixOutcomeUnknownError(`${why} after the write was sent; it may have been applied`, {
          status: 0,
          method,
          path,
          sentAt,
          cause: signal?.aborted ? signal.reason : cause,
        });
      }
      signal?.throwIfAborted();
      metrics?.responses.inc({ method, status: timedOut ? 'timeout' : 'network' });
      if (timedOut && request.deadline !== undefined && this.clock.now() >= request.deadline) {
        return { ok: false, error: this.deadlineError(request, 0, cause), notSent: false };
      }
      const error = new WixApiError(
        timedOut ? `Wix did not answer within ${timeoutMs} ms` : 'could not reach the Wix API',
        { status: 0, code: timedOut ? 'TIMEOUT' : 'NETWORK_ERROR', retryable: true, method, path, cause },
      );
      return { ok: false, error, notSent };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private url(request: WixRequest): string {
    const url = new URL(`${this.baseUrl}${request.path}`);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, item);
      else url.searchParams.set(key, String(value));
    }
    return url.toString();
  }
}

/**
 * Connection failures that happen before a single byte of the request leaves: a refused connection or
 * a failed DNS lookup. Only these make a write safe to send again.
 */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** The request certainly never left (see `NOT_SENT_CODES`). */
function neverSent(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' && NOT_SENT_CODES.has(cause.code);
}

export function createWixClient(options: WixClientOptions): WixClient {
  return new WixClient(options);
}

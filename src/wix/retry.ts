import { fullJitterBackoff } from '../lib/backoff.js';

/** How the client retries. Every field has a default (`defaultRetryPolicy`). */
export interface RetryPolicy {
  /**
   * Retries after a 5xx, a timeout or a connection error. Only reads (GET, or a POST marked
   * `read: true`) and writes that carry an idempotency key are retried. Default 3.
   */
  maxRetries: number;
  /** Backoff for those retries: full jitter over `baseMs * 2^(n-1)`, capped at `maxMs`. Defaults 250 / 8000. */
  baseMs: number;
  maxMs: number;
  /** Retries after a 429 (any request: a refused request did nothing). Default 8. */
  maxRateLimitRetries: number;
  /** Backoff after a 429 that names no wait (no `Retry-After`, no `ratelimit-reset`). Defaults 1000 / 30_000. */
  rateLimitBaseMs: number;
  rateLimitMaxMs: number;
  /**
   * Longest server-named wait (Retry-After, ratelimit-reset) that is waited out. A longer one fails
   * the call at once as retryable, with `retryAfterMs`, so the whole event is retried later. Default 120_000.
   */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 3,
  baseMs: 250,
  maxMs: 8_000,
  maxRateLimitRetries: 8,
  rateLimitBaseMs: 1_000,
  rateLimitMaxMs: 30_000,
  maxRetryAfterMs: 120_000,
};

function parseSeconds(value: string): number | undefined {
  const trimmed = value.trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/**
 * The wait a response asks for, in ms: `Retry-After` (delta seconds or an HTTP date), else
 * `ratelimit-reset` / `x-ratelimit-reset` (delta seconds, or epoch seconds when it looks like one),
 * else the `reset=` parameter of a structured `RateLimit` header. Undefined when none is present.
 * Wix documents none of these (wix-reference.md, section E), so they are honoured when they appear.
 */
export function serverRetryDelayMs(headers: Pick<Headers, 'get'>, nowMs: number): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = parseSeconds(retryAfter);
    if (seconds !== undefined) return Math.round(seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - nowMs);
  }
  const reset = headers.get('ratelimit-reset') ?? headers.get('x-ratelimit-reset');
  if (reset !== null) {
    const seconds = parseSeconds(reset);
    if (seconds !== undefined) {
      // Some servers send an epoch time here; a delta is never that large.
      return seconds > 1_000_000_000 ? Math.max(0, seconds * 1000 - nowMs) : Math.round(seconds * 1000);
    }
  }
  const structured = headers.get('ratelimit');
  const match = structured ? /(?:^|[;,\s])reset=(\d+)/.exec(structured) : null;
  if (match?.[1]) return Number(match[1]) * 1000;
  return undefined;
}

/** Backoff after the n-th failure (n >= 1), full jitter. */
export function backoffDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  return fullJitterBackoff(attempt, { baseMs, maxMs, random });
}

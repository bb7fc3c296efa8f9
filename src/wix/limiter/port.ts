import { AppError } from '../../errors.js';

/** Options of `RateLimiter.acquire`. */
export interface AcquireOptions {
  /** Aborting rejects the pending acquire with the signal's reason; no slot is used. */
  signal?: AbortSignal;
  /**
   * Longest acceptable wait. When the limiter can tell the wait will be longer (a backlog, a
   * penalty), it rejects at once with `LimiterWaitTooLongError` instead of waiting. Default: no bound.
   */
  maxWaitMs?: number;
}

/**
 * Per-site request budget for the Wix API (the site = the app instance). The guarantee every
 * adapter keeps: no window of `windowMs + arrivalSpreadMs` (fixed or sliding) sees more than `limit`
 * granted slots, so no window of `windowMs` at Wix, which counts requests as they arrive, sees more
 * while their delays from slot to arrival differ by at most `arrivalSpreadMs`.
 */
export interface RateLimiter {
  /** Waits for a slot for this site; resolves with the ms waited. */
  acquire(instanceId: string, options?: AcquireOptions): Promise<number>;
  /** Grants no slot for this site during the next `ms` (after a 429). Never shortens a longer penalty. */
  penalize(instanceId: string, ms: number): Promise<void>;
  /** Rejects pending acquires with `LimiterClosedError` and releases timers. Connections passed in stay open. */
  close(): Promise<void>;
}

/** Shape of the budget. */
export interface RateLimitOptions {
  /** Slots in any window of `windowMs`. Default 200 (Wix: 200 requests per minute per app instance). */
  limit?: number;
  /** Window length. Default 60_000. */
  windowMs?: number;
  /**
   * Slots that may go at once after a quiet spell. Default 5% of `limit` (at least 1, at most half).
   * The sustained rate is `(limit - burst) / windowMs`, so a burst plus one window's refill never
   * exceeds `limit`.
   */
  burst?: number;
  /**
   * How much longer one request may take than another between its slot and Wix receiving it, in ms
   * (the event loop, the connection, the network). Wix counts a request when it arrives, so a request
   * that left late can land in the same window as one granted a whole window after it; the adapters
   * keep `limit` over `windowMs + arrivalSpreadMs` at the grant. Default `windowMs / 60` (1 s for Wix's
   * minute; the sustained rate is then 1.6 % below `(limit - burst) / windowMs`).
   */
  arrivalSpreadMs?: number;
}

export interface ResolvedRateLimit {
  limit: number;
  windowMs: number;
  burst: number;
  arrivalSpreadMs: number;
  /** The window the adapters keep `limit` over at the grant: `windowMs + arrivalSpreadMs`. */
  grantWindowMs: number;
  /** ms between slots at the sustained rate: `grantWindowMs / (limit - burst)`. */
  intervalMs: number;
}

export function resolveRateLimit(options: RateLimitOptions = {}): ResolvedRateLimit {
  const limit = options.limit ?? 200;
  const windowMs = options.windowMs ?? 60_000;
  if (!Number.isInteger(limit) || limit < 2)
    throw new RangeError(`rate limit must be an integer >= 2, got ${limit}`);
  if (!(windowMs > 0)) throw new RangeError(`rate limit window must be > 0 ms, got ${windowMs}`);
  const burst = options.burst ?? Math.min(Math.floor(limit / 2), Math.max(1, Math.round(limit * 0.05)));
  if (!Number.isInteger(burst) || burst < 1 || burst > limit / 2) {
    throw new RangeError(`rate limit burst must be an integer in [1, limit/2], got ${burst}`);
  }
  const arrivalSpreadMs = options.arrivalSpreadMs ?? windowMs / 60;
  if (!(arrivalSpreadMs >= 0) || !Number.isFinite(arrivalSpreadMs)) {
    throw new RangeError(`rate limit arrival spread must be a finite number >= 0 ms, got ${arrivalSpreadMs}`);
  }
  const grantWindowMs = windowMs + arrivalSpreadMs;
  return {
    limit,
    windowMs,
    burst,
    arrivalSpreadMs,
    grantWindowMs,
    intervalMs: grantWindowMs / (limit - burst),
  };
}

/** The limiter can tell the wait would exceed `maxWaitMs`; `waitMs` is its estimate. */
export class LimiterWaitTooLongError extends AppError {
  constructor(readonly waitMs: number) {
    super(`rate limiter wait of ${Math.ceil(waitMs)} ms exceeds the allowed wait`, {
      code: 'LIMITER_WAIT_TOO_LONG',
      retryable: true,
      retryAfterMs: Math.ceil(waitMs),
    });
  }
}

export class LimiterClosedError extends AppError {
  constructor() {
    super('rate limiter closed', { code: 'LIMITER_CLOSED', retryable: true });
  }
}

/** The shared store behind the limiter (Redis) failed. */
export class LimiterUnavailableError extends AppError {
  constructor(cause: unknown) {
    super('rate limiter store unavailable', { code: 'LIMITER_UNAVAILABLE', retryable: true, cause });
  }
}

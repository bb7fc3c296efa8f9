import { systemClock, type Clock } from '../../lib/clock.js';
import {
  LimiterClosedError,
  LimiterWaitTooLongError,
  resolveRateLimit,
  type AcquireOptions,
  type RateLimiter,
  type RateLimitOptions,
  type ResolvedRateLimit,
} from './port.js';

export interface MemoryLimiterOptions extends RateLimitOptions {
  /** Time source. Default the system clock. */
  clock?: Clock;
}

interface Waiter {
  startedAt: number;
  resolve: (waitedMs: number) => void;
  reject: (error: unknown) => void;
  detach: () => void;
}

/** One site's token bucket: `burst` capacity, refilled one token per `intervalMs`. */
interface Bucket {
  tokens: number;
  updatedAt: number;
  blockedUntil: number;
  queue: Waiter[];
  timer: NodeJS.Timeout | undefined;
}

/**
 * In-process token bucket per site, for one process. Waiters are served first come, first served
 * by a single timer per site, so a penalty (429) holds back everyone queued, and the end of a
 * penalty releases at most `burst` requests at once.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly rate: ResolvedRateLimit;
  private readonly clock: Clock;
  private readonly buckets = new Map<string, Bucket>();
  private closed = false;
  private acquiresSinceSweep = 0;

  constructor(options: MemoryLimiterOptions = {}) {
    this.rate = resolveRateLimit(options);
    this.clock = options.clock ?? systemClock;
  }

  acquire(instanceId: string, options: AcquireOptions = {}): Promise<number> {
    if (this.closed) return Promise.reject(new LimiterClosedError());
    const { signal, maxWaitMs } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (++this.acquiresSinceSweep >= 1000) this.sweep();

    const now = this.clock.now();
    const bucket = this.bucket(instanceId, now);
    this.refill(bucket, now);
    if (bucket.queue.length === 0 && bucket.blockedUntil <= now && bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return Promise.resolve(0);
    }
    const estimate = this.estimateWait(bucket, now);
    if (maxWaitMs !== undefined && estimate > maxWaitMs) {
      return Promise.reject(new LimiterWaitTooLongError(estimate));
    }
    return new Promise<number>((resolve, reject) => {
      const onAbort = () => {
        const index = bucket.queue.indexOf(waiter);
        if (index >= 0) bucket.queue.splice(index, 1);
        reject(signal?.reason);
        this.schedule(bucket);
      };
      const waiter: Waiter = {
        startedAt: now,
        resolve,
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      bucket.queue.push(waiter);
      this.schedule(bucket);
    });
  }

  async penalize(instanceId: string, ms: number): Promise<void> {
    if (this.closed || !(ms > 0)) return;
    const now = this.clock.now();
    const bucket = this.bucket(instanceId, now);
    bucket.blockedUntil = Math.max(bucket.blockedUntil, now + ms);
    this.schedule(bucket);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const bucket of this.buckets.values()) {
      if (bucket.timer) clearTimeout(bucket.timer);
      for (const waiter of bucket.queue.splice(0)) {
        waiter.detach();
        waiter.reject(new LimiterClosedError());
      }
    }
    this.buckets.clear();
  }

  private bucket(instanceId: string, now: number): Bucket {
    let bucket = this.buckets.get(instanceId);
    if (!bucket) {
      bucket = { tokens: this.rate.burst, updatedAt: now, blockedUntil: 0, queue: [], timer: undefined };
      this.buckets.set(instanceId, bucket);
    }
    return bucket;
  }

  private refill(bucket: Bucket, now: number): void {
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(this.rate.burst, bucket.tokens + elapsed / this.rate.intervalMs);
    bucket.updatedAt = now;
  }

  /** When a newcomer at the back of the queue would get its slot. */
  private estimateWait(bucket: Bucket, now: number): number {
    const start = Math.max(now, bucket.blockedUntil);
    const tokensAtStart = Math.min(this.rate.burst, bucket.tokens + (start - now) / this.rate.intervalMs);
    const missing = bucket.queue.length + 1 - tokensAtStart;
    return start - now + Math.max(0, missing) * this.rate.intervalMs;
  }

  /** Grants what can be granted now, then sets one timer for the next grant. */
  private schedule(bucket: Bucket): void {
    if (bucket.timer) clearTimeout(bucket.timer);
    bucket.timer = undefined;
    if (this.closed) return;
    const now = this.clock.now();
    this.refill(bucket, now);
    while (bucket.queue.length > 0 && bucket.blockedUntil <= now && bucket.tokens >= 1) {
      bucket.tokens -= 1;
      const waiter = bucket.queue.shift() as Waiter;
      waiter.detach();
      waiter.resolve(now - waiter.startedAt);
    }
    if (bucket.queue.length === 0) return;
    const untilUnblocked = bucket.blockedUntil - now;
    const untilToken = (1 - bucket.tokens) * this.rate.intervalMs;
    const delay = Math.max(1, Math.ceil(Math.max(untilUnblocked, untilToken)));
    bucket.timer = setTimeout(() => this.schedule(bucket), delay);
  }

  /** Drops buckets that are back to their initial state, so idle sites cost no memory. */
  private sweep(): void {
    this.acquiresSinceSweep = 0;
    const now = this.clock.now();
    for (const [id, bucket] of this.buckets) {
      this.refill(bucket, now);
      if (bucket.queue.length === 0 && bucket.blockedUntil <= now && bucket.tokens >= this.rate.burst) {
        this.buckets.delete(id);
      }
    }
  }
}

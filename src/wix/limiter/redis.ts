import { setMaxListeners } from 'node:events';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { sleep } from '../../lib/backoff.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import { abortable } from '../../lib/abortable.js';
import {
  LimiterClosedError,
  LimiterUnavailableError,
  LimiterWaitTooLongError,
  resolveRateLimit,
  type AcquireOptions,
  type RateLimiter,
  type RateLimitOptions,
} from './port.js';

export interface RedisLimiterOptions extends RateLimitOptions {
  /** ioredis client. Owned by the caller: `close()` leaves it open. */
  redis: Redis;
  /** Prefix of every key; give each app, environment or test its own. Default `wix-limiter`. */
  keyPrefix?: string;
  /** Time source for cell boundaries. Default the system clock (processes must share a clock, e.g. NTP). */
  clock?: Clock;
}

interface SiteQueue {
  tail: Promise<void>;
  pending: number;
}

/**
 * Per-site budget shared by every process through Redis, using rate-limiter-flexible.
 *
 * rate-limiter-flexible's Redis windows have whole-second expiry and start at a key's first request,
 * so a plain `points per duration` limiter lets up to twice `points` through around a window edge. To
 * keep the port's guarantee (no window of `grantWindowMs`, the window plus the arrival spread, sees
 * more than `limit`), time is cut into clock-aligned cells of `grantWindowMs / k` ms, each allowing
 * `burst` slots, with `(k + 1) * burst <= limit`: any such window touches at most k + 1 cells. The
 * sustained rate, `(limit - burst) / grantWindowMs`, matches the in-memory bucket. Each cell is one
 * RateLimiterRedis key (atomic INCR + expiry in Lua); a penalty is RateLimiterRedis `block` on a
 * second key, rounded up to whole seconds (Redis EX).
 *
 * Inside one process, waiters for a site queue first come, first served, so only the head of the
 * queue polls Redis.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly cells: RateLimiterRedis;
  private readonly blocks: RateLimiterRedis;
  private readonly cellMs: number;
  private readonly burst: number;
  private readonly clock: Clock;
  private readonly queues = new Map<string, SiteQueue>();
  private readonly closing = new AbortController();

  constructor(options: RedisLimiterOptions) {
    const rate = resolveRateLimit(options);
    const cellsPerWindow = Math.floor(rate.limit / rate.burst) - 1;
    this.cellMs = rate.grantWindowMs / cellsPerWindow;
    this.burst = rate.burst;
    this.clock = options.clock ?? systemClock;
    // Every pending acquire listens for close.
    setMaxListeners(0, this.closing.signal);
    const prefix = options.keyPrefix ?? 'wix-limiter';
    this.cells = new RateLimiterRedis({
      storeClient: options.redis,
      keyPrefix: `${prefix}:cell`,
      points: rate.burst,
      // Expiry only cleans up: the cell index is part of the key.
      duration: Math.max(1, Math.ceil((2 * this.cellMs) / 1000)),
    });
    this.blocks = new RateLimiterRedis({
      storeClient: options.redis,
      keyPrefix: `${prefix}:block`,
      points: 1,
      duration: 1,
    });
  }

  async acquire(instanceId: string, options: AcquireOptions = {}): Promise<number> {
    if (this.closing.signal.aborted) throw new LimiterClosedError();
    const { signal, maxWaitMs } = options;
    if (signal?.aborted) throw signal.reason;
    const startedAt = this.clock.now();
    const queue = this.queues.get(instanceId) ?? { tail: Promise.resolve(), pending: 0 };
    this.queues.set(instanceId, queue);

    // Slots at the sustained rate are the least this waiter waits behind the ones already queued.
    const minimumWait = Math.max(0, queue.pending + 1 - this.burst) * (this.cellMs / this.burst);
    if (maxWaitMs !== undefined && minimumWait > maxWaitMs) throw new LimiterWaitTooLongError(minimumWait);

    const previous = queue.tail;
    let release!: () => void;
    queue.tail = new Promise<void>((resolve) => (release = resolve));
    queue.pending += 1;
    const done = () => {
      queue.pending -= 1;
      if (queue.pending === 0 && this.queues.get(instanceId) === queue) this.queues.delete(instanceId);
      release();
    };
    const waitSignal = signal ? AbortSignal.any([signal, this.closing.signal]) : this.closing.signal;
    try {
      await abortable(previous, waitSignal);
    } catch (error) {
      // Keep the chain in order: this place is released when the one before it is.
      void previous.then(done);
      throw this.closing.signal.aborted ? new LimiterClosedError() : error;
    }
    try {
      return await this.poll(instanceId, startedAt, waitSignal, maxWaitMs);
    } catch (error) {
      throw this.closing.signal.aborted ? new LimiterClosedError() : error;
    } finally {
      done();
    }
  }

  async penalize(instanceId: string, ms: number): Promise<void> {
    if (this.closing.signal.aborted || !(ms > 0)) return;
    const seconds = Math.max(1, Math.ceil(ms / 1000));
    try {
      const current = await this.blocks.get(instanceId);
      if (current && current.consumedPoints > 1 && current.msBeforeNext >= seconds * 1000) return;
      await this.blocks.block(instanceId, seconds);
    } catch (error) {
      throw new LimiterUnavailableError(error);
    }
  }

  async close(): Promise<void> {
    this.closing.abort(new LimiterClosedError());
  }

  private async poll(
    instanceId: string,
    startedAt: number,
    signal: AbortSignal,
    maxWaitMs: number | undefined,
  ): Promise<number> {
    for (;;) {
      let waitMs: number;
      let blocked: RateLimiterRes | null;
      try {
        blocked = await this.blocks.get(instanceId);
      } catch (error) {
        throw new LimiterUnavailableError(error);
      }
      const now = this.clock.now();
      if (blocked && blocked.consumedPoints > 1 && blocked.msBeforeNext > 0) {
        waitMs = blocked.msBeforeNext;
      } else {
        const cell = Math.floor(now / this.cellMs);
        try {
          await this.cells.consume(`${instanceId}:${cell}`);
          return this.clock.now() - startedAt;
        } catch (error) {
          if (!(error instanceof RateLimiterRes)) throw new LimiterUnavailableError(error);
          waitMs = (cell + 1) * this.cellMs - now;
        }
      }
      const total = now - startedAt + waitMs;
      if (maxWaitMs !== undefined && total > maxWaitMs) throw new LimiterWaitTooLongError(total);
      await sleep(Math.max(1, Math.ceil(waitMs)), signal);
    }
  }
}

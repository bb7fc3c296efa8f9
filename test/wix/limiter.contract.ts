import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  LimiterClosedError,
  LimiterWaitTooLongError,
  resolveRateLimit,
  type RateLimiter,
  type RateLimitOptions,
} from '../../src/wix/limiter/port.js';
import { maxInWindow } from './support.js';

export type LimiterFactory = (
  options: RateLimitOptions & { keyPrefix: string },
) => RateLimiter | Promise<RateLimiter>;

export interface ContractOptions {
  /** Penalties are rounded up to this (Redis: whole seconds). */
  penaltyGranularityMs: number;
}

/** The behaviour every RateLimiter adapter must have. */
export function limiterContract(name: string, make: LimiterFactory, options: ContractOptions): void {
  // Several cases bound how long the limiter may take ("a burst goes through at once", "sites are
  // independent") in wall-clock milliseconds; a machine busy with the rest of the suite can stall a Redis
  // round trip or the event loop past them. A case is therefore tried up to three times: a limiter that
  // really holds a burst back or couples sites fails every try.
  describe(`RateLimiter contract: ${name}`, { retry: 2 }, () => {
    const open: RateLimiter[] = [];
    const limiter = async (rate: RateLimitOptions = { limit: 20, windowMs: 500, burst: 2 }) => {
      const created = await make({ ...rate, keyPrefix: `test-${randomUUID()}` });
      open.push(created);
      return created;
    };
    const site = () => `site-${randomUUID()}`;
    afterEach(async () => {
      await Promise.all(open.splice(0).map((l) => l.close()));
    });

    it('lets a burst through at once, then never more than `limit` in a window widened by the arrival spread, at >= 90% of the sustained rate', async () => {
      // A spread of 100 ms (three times the 33 ms between slots): requests that reach Wix up to 100 ms
      // later than others must still never put more than `limit` into one of Wix's 500 ms windows.
      const rate = { limit: 20, windowMs: 500, burst: 2, arrivalSpreadMs: 100 };
      const l = await limiter(rate);
      const key = site();
      const started = Date.now();
      const times = await Promise.all(
        Array.from({ length: 40 }, () => l.acquire(key).then(() => Date.now())),
      );
      const duration = Math.max(...times) - started;
      const sorted = [...times].sort((a, b) => a - b);

      expect(sorted[rate.burst - 1]! - started).toBeLessThan(40);
      expect(maxInWindow(times, rate.windowMs + rate.arrivalSpreadMs)).toBeLessThanOrEqual(rate.limit);
      const expected = (40 - rate.burst) * resolveRateLimit(rate).intervalMs;
      expect(duration).toBeGreaterThanOrEqual(expected * 0.85);
      expect(duration).toBeLessThanOrEqual(expected / 0.9 + 60);
    });

    it('keeps sites independent', async () => {
      const l = await limiter();
      const busy = site();
      const backlog = Array.from({ length: 12 }, () => l.acquire(busy));
      const started = Date.now();
      const waited = await l.acquire(site());
      expect(Date.now() - started).toBeLessThan(40);
      expect(waited).toBeLessThan(40);
      await Promise.all(backlog);
    });

    it('penalize holds a site back for at least the penalty, and only that site', async () => {
      const l = await limiter();
      const [a, b] = [site(), site()];
      await l.penalize(a, 300);
      const started = Date.now();
      const other = l.acquire(b).then(() => Date.now() - started);
      const waited = await l.acquire(a);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThanOrEqual(300 + options.penaltyGranularityMs + 150);
      expect(waited).toBeGreaterThanOrEqual(280);
      expect(await other).toBeLessThan(40);
    });

    it('a shorter penalty never shortens a longer one', async () => {
      const l = await limiter();
      const a = site();
      await l.penalize(a, 1200);
      await l.penalize(a, 100);
      const started = Date.now();
      await l.acquire(a);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1150);
    });

    it('an aborted acquire rejects with the reason at once, and the queue moves on', async () => {
      const l = await limiter({ limit: 4, windowMs: 400, burst: 1 });
      const a = site();
      await l.acquire(a); // the burst
      const first = l.acquire(a);
      const controller = new AbortController();
      const second = l.acquire(a, { signal: controller.signal });
      const third = l.acquire(a);
      const reason = new Error('run cancelled');
      const abortedAt = Date.now();
      controller.abort(reason);
      await expect(second).rejects.toBe(reason);
      expect(Date.now() - abortedAt).toBeLessThan(50);
      await expect(first).resolves.toBeTypeOf('number');
      await expect(third).resolves.toBeTypeOf('number');
      const already = new AbortController();
      already.abort(reason);
      await expect(l.acquire(a, { signal: already.signal })).rejects.toBe(reason);
    });

    it('rejects at once when the wait is known to exceed maxWaitMs', async () => {
      const l = await limiter();
      const [a, b] = [site(), site()];
      await l.penalize(a, 2000);
      let started = Date.now();
      const error = await l.acquire(a, { maxWaitMs: 100 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LimiterWaitTooLongError);
      expect((error as LimiterWaitTooLongError).waitMs).toBeGreaterThan(100);
      expect(Date.now() - started).toBeLessThan(100);

      const backlog = Array.from({ length: 30 }, () => l.acquire(b));
      started = Date.now();
      await expect(l.acquire(b, { maxWaitMs: 10 })).rejects.toBeInstanceOf(LimiterWaitTooLongError);
      expect(Date.now() - started).toBeLessThan(100);
      await Promise.all(backlog);
    });

    it('close rejects pending and later acquires', async () => {
      const l = await limiter({ limit: 4, windowMs: 10_000, burst: 1 });
      const a = site();
      await l.acquire(a);
      const pending = l.acquire(a);
      await l.close();
      await expect(pending).rejects.toBeInstanceOf(LimiterClosedError);
      await expect(l.acquire(a)).rejects.toBeInstanceOf(LimiterClosedError);
    });
  });
}

/** How the emulator limits each site: at most `limit` requests in any window of `windowMs`. */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

/** What the emulator observed for one site. */
export interface RateStats {
  limit: number | undefined;
  windowMs: number | undefined;
  /** API requests received (token requests excluded), refused ones included. */
  requests: number;
  /** Of which refused with 429 by the limiter or a 429 storm. */
  rejected: number;
  /** Most requests received in any window of `windowMs` (half-open, like the limiter's). */
  maxInWindow: number;
  firstAt: number | undefined;
  lastAt: number | undefined;
}

interface SiteLog {
  times: number[];
  rejected: number;
}

const MAX_TIMES = 200_000;

/**
 * Sliding-window log per site. Every request counts, refused ones too, as a client that keeps
 * knocking keeps the window full. Also the record tests read the observed rate from.
 */
export class RateWindow {
  private readonly sites = new Map<string, SiteLog>();

  constructor(private readonly rule: RateLimitRule | undefined) {}

  private log(instanceId: string): SiteLog {
    let log = this.sites.get(instanceId);
    if (!log) {
      log = { times: [], rejected: 0 };
      this.sites.set(instanceId, log);
    }
    return log;
  }

  /** Records a request at `now`. Returns ms until the window has room when it is over the limit. */
  hit(instanceId: string, now: number): number | undefined {
    const log = this.log(instanceId);
    if (log.times.length >= MAX_TIMES) log.times.splice(0, MAX_TIMES / 2);
    let over: number | undefined;
    if (this.rule) {
      const first = firstAfter(log.times, now - this.rule.windowMs);
      const inWindow = log.times.length - first;
      if (inWindow >= this.rule.limit) {
        const oldestThatMatters = log.times[log.times.length - this.rule.limit] ?? now;
        over = Math.max(1, oldestThatMatters + this.rule.windowMs - now);
      }
    }
    log.times.push(now);
    return over;
  }

  /** Counts a refusal (limiter or storm). */
  rejected(instanceId: string): void {
    this.log(instanceId).rejected += 1;
  }

  stats(instanceId: string): RateStats {
    const log = this.sites.get(instanceId) ?? { times: [], rejected: 0 };
    const windowMs = this.rule?.windowMs ?? 60_000;
    let maxInWindow = 0;
    for (let i = 0, j = 0; j < log.times.length; j++) {
      while ((log.times[j] as number) - (log.times[i] as number) >= windowMs) i++;
      maxInWindow = Math.max(maxInWindow, j - i + 1);
    }
    return {
      limit: this.rule?.limit,
      windowMs: this.rule?.windowMs,
      requests: log.times.length,
      rejected: log.rejected,
      maxInWindow,
      firstAt: log.times[0],
      lastAt: log.times.at(-1),
    };
  }

  reset(): void {
    this.sites.clear();
  }
}

/** Index of the first time > t (times ascending). */
function firstAfter(times: number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

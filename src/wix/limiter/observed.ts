import type { AcquireOptions, RateLimiter } from './port.js';

/** What one site's limiter did recently, as this process saw it (the console's health page). */
export interface SiteLimiterStats {
  instanceId: string;
  /** Slots granted in the last minute. */
  grantedLastMinute: number;
  /** Requests waiting for a slot now. */
  waiting: number;
  /** Longest wait for a slot in the last minute (ms). */
  longestWaitMs: number;
  /** Penalties (after a 429) so far. */
  penalties: number;
  /** End of the current penalty, ISO, or null when none is running. */
  penalizedUntil: string | null;
  /** Last time a slot was asked for, ISO. */
  lastSeen: string;
}

export type ObservedLimiter = RateLimiter & {
  /** Sites seen, most recently active first. */
  stats(): SiteLimiterStats[];
};

interface Site {
  grants: { at: number; waitedMs: number }[];
  waiting: number;
  penalties: number;
  penalizedUntil: number;
  lastSeen: number;
}

/**
 * Wraps a limiter to keep per-site figures for the operator; behaviour is unchanged. Keeps at most
 * `maxSites` sites (least recently seen dropped first). Figures are this process's view only: with a
 * Redis limiter shared by several workers, each worker shows its own requests.
 */
export function observeLimiter(
  inner: RateLimiter,
  options: { now?: () => number; maxSites?: number } = {},
): ObservedLimiter {
  const now = options.now ?? Date.now;
  const maxSites = options.maxSites ?? 1000;
  const sites = new Map<string, Site>();

  const site = (id: string): Site => {
    let s = sites.get(id);
    if (s) sites.delete(id);
    else s = { grants: [], waiting: 0, penalties: 0, penalizedUntil: 0, lastSeen: 0 };
    s.lastSeen = now();
    sites.set(id, s); // re-inserted: the map's order is least recently seen first
    if (sites.size > maxSites) sites.delete(sites.keys().next().value!);
    return s;
  };
  const prune = (s: Site, at: number) => {
    while (s.grants.length && s.grants[0]!.at < at - 60_000) s.grants.shift();
  };

  return {
    async acquire(instanceId: string, acquireOptions?: AcquireOptions) {
      const s = site(instanceId);
      s.waiting++;
      try {
        const waitedMs = await inner.acquire(instanceId, acquireOptions);
        const at = now();
        prune(s, at);
        s.grants.push({ at, waitedMs });
        return waitedMs;
      } finally {
        s.waiting--;
      }
    },
    async penalize(instanceId: string, ms: number) {
      const s = site(instanceId);
      s.penalties++;
      s.penalizedUntil = Math.max(s.penalizedUntil, now() + ms);
      await inner.penalize(instanceId, ms);
    },
    close: () => inner.close(),
    stats() {
      const at = now();
      return [...sites.entries()].reverse().map(([instanceId, s]) => {
        prune(s, at);
        return {
          instanceId,
          grantedLastMinute: s.grants.length,
          waiting: s.waiting,
          longestWaitMs: Math.round(Math.max(0, ...s.grants.map((g) => g.waitedMs))),
          penalties: s.penalties,
          penalizedUntil: s.penalizedUntil > at ? new Date(s.penalizedUntil).toISOString() : null,
          lastSeen: new Date(s.lastSeen).toISOString(),
        };
      });
    },
  };
}

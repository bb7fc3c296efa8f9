/**
 * What a service announced, recorded from its start: tests wait on these instead of polling the store or
 * sleeping (`until` resolves as soon as the announcement it waits for has been made, earlier or later).
 */
import type { ServiceEventMap, ServiceEventName, ServiceEvents } from '../../src/app/events.js';

export interface EventLog<K extends ServiceEventName> {
  /** Every announcement so far, oldest first. */
  seen: ServiceEventMap[K][];
  /**
   * Resolves with what `pick` returns once it returns something other than undefined (checked now and at
   * every announcement); rejects after `timeoutMs` (default 30,000) naming `what`.
   */
  until<T>(
    pick: (seen: ServiceEventMap[K][]) => T | undefined,
    options?: { timeoutMs?: number; what?: string },
  ): Promise<T>;
}

/** Starts recording `name` announcements of `events`. */
export function eventLog<K extends ServiceEventName>(
  events: Pick<ServiceEvents, 'on'>,
  name: K,
): EventLog<K> {
  const seen: ServiceEventMap[K][] = [];
  const waiters = new Set<() => void>();
  events.on(name, (payload) => {
    seen.push(payload);
    for (const wake of [...waiters]) wake();
  });
  return {
    seen,
    until(pick, options = {}) {
      const timeoutMs = options.timeoutMs ?? 30_000;
      return new Promise((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${options.what ?? `'${name}' announcement`} not seen within ${timeoutMs} ms`));
        }, timeoutMs);
        const check = () => {
          const picked = pick(seen);
          if (picked === undefined) return;
          done();
          resolve(picked);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

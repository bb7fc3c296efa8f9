import { EventEmitter } from 'node:events';
import type { Store } from '../store/port.js';

/**
 * What this process has done to one store's queue that may have made rows claimable: a publish, a
 * redrive, a finished key with more rows behind it, a release, a delayed retry whose time has come.
 * Every embedded bus on the same `Store` object shares it, so one bus's publish or finish wakes the
 * others' subscribers too.
 *
 * On an embedded store (SQLite) the data directory belongs to this process alone (`lockDataDir`), so the news is
 * complete but for two cases a subscriber's sweep covers (`EmbeddedBusOptions.sweepMs`): a lease that
 * runs out while its handler is still running, and rows changed by SQL outside the bus. On Postgres
 * other processes publish too, so subscribers keep polling and use the news only to wake up sooner.
 */
export interface QueueNews {
  /** Counts the announcements; a claim that came back short at generation `g` found nothing new before `g + 1`. */
  readonly generation: number;
  /** Something may be claimable now: bumps the generation and wakes the subscribers. */
  announce(): void;
  /**
   * A row becomes claimable `delayMs` from now (its `available_at`, set by the statement that just
   * resolved): announces then. The database and `Date.now()` read the same clock; the announcement
   * waits until `Date.now()` has passed the row's time, never a timer's early beat.
   */
  announceIn(delayMs: number): void;
  /** Subscribes to announcements; returns the unsubscribe function. */
  listen(fn: () => void): () => void;
}

const newsByStore = new WeakMap<Store, QueueNews>();

/** The queue news of `store` (one per `Store` object, created on first use). */
export function queueNews(store: Store): QueueNews {
  let news = newsByStore.get(store);
  if (!news) {
    news = createQueueNews();
    newsByStore.set(store, news);
  }
  return news;
}

function createQueueNews(): QueueNews {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let generation = 0;
  const announce = () => {
    generation += 1;
    emitter.emit('work');
  };
  const at = (dueAt: number) => {
    const wait = dueAt - Date.now();
    if (wait <= 0) return announce();
    // Unref'd: a pending retry alone does not keep the process alive (the subscriber's poll timer does).
    setTimeout(() => at(dueAt), wait).unref();
  };
  return {
    get generation() {
      return generation;
    },
    announce,
    // +1 ms: `available_at` has microseconds, `Date.now()` whole milliseconds.
    announceIn: (delayMs) => (delayMs <= 0 ? announce() : at(Date.now() + Math.round(delayMs) + 1)),
    listen(fn) {
      emitter.on('work', fn);
      return () => emitter.off('work', fn);
    },
  };
}

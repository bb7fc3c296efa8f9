/**
 * Service events: what the service announces as it works, so that the console, the testing kit, the
 * sandbox and tests listen instead of wrapping the bus (and tests wait on them instead of sleeping).
 * A listener that throws is reported to `onListenerError` and never reaches the service's own work.
 */
import type { RunFinished } from '../agents/loop.js';
import type { DeadLetterReason, DeliverySettled } from '../bus/port.js';
import type { BusEvent } from '../domain/events.js';
import type { IngestResult } from '../webhooks/ingest.js';

export type { DeliverySettled } from '../bus/port.js';
export type { RunFinished } from '../agents/loop.js';

/** The events and what each carries. */
export interface ServiceEventMap {
  /** A webhook was answered (after verification, before the HTTP answer is written). */
  webhook: IngestResult;
  /** An event was durably accepted by the bus for the first time (not a duplicate). */
  published: BusEvent;
  /** A delivery settled: handled, to be retried, or dead-lettered. */
  settled: DeliverySettled;
  /** An agent run's end was recorded (succeeded, limited, failed, …: src/calls/README.md). */
  run: RunFinished;
  /** A dead letter was stored (by the ingress or by a consumer). */
  dead_lettered: { reason: DeadLetterReason | string };
}

export type ServiceEventName = keyof ServiceEventMap;
type Listener<K extends ServiceEventName> = (payload: ServiceEventMap[K]) => void;

/** The service's announcements: `on`/`off` a listener, or wait for the `next` matching one. */
export interface ServiceEvents {
  on<K extends ServiceEventName>(name: K, listener: Listener<K>): () => void;
  off<K extends ServiceEventName>(name: K, listener: Listener<K>): void;
  /**
   * Resolves with the next `name` event that `match` accepts (any, without one); rejects after
   * `timeoutMs` (default 30,000) naming what it waited for.
   */
  next<K extends ServiceEventName>(
    name: K,
    match?: (payload: ServiceEventMap[K]) => boolean,
    timeoutMs?: number,
  ): Promise<ServiceEventMap[K]>;
  emit<K extends ServiceEventName>(name: K, payload: ServiceEventMap[K]): void;
}

/** A new set of service events; `onListenerError` hears of a listener that threw. */
export function createServiceEvents(onListenerError: (error: unknown, name: string) => void): ServiceEvents {
  const listeners = new Map<ServiceEventName, Set<(payload: never) => void>>();
  const events: ServiceEvents = {
    on(name, listener) {
      if (!listeners.has(name)) listeners.set(name, new Set());
      listeners.get(name)!.add(listener as (payload: never) => void);
      return () => events.off(name, listener);
    },
    off(name, listener) {
      listeners.get(name)?.delete(listener as (payload: never) => void);
    },
    emit(name, payload) {
      for (const listener of listeners.get(name) ?? []) {
        try {
          (listener as Listener<typeof name>)(payload);
        } catch (error) {
          onListenerError(error, name);
        }
      }
    },
    next(name, match, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          stop();
          reject(new Error(`no '${name}' service event${match ? ' matching' : ''} within ${timeoutMs} ms`));
        }, timeoutMs);
        const stop = events.on(name, (payload) => {
          if (match && !match(payload)) return;
          clearTimeout(timer);
          stop();
          resolve(payload);
        });
      });
    },
  };
  return events;
}

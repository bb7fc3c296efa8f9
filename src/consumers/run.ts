import type { Bus, Delivery, SubscribeOptions, Subscription } from '../bus/port.js';
import type { EventType } from '../domain/events.js';
import { describeError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { CoreMetrics } from '../observability/metrics.js';
import type { CommitOptions, Queryable } from '../store/port.js';
import type { EventHandler } from './event-handler.js';
import { createProcessedLedger } from './processed.js';

export interface ConsumerDeps {
  bus: Bus;
  store: Queryable;
  handlers: readonly EventHandler[];
  logger: Logger;
  metrics: CoreMetrics;
  subscribe: SubscribeOptions;
  /**
   * How "this handler finished this event" commits; default synced. `{ asyncCommit: true }` only where
   * nothing outside learns of the event's end before a later synced commit: the embedded bus, whose
   * finish is in the same store (a Kafka offset commit is outside, so not there).
   */
  marks?: CommitOptions;
}

/**
 * Subscribes to the event types that have handlers and runs each event through its handlers in order.
 * A handler that already finished an event (processed_events) is skipped, so a redelivered or replayed
 * event is a no-op once done. Failures go back to the bus, which retries and dead-letters.
 */
export async function startConsumers(deps: ConsumerDeps): Promise<Subscription> {
  const byType = new Map<EventType, EventHandler[]>();
  for (const h of deps.handlers) byType.set(h.on, [...(byType.get(h.on) ?? []), h]);
  const types = [...byType.keys()];
  const ledger = createProcessedLedger(deps.store, deps.marks);

  const handle = async ({ event, attempt, signal, heartbeat }: Delivery) => {
    const logger = deps.logger.child({
      eventId: event.id,
      type: event.type,
      instanceId: event.instanceId,
      attempt,
    });
    for (const handler of byType.get(event.type) ?? []) {
      if (await ledger.isDone(event.id, handler.name)) {
        deps.metrics.eventsProcessed.inc({ type: event.type, outcome: 'duplicate' });
        logger.info({ handler: handler.name }, 'already handled, skipped');
        continue;
      }
      const started = process.hrtime.bigint();
      try {
        await handler.handle(event, {
          attempt,
          signal,
          heartbeat,
          logger: logger.child({ handler: handler.name }),
        });
      } catch (error) {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        deps.metrics.handlerDuration.observe({ handler: handler.name, outcome: 'failed' }, seconds);
        deps.metrics.eventsProcessed.inc({ type: event.type, outcome: 'failed' });
        logger.warn({ handler: handler.name, error: describeError(error) }, 'handler failed');
        throw error;
      }
      await ledger.markDone(event.id, handler.name);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      deps.metrics.handlerDuration.observe({ handler: handler.name, outcome: 'handled' }, seconds);
      deps.metrics.eventsProcessed.inc({ type: event.type, outcome: 'handled' });
      logger.info({ handler: handler.name, ms: Math.round(seconds * 1000) }, 'event handled');
    }
  };

  if (types.length === 0) {
    deps.logger.warn('no handlers registered: events stay queued until a worker with handlers runs');
    return { close: async () => {} };
  }
  return deps.bus.subscribe(types, handle, deps.subscribe);
}

import type { BusEvent, EventType } from '../domain/events.js';
import type { Logger } from '../observability/logger.js';

/** What a handler gets besides the event. */
export interface HandlerContext {
  /** Delivery attempt, 1-based. */
  attempt: number;
  /** Aborted at shutdown or when the run's deadline passes. */
  signal: AbortSignal;
  /** Keeps the event leased during long work. */
  heartbeat(): Promise<void>;
  logger: Logger;
}

/**
 * Something that reacts to one event type. Throw to fail (retried with backoff, then dead-lettered);
 * throw an error with `retryable: false` to dead-letter at once.
 */
export interface EventHandler {
  /** Stable name: part of the idempotency record, so renaming it re-runs old events on redelivery. */
  name: string;
  on: EventType;
  handle(event: BusEvent, context: HandlerContext): Promise<void>;
}

import type { BusEvent, EventType } from '../domain/events.js';

/** What `publish` did: stored the event, or found that this event id had already been accepted. */
export type PublishResult = 'published' | 'duplicate';

/** Why an event ended in the dead letters. */
export type DeadLetterReason =
  | 'invalid_envelope' // signed by Wix but not the shape we rely on (ingress)
  | 'max_attempts' // retryable failures until MAX_ATTEMPTS
  | 'non_retryable' // the handler said a retry cannot help
  | 'unparsable'; // a bus record that is not a valid bus event

export interface NewDeadLetter {
  reason: DeadLetterReason;
  /** Short error text, no stack. */
  error: string;
  attempts: number;
  /** Wix event id, when known. */
  eventId?: string | null;
  type?: string | null;
  instanceId?: string | null;
  /** The original payload: the bus event, or the decoded Wix envelope when it did not validate. */
  payload: unknown;
  /** Original transport headers (Kafka) or routing facts. */
  headers?: Record<string, string>;
}

export interface DeadLetter extends Required<Omit<NewDeadLetter, 'headers'>> {
  id: string;
  headers: Record<string, string>;
  deadAt: string;
}

/** An event the bus accepted, as operators list it (`GET /api/events`). */
export interface AcceptedEvent {
  /** Wix event id. */
  eventId: string;
  /** Its topic; null where the bus kept only its id (Kafka: the ingress's record of accepted ids). */
  topic: string | null;
  instanceId: string | null;
  /** Embedded queue: `pending`, `done` or `dead`; an id kept without its event: `accepted`. */
  status: string;
  /** Deliveries so far; null where the bus does not count them. */
  attempts: number | null;
  lastError: string | null;
  /** When the bus accepted it (ISO 8601). */
  acceptedAt: string;
}

/** Events waiting for a subscriber, and how long the oldest has waited (the console's health page). */
export interface Backlog {
  pending: number;
  /** Age of the oldest pending event (ms), null when none. */
  oldestAgeMs: number | null;
}

/** One delivery of an event to a subscriber. */
export interface Delivery {
  event: BusEvent;
  /** 1 on the first delivery, then 2, 3, ... (as far as the bus knows). */
  attempt: number;
  /** Aborted when the subscription closes: finish quickly or throw. */
  signal: AbortSignal;
  /** Keep the lease alive during long work (Kafka heartbeat, queue lock extension). Cheap to call often. */
  heartbeat(): Promise<void>;
}

/**
 * Handles one delivery. Resolve when the event is done; throw to fail it. A thrown error whose
 * `retryable` is false (see errors.ts) goes straight to the dead letters; other errors are retried
 * with backoff until `maxAttempts`, then dead-lettered with reason, error and attempt count.
 */
export type DeliveryHandler = (delivery: Delivery) => Promise<void>;

/** What to do with a failed delivery (decided by bus/failure-policy.ts for every adapter). */
export type FailureDecision =
  /** `counted` false: this attempt is given back (the next delivery has the same attempt number). */
  | { action: 'retry'; delayMs: number; error: string; counted: boolean }
  | { action: 'dead_letter'; reason: DeadLetterReason; error: string };

/** A delivery that came to an end: handled, given back for a retry, or dead-lettered. */
export interface DeliverySettled {
  event: BusEvent;
  /** The delivery's attempt, 1-based. */
  attempt: number;
  /** `handled`: the handler resolved; otherwise the verdict's action on its failure. */
  outcome: 'handled' | FailureDecision['action'];
  /** The failure, described (no stack), when it failed. */
  error?: string;
  /** The verdict, when it failed. */
  decision?: FailureDecision;
}

export interface SubscribeOptions {
  /** Deliveries per event before dead-lettering. Default 5 (`MAX_ATTEMPTS`). */
  maxAttempts: number;
  /** Backoff between attempts: full jitter over base * 2^(attempt-1), capped. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How many sites (keys) may be processed at once. Order within one key is always kept. */
  concurrency?: number;
  /**
   * Hears of each delivery once it is settled in the bus (finished, released for a retry, or its dead
   * letter stored); not of a delivery given back at shutdown. Must not throw.
   */
  onSettled?(settled: DeliverySettled): void;
}

export interface Subscription {
  /** Stops fetching, lets in-flight deliveries finish (or releases them at the deadline), commits. */
  close(): Promise<void>;
}

/**
 * The Bus port: durable, at-least-once, ordered per key (`instanceId`) within an event type (one topic
 * per type on Kafka; the embedded queue happens to order across types too).
 * Adapters: the embedded queue in the store (default) and Kafka (`KAFKA_BROKERS`).
 */
export interface Bus {
  readonly kind: 'embedded' | 'kafka';
  /**
   * Resolves once the event is durably accepted (embedded: committed row; Kafka: acks from all
   * in-sync replicas). Rejects with BusUnavailableError when that cannot happen (or not before `signal`).
   */
  publish(event: BusEvent, options?: { signal?: AbortSignal }): Promise<PublishResult>;
  /** Durably records a dead letter (embedded table, or the dead-letter topic). */
  deadLetter(letter: NewDeadLetter, options?: { signal?: AbortSignal }): Promise<void>;
  /** Starts delivering events of these types to `handler`. */
  subscribe(
    types: readonly EventType[],
    handler: DeliveryHandler,
    options: SubscribeOptions,
  ): Promise<Subscription>;
  /** Newest first. */
  listDeadLetters(options?: { limit?: number }): Promise<DeadLetter[]>;
  /** Puts dead-lettered events back on their topic; returns how many. Letters without an event are skipped. */
  redrive(selector: { ids: readonly string[] } | { all: true }): Promise<number>;
  /**
   * Recently accepted events, newest first (default 100): the embedded queue's rows, and the ids the
   * Kafka ingress recorded as accepted (where the bus has a store). Empty where the bus keeps no record.
   */
  listEvents(filter?: { limit?: number }): Promise<AcceptedEvent[]>;
  /**
   * The event with this id as the bus keeps it in the store (its payload as stored, not validated), or
   * undefined where it keeps none (Kafka keeps its events in Kafka: the console's arrivals log copies them).
   */
  findEvent(eventId: string): Promise<unknown>;
  /** Events waiting for a subscriber; undefined where the bus does not count them (Kafka: see consumer lag). */
  backlog(): Promise<Backlog | undefined>;
  /** Throws when the bus is not reachable (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

import type { Bus, PublishResult } from '../bus/port.js';
import type { BusEvent, EventType } from '../domain/events.js';
import { BusUnavailableError, PermanentError } from '../errors.js';
import { withinDepth } from './depth.js';
import { parseEvent, parseOuter } from './envelope.js';
import { routeFor } from './routes.js';
import { toBusEvent } from './to-event.js';
import { verifyWixWebhook, type WebhookKeys } from './verify.js';

export interface IngestDeps {
  keys: WebhookKeys;
  bus: Pick<Bus, 'publish' | 'deadLetter'>;
  clockToleranceSec: number;
  /** Time the bus has to accept the event before we answer 503 (Wix waits 1250 ms). */
  publishTimeoutMs: number;
  now?: () => Date;
  /**
   * Wix event types (by their Wix names) that loaded handlers subscribe to beyond the built-in ones:
   * verified events of these types are published too; any other type is ignored.
   */
  subscribed?: ReadonlySet<string>;
}

export interface EventFacts {
  eventId?: string;
  eventType?: string;
  type?: EventType;
  instanceId?: string;
}

/**
 * What happened to one webhook. The HTTP route only maps this to a status code; the service announces
 * it (the console's arrivals log keeps it). A published or duplicate result carries the bus event and
 * how long the bus took to accept it; a dead-lettered one the payload it stored; an unavailable one
 * the event it could not publish, when it got that far.
 */
export type IngestResult =
  | ({ outcome: PublishResult; event: BusEvent; publishSeconds: number } & Required<
      Pick<EventFacts, 'eventId' | 'eventType' | 'type' | 'instanceId'>
    >)
  | ({ outcome: 'ignored' } & Required<Pick<EventFacts, 'eventType' | 'instanceId'>>)
  | ({ outcome: 'dead_lettered'; error: string; payload: unknown } & EventFacts)
  | { outcome: 'unauthorized'; reason: string }
  | ({ outcome: 'unavailable'; reason: string; event?: BusEvent; payload?: unknown } & EventFacts);

/**
 * verify → unwrap → validate → publish. Pure of HTTP: the route, the CLI and tests call it alike.
 * A body with a valid signature is Wix's own data: when it does not validate it is dead-lettered,
 * never refused (Wix would retry it for two days).
 */
export async function ingestWebhook(rawBody: string, deps: IngestDeps): Promise<IngestResult> {
  const verified = await verifyWixWebhook(rawBody, deps.keys, { clockToleranceSec: deps.clockToleranceSec });
  if (!verified.ok) return { outcome: 'unauthorized', reason: verified.reason };

  // The publish deadline. A controller and a timer cleared on return cost a third of
  // AbortSignal.timeout (~5 µs against ~13 µs per webhook, plus its finalization work); the signal
  // aborts with the same TimeoutError.
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    deps.publishTimeoutMs,
  );
  try {
    return await ingestVerified(verified.claims, deps, deadline.signal);
  } finally {
    clearTimeout(timer);
  }
}

/** unwrap → validate → publish of a verified body, within `signal`'s deadline. */
async function ingestVerified(claims: unknown, deps: IngestDeps, signal: AbortSignal): Promise<IngestResult> {
  const deadLetter = async (error: string, payload: unknown, facts: EventFacts): Promise<IngestResult> => {
    // Kept as Wix sent it, unless it is too deeply nested to store as JSON.
    const stored = withinDepth(payload)
      ? payload
      : { unstorable: 'nested too deeply', eventType: facts.eventType ?? null };
    try {
      await deps.bus.deadLetter(
        {
          reason: 'invalid_envelope',
          error,
          attempts: 1,
          eventId: facts.eventId ?? null,
          type: facts.type ?? null,
          instanceId: facts.instanceId ?? null,
          payload: stored,
          headers: facts.eventType ? { eventType: facts.eventType } : {},
        },
        { signal },
      );
      return { outcome: 'dead_lettered', error, payload: stored, ...facts };
    } catch (e) {
      if (e instanceof BusUnavailableError)
        return { outcome: 'unavailable', reason: e.message, payload: stored, ...facts };
      throw e;
    }
  };

  const outer = parseOuter(claims);
  if (!outer.ok) return deadLetter(outer.error, outer.partial ?? null, {});
  const { eventType, instanceId } = outer.value;

  const route = routeFor(eventType, deps.subscribed);
  if (!route) return { outcome: 'ignored', eventType, instanceId };

  const facts: EventFacts = { eventType, instanceId, type: route.type };
  const event = parseEvent(outer.value.data);
  const envelope = () => ({
    eventType,
    instanceId,
    identity: outer.value.identity,
    data: event.ok ? event.value.raw : (event.partial ?? outer.value.data.slice(0, 10_000)),
  });
  if (!event.ok) return deadLetter(event.error, envelope(), facts);
  facts.eventId = event.value.id;

  const busEvent = toBusEvent(outer.value, event.value, route, deps.now?.() ?? new Date());
  if (!busEvent.ok) return deadLetter(busEvent.error, envelope(), facts);

  const started = process.hrtime.bigint();
  try {
    const outcome = await deps.bus.publish(busEvent.value, { signal });
    const publishSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    return {
      outcome,
      event: busEvent.value,
      publishSeconds,
      eventId: event.value.id,
      eventType,
      type: route.type,
      instanceId,
    };
  } catch (e) {
    if (e instanceof BusUnavailableError)
      return { outcome: 'unavailable', reason: e.message, event: busEvent.value, ...facts };
    // The bus refused this content (not the bus being down): keep it as a dead letter, answer 200.
    if (e instanceof PermanentError) return deadLetter(e.message, envelope(), facts);
    throw e;
  }
}

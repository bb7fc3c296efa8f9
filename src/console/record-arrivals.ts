import type { Bus } from '../bus/port.js';
import type { IngestResult } from '../webhooks/ingest.js';
import type { ArrivalsLog, NewArrival } from './arrivals.js';

type IngressBus = Pick<Bus, 'publish' | 'deadLetter'>;

/**
 * Wraps the ingest function so each answered webhook lands in the arrivals log, with the decoded event
 * it published (or the envelope it dead-lettered), captured from the bus calls of that one request.
 * Recording never delays or fails the webhook: it runs after the answer is known, errors go to
 * `onError`, and when `maxPending` records are already being written, further ones are dropped.
 */
export function recordArrivals(
  ingest: (rawBody: string, bus: IngressBus) => Promise<IngestResult>,
  bus: IngressBus,
  log: Pick<ArrivalsLog, 'record'>,
  options: { onError(error: unknown): void; maxPending?: number },
): (rawBody: string) => Promise<IngestResult> {
  const maxPending = options.maxPending ?? 100;
  let pending = 0;
  return async (rawBody) => {
    let event: unknown;
    const capturing: IngressBus = {
      publish: (e, o) => {
        event = e;
        return bus.publish(e, o);
      },
      deadLetter: (letter, o) => {
        event = letter.payload;
        return bus.deadLetter(letter, o);
      },
    };
    const result = await ingest(rawBody, capturing);
    if (pending < maxPending) {
      pending++;
      log
        .record(toArrival(result, event))
        .catch(options.onError)
        .finally(() => pending--);
    }
    return result;
  };
}

function toArrival(result: IngestResult, event: unknown): NewArrival {
  switch (result.outcome) {
    case 'unauthorized':
      return { outcome: 'unauthorized', detail: result.reason };
    case 'ignored':
      return { outcome: 'ignored', eventType: result.eventType, instanceId: result.instanceId };
    case 'dead_lettered':
    case 'unavailable': {
      const detail = result.outcome === 'dead_lettered' ? result.error : result.reason;
      return {
        outcome: result.outcome,
        eventId: result.eventId,
        eventType: result.eventType,
        type: result.type,
        instanceId: result.instanceId,
        detail,
        event,
      };
    }
    default:
      return {
        outcome: result.outcome,
        eventId: result.eventId,
        eventType: result.eventType,
        type: result.type,
        instanceId: result.instanceId,
        event,
      };
  }
}

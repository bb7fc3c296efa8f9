import type { Bus } from '../bus/port.js';
import { nextTurn } from '../lib/next-turn.js';
import type { IngestResult } from '../webhooks/ingest.js';
import type { ArrivalsLog, NewArrival } from './arrivals.js';

type IngressBus = Pick<Bus, 'publish' | 'deadLetter'>;

export interface RecordArrivalsOptions {
  onError(error: unknown): void;
  /** Arrivals waiting to be written before new ones are dropped (never delaying a webhook). Default 1000. */
  maxQueued?: number;
  /** Rows per insert. Default 200. */
  maxBatch?: number;
}

/**
 * Wraps the ingest function so each answered webhook lands in the arrivals log, with the decoded event
 * it published (or the envelope it dead-lettered), captured from the bus calls of that one request.
 * Recording never delays or fails a webhook: arrivals are queued once the answer is known and written
 * in batches (one insert for all answered in one turn of the event loop, or while the previous insert
 * ran); errors go to `onError`; past `maxQueued` waiting arrivals, further ones are dropped.
 */
export function recordArrivals(
  ingest: (rawBody: string, bus: IngressBus) => Promise<IngestResult>,
  bus: IngressBus,
  log: Pick<ArrivalsLog, 'record'>,
  options: RecordArrivalsOptions,
): (rawBody: string) => Promise<IngestResult> {
  const maxQueued = options.maxQueued ?? 1000;
  const maxBatch = options.maxBatch ?? 200;
  let queue: NewArrival[] = [];
  let writing = false;

  const flush = async () => {
    writing = true;
    while (queue.length) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      await log.record(batch).catch(options.onError);
    }
    writing = false;
  };

  // Written in the turn's check phase, so the webhooks read in one turn share an insert (see nextTurn).
  const flushThisTurn = nextTurn(() => {
    if (!writing) void flush();
  });

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
    if (queue.length < maxQueued) {
      queue.push({ ...toArrival(result, event), receivedAt: new Date() });
      flushThisTurn();
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

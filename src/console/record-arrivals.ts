import { nextTurn } from '../lib/next-turn.js';
import type { IngestResult } from '../webhooks/ingest.js';
import type { ArrivalsLog, NewArrival } from './arrivals.js';

export interface RecordArrivalsOptions {
  onError(error: unknown): void;
  /** Arrivals waiting to be written before new ones are dropped (never delaying a webhook). Default 1000. */
  maxQueued?: number;
  /** Rows per insert. Default 200. */
  maxBatch?: number;
}

/**
 * A listener for answered webhooks (the service's `webhook` event) that lands each in the arrivals
 * log, with the event it published (or the envelope it dead-lettered) from the ingest result.
 * Recording never delays or fails a webhook: arrivals are queued and written in batches (one insert
 * for all answered in one turn of the event loop, or while the previous insert ran); errors go to
 * `onError`; past `maxQueued` waiting arrivals, further ones are dropped.
 */
export function arrivalsRecorder(
  log: Pick<ArrivalsLog, 'record'>,
  options: RecordArrivalsOptions,
): (result: IngestResult) => void {
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

  return (result) => {
    if (queue.length >= maxQueued) return;
    queue.push({ ...toArrival(result), receivedAt: new Date() });
    flushThisTurn();
  };
}

function toArrival(result: IngestResult): NewArrival {
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
        event: result.outcome === 'dead_lettered' ? result.payload : (result.event ?? result.payload),
      };
    }
    default:
      return {
        outcome: result.outcome,
        eventId: result.eventId,
        eventType: result.eventType,
        type: result.type,
        instanceId: result.instanceId,
        event: result.event,
      };
  }
}

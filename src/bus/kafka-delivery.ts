import { describeError } from '../errors.js';
import { fullJitterBackoff } from '../lib/backoff.js';
import type { Logger } from '../observability/logger.js';
import { decideFailure } from './failure-policy.js';
import type { KafkaMetrics } from './kafka-metrics.js';
import { eventHeaders, parseEventValue, type IncomingRecord } from './kafka-records.js';
import type { DeliveryHandler, NewDeadLetter, SubscribeOptions } from './port.js';

/** What the partition loop does next with a record. */
export type RecordOutcome =
  | { kind: 'done' } // handled, or dead-lettered: resolve and commit its offset
  | { kind: 'retry'; delayMs: number; counted: boolean } // leave the offset; deliver again after the delay
  | { kind: 'released' }; // the subscription is closing: leave the offset, this attempt does not count

export interface RecordContext {
  /** 1 on the first delivery of this record. */
  attempt: number;
  handler: DeliveryHandler;
  policy: Pick<SubscribeOptions, 'maxAttempts' | 'retryBaseMs' | 'retryMaxMs' | 'onSettled'>;
  /** Aborted when the subscription's close grace period ends. */
  signal: AbortSignal;
  /** Keeps the consumer's group membership alive; never throws. */
  heartbeat(): Promise<void>;
  /** How often to heartbeat on the handler's behalf while it runs. */
  heartbeatIntervalMs: number;
  deadLetter(letter: NewDeadLetter): Promise<void>;
  metrics: KafkaMetrics;
  logger: Logger;
}

/**
 * Delivers one consumed record: parses it (unparsable → dead letter), runs the handler while
 * heartbeating, and turns a failure into retry-later or dead letter through the shared failure policy.
 */
export async function deliverRecord(record: IncomingRecord, ctx: RecordContext): Promise<RecordOutcome> {
  const where = {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    attempt: ctx.attempt,
  };
  const parsed = parseEventValue(record.value);
  if (!parsed.ok) {
    ctx.logger.warn({ ...where, error: parsed.error }, 'unparsable record: dead-lettering it');
    return bury(ctx, 'unknown', {
      reason: 'unparsable',
      error: parsed.error,
      attempts: ctx.attempt,
      eventId: record.headers[eventHeaders.eventId] ?? null,
      type: record.headers[eventHeaders.type] ?? null,
      instanceId: record.headers[eventHeaders.instanceId] ?? record.key,
      payload: parsed.payload,
      headers: record.headers,
    });
  }
  const event = parsed.event;
  const beat = setInterval(() => void ctx.heartbeat(), ctx.heartbeatIntervalMs);
  try {
    await ctx.handler({ event, attempt: ctx.attempt, signal: ctx.signal, heartbeat: ctx.heartbeat });
    ctx.metrics.deliveries.inc({ type: event.type, outcome: 'handled' });
    // Announced once handled; the offset is committed with the batch's.
    ctx.policy.onSettled?.({ event, attempt: ctx.attempt, outcome: 'handled' });
    return { kind: 'done' };
  } catch (error) {
    if (ctx.signal.aborted) {
      ctx.metrics.deliveries.inc({ type: event.type, outcome: 'aborted' });
      ctx.logger.info({ ...where, eventId: event.id }, 'delivery aborted by shutdown: left for redelivery');
      return { kind: 'released' };
    }
    const decision = decideFailure(error, ctx.attempt, ctx.policy);
    if (decision.action === 'retry') {
      ctx.metrics.deliveries.inc({ type: event.type, outcome: 'retried' });
      ctx.logger.warn(
        {
          ...where,
          eventId: event.id,
          error: decision.error,
          delayMs: decision.delayMs,
          ...(decision.counted ? {} : { attemptCounted: false }),
        },
        'delivery failed: will retry',
      );
      ctx.policy.onSettled?.({
        event,
        attempt: ctx.attempt,
        outcome: 'retry',
        error: decision.error,
        decision,
      });
      return { kind: 'retry', delayMs: decision.delayMs, counted: decision.counted };
    }
    const buried = await bury(ctx, event.type, {
      reason: decision.reason,
      error: decision.error,
      attempts: ctx.attempt,
      eventId: event.id,
      type: event.type,
      instanceId: event.instanceId,
      payload: event,
      headers: record.headers,
    });
    // A dead letter that could not be stored is retried: not settled yet.
    if (buried.kind === 'done')
      ctx.policy.onSettled?.({
        event,
        attempt: ctx.attempt,
        outcome: 'dead_letter',
        error: decision.error,
        decision,
      });
    return buried;
  } finally {
    clearInterval(beat);
  }
}

async function bury(ctx: RecordContext, type: string, letter: NewDeadLetter): Promise<RecordOutcome> {
  try {
    await ctx.deadLetter(letter);
    ctx.metrics.deliveries.inc({ type, outcome: 'dead_lettered' });
    return { kind: 'done' };
  } catch (error) {
    // Without its dead letter the record must not be skipped: keep it and try again later.
    const delayMs = fullJitterBackoff(ctx.attempt, {
      baseMs: ctx.policy.retryBaseMs,
      maxMs: ctx.policy.retryMaxMs,
    });
    ctx.logger.error(
      { eventId: letter.eventId, error: describeError(error), delayMs },
      'dead-lettering failed: will retry',
    );
    return { kind: 'retry', delayMs, counted: true };
  }
}

import { countsAsAttempt, describeError, isRetryable } from '../errors.js';
import { fullJitterBackoff } from '../lib/backoff.js';
import type { FailureDecision, SubscribeOptions } from './port.js';

export type { FailureDecision } from './port.js';

/**
 * What to do with a failed delivery, decided in one place for every bus adapter: a non-retryable error
 * is dead-lettered at once; a retryable one is retried with full-jitter backoff (at least the error's
 * own `retryAfterMs`) until `maxAttempts`, then dead-lettered. A retryable error that does not count as
 * an attempt (`AppError.countsAsAttempt`, e.g. waiting for a write in flight elsewhere) is retried
 * without using one, so it never dead-letters the event by itself.
 */
export function decideFailure(
  error: unknown,
  attempt: number,
  options: Pick<SubscribeOptions, 'maxAttempts' | 'retryBaseMs' | 'retryMaxMs'>,
  random: () => number = Math.random,
): FailureDecision {
  const text = describeError(error);
  if (!isRetryable(error)) return { action: 'dead_letter', reason: 'non_retryable', error: text };
  const counted = countsAsAttempt(error);
  if (counted && attempt >= options.maxAttempts)
    return { action: 'dead_letter', reason: 'max_attempts', error: text };
  const backoff = fullJitterBackoff(attempt, {
    baseMs: options.retryBaseMs,
    maxMs: options.retryMaxMs,
    random,
  });
  const hinted =
    error && typeof error === 'object' && 'retryAfterMs' in error && typeof error.retryAfterMs === 'number'
      ? Math.min(error.retryAfterMs, options.retryMaxMs)
      : 0;
  return { action: 'retry', delayMs: Math.max(backoff, hinted), error: text, counted };
}

import { describeError, isRetryable } from '../errors.js';
import { fullJitterBackoff } from '../lib/backoff.js';
import type { DeadLetterReason, SubscribeOptions } from './port.js';

export type FailureDecision =
  | { action: 'retry'; delayMs: number; error: string }
  | { action: 'dead_letter'; reason: DeadLetterReason; error: string };

/**
 * What to do with a failed delivery, decided in one place for every bus adapter: a non-retryable error
 * is dead-lettered at once; a retryable one is retried with full-jitter backoff (at least the error's
 * own `retryAfterMs`) until `maxAttempts`, then dead-lettered.
 */
export function decideFailure(
  error: unknown,
  attempt: number,
  options: Pick<SubscribeOptions, 'maxAttempts' | 'retryBaseMs' | 'retryMaxMs'>,
  random: () => number = Math.random,
): FailureDecision {
  const text = describeError(error);
  if (!isRetryable(error)) return { action: 'dead_letter', reason: 'non_retryable', error: text };
  if (attempt >= options.maxAttempts) return { action: 'dead_letter', reason: 'max_attempts', error: text };
  const backoff = fullJitterBackoff(attempt, {
    baseMs: options.retryBaseMs,
    maxMs: options.retryMaxMs,
    random,
  });
  const hinted =
    error && typeof error === 'object' && 'retryAfterMs' in error && typeof error.retryAfterMs === 'number'
      ? Math.min(error.retryAfterMs, options.retryMaxMs)
      : 0;
  return { action: 'retry', delayMs: Math.max(backoff, hinted), error: text };
}

import { AppError } from '../errors.js';

/**
 * A run that must be retried later as a whole (the bus backs off and redelivers the event). Codes:
 * `AGENT_DEADLINE` (the run's deadline passed), `WIX_RETRY_LATER` (Wix or its limiter unavailable),
 * `MODEL_UNAVAILABLE`, `WRITE_IN_FLIGHT` (a write of this event is in flight in a live process; waiting for
 * it does not use one of the event's attempts),
 * `AGENT_FAILED`.
 */
export class RetryRunError extends AppError {
  constructor(
    message: string,
    options: { code: string; retryAfterMs?: number; countsAsAttempt?: boolean; cause?: unknown },
  ) {
    super(message, { ...options, retryable: true });
  }
}

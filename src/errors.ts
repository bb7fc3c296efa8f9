/**
 * Errors carry their policy: a stable `code`, whether a retry can help, and how long to wait.
 * They are classified once, where a consumer decides retry or dead-letter; never matched by message text.
 */
export class AppError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  /**
   * False when the failure says nothing about the event itself (it waits for something that is bound to
   * end, e.g. a write in flight in another live process): the retry does not use one of `MAX_ATTEMPTS`.
   * Default true.
   */
  readonly countsAsAttempt: boolean;

  constructor(
    message: string,
    options: {
      code: string;
      retryable: boolean;
      retryAfterMs?: number;
      countsAsAttempt?: boolean;
      cause?: unknown;
    },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.countsAsAttempt = options.countsAsAttempt ?? true;
  }
}

/** The bus could not durably accept an event (or not in time). Safe to retry. */
export class BusUnavailableError extends AppError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'BUS_UNAVAILABLE', retryable: true, cause });
  }
}

/** A failure that will not go away by retrying (bad data, a handler bug on this input). */
export class PermanentError extends AppError {
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, { code: options.code ?? 'PERMANENT', retryable: false, cause: options.cause });
  }
}

/** An error that knows its HTTP response; anything else is answered with a generic 500. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly publicMessage: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(publicMessage);
    this.name = 'HttpError';
  }
}

/** `retryable` unless the error says otherwise: unknown failures (network, timeouts) get another try. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof AppError) return error.retryable;
  if (error && typeof error === 'object' && 'retryable' in error && typeof error.retryable === 'boolean') {
    return error.retryable;
  }
  return true;
}

/** Whether a retryable failure uses one of the event's attempts (see `AppError.countsAsAttempt`). */
export function countsAsAttempt(error: unknown): boolean {
  if (error instanceof AppError) return error.countsAsAttempt;
  return true;
}

/** A short, single-line description of an error, safe to store and show (no stack). */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? `${error.code}: ` : '';
    return `${code}${error.message}`.slice(0, 2000);
  }
  return String(error).slice(0, 2000);
}

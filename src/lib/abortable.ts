import { BusUnavailableError } from '../errors.js';

/**
 * Waits for `promise`, or rejects as soon as `signal` aborts (the work itself goes on). The rejection
 * is the signal's reason, or what `abortError` makes of the signal when given.
 */
export function abortable<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  abortError: (signal: AbortSignal) => unknown = (aborted) => aborted.reason,
): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Settles with `work`, or rejects with BusUnavailableError (`<what>: aborted`) when `signal` aborts
 * first (the work may still complete afterwards: bus writes are idempotent by event id, so that is
 * harmless).
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, what: string): Promise<T> {
  return abortable(work, signal, () => new BusUnavailableError(`${what}: aborted`));
}

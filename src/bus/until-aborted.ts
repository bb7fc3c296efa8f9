import { BusUnavailableError } from '../errors.js';

/**
 * Settles with `work`, or rejects with BusUnavailableError when `signal` aborts first (the work may
 * still complete afterwards: bus writes are idempotent by event id, so that is harmless).
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, what: string): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(new BusUnavailableError(`${what}: aborted`));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new BusUnavailableError(`${what}: aborted`));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

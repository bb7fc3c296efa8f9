import { BusUnavailableError, describeError } from '../errors.js';

/** Options of {@link createMicroBatcher}. */
export interface MicroBatcherOptions<T> {
  /**
   * How long items are collected while the sender is busy, in ms. An item that arrives when nothing is
   * being sent or waiting goes out at once, so an idle service adds no latency. 0 = one send per item.
   */
  lingerMs: number;
  /** A batch is sent as soon as this many items wait. */
  maxBatchSize: number;
  /** Sends one batch; resolves when all of it is durably accepted. */
  send(items: readonly T[]): Promise<void>;
  /** Told about every batch sent: its size, how long the send took and its error, if any. */
  onBatch?(size: number, durationMs: number, error: unknown): void;
}

export interface MicroBatcher<T> {
  /**
   * Adds an item; resolves once the batch that carried it was accepted. Rejects with BusUnavailableError
   * when that batch failed, the batcher is closed, or `signal` aborted first (an item that was already
   * sent may still land).
   */
  add(item: T, signal?: AbortSignal): Promise<void>;
  /** Sends what waits and resolves when every batch under way has settled; then refuses new items. */
  close(): Promise<void>;
}

interface Entry<T> {
  item: T;
  resolve(): void;
  reject(error: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * Collects concurrent items into batches: under load, items arriving within `lingerMs` (or up to
 * `maxBatchSize`) share one send; with no load each item is sent on its own, immediately.
 * Knows nothing of Kafka: `send` does the transport.
 */
export function createMicroBatcher<T>(options: MicroBatcherOptions<T>): MicroBatcher<T> {
  let waiting: Entry<T>[] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const inFlight = new Set<Promise<void>>();

  const detach = (entry: Entry<T>) => {
    if (entry.onAbort) entry.signal?.removeEventListener('abort', entry.onAbort);
  };

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (waiting.length === 0) return;
    const batch = waiting.slice(0, options.maxBatchSize);
    waiting = waiting.slice(batch.length);
    const started = performance.now();
    const sending = options
      .send(batch.map((e) => e.item))
      .then(
        () => {
          options.onBatch?.(batch.length, performance.now() - started, undefined);
          for (const entry of batch) {
            detach(entry);
            entry.resolve();
          }
        },
        (error: unknown) => {
          options.onBatch?.(batch.length, performance.now() - started, error);
          const failure = new BusUnavailableError(
            `Kafka did not accept the batch: ${describeError(error)}`,
            error,
          );
          for (const entry of batch) {
            detach(entry);
            entry.reject(failure);
          }
        },
      )
      .finally(() => inFlight.delete(sending));
    inFlight.add(sending);
    if (waiting.length >= options.maxBatchSize) flush();
    else if (waiting.length > 0) schedule();
  };

  const schedule = () => {
    timer ??= setTimeout(flush, options.lingerMs);
  };

  return {
    add(item, signal) {
      if (closed) return Promise.reject(new BusUnavailableError('the Kafka producer is closed'));
      if (signal?.aborted)
        return Promise.reject(new BusUnavailableError('publish aborted before it was sent'));
      return new Promise<void>((resolve, reject) => {
        const entry: Entry<T> = { item, resolve, reject, signal, onAbort: undefined };
        if (signal) {
          entry.onAbort = () => {
            const index = waiting.indexOf(entry);
            if (index >= 0) waiting.splice(index, 1);
            reject(
              new BusUnavailableError(
                index >= 0
                  ? 'publish aborted before it was sent'
                  : 'publish aborted before Kafka acknowledged it',
              ),
            );
          };
          signal.addEventListener('abort', entry.onAbort, { once: true });
        }
        const idle = waiting.length === 0 && inFlight.size === 0;
        waiting.push(entry);
        if (idle || options.lingerMs <= 0 || waiting.length >= options.maxBatchSize) flush();
        else schedule();
      });
    },

    async close() {
      closed = true;
      while (waiting.length > 0) flush();
      await Promise.allSettled([...inFlight]);
    },
  };
}

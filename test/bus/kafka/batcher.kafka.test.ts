import { describe, expect, it } from 'vitest';
import { createMicroBatcher } from '../../../src/bus/kafka-batcher.js';
import { BusUnavailableError } from '../../../src/errors.js';

/** A `send` the test completes by hand, recording each batch. */
function controlledSend() {
  const batches: { items: number[]; ack(): void; fail(error: Error): void }[] = [];
  const send = (items: readonly number[]) =>
    new Promise<void>((resolve, reject) => {
      batches.push({ items: [...items], ack: resolve, fail: reject });
    });
  return { batches, send };
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('micro-batcher', () => {
  it('sends an item at once when nothing else is under way', async () => {
    const { batches, send } = controlledSend();
    const batcher = createMicroBatcher({ lingerMs: 1000, maxBatchSize: 100, send });
    void batcher.add(1);
    expect(batches.map((b) => b.items)).toEqual([[1]]);
  });

  it('collects items that arrive while a send is under way into one batch, after lingerMs', async () => {
    const { batches, send } = controlledSend();
    const batcher = createMicroBatcher({ lingerMs: 5, maxBatchSize: 100, send });
    const first = batcher.add(1);
    const rest = [2, 3, 4].map((i) => batcher.add(i));
    expect(batches).toHaveLength(1);
    await tick(20);
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3, 4]]);
    batches[0]?.ack();
    await first;
    batches[1]?.ack();
    await Promise.all(rest);
  });

  it('resolves each caller only when its own batch is acknowledged', async () => {
    const { batches, send } = controlledSend();
    const batcher = createMicroBatcher({ lingerMs: 1, maxBatchSize: 100, send });
    const settled: number[] = [];
    const track = (i: number) => batcher.add(i).then(() => settled.push(i));
    const all = [track(1), track(2), track(3)];
    await tick(10);
    batches[1]?.ack(); // the second batch [2, 3] is acked before the first
    await tick();
    expect(settled).toEqual([2, 3]);
    batches[0]?.ack();
    await Promise.all(all);
    expect(settled).toEqual([2, 3, 1]);
  });

  it('sends at once when maxBatchSize items wait', async () => {
    const { batches, send } = controlledSend();
    const batcher = createMicroBatcher({ lingerMs: 10_000, maxBatchSize: 3, send });
    for (let i = 1; i <= 7; i++) void batcher.add(i);
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3, 4], [5, 6, 7]]);
  });

  it('sends one batch per item with lingerMs 0', async () => {
    const { batches, send } = controlledSend();
    const batcher = createMicroBatcher({ lingerMs: 0, maxBatchSize: 100, send });
    for (let i = 1; i <= 3; i++) void batcher.add(i);
    expect(batches.map((b) => b.items)).toEqual([[1], [2], [3]]);
  });

  it('rejects every caller of a failed batch with BusUnavailableError', async () => {
    const { batches, send } = controlledSend();
    const batcher = createMicroBatcher({ lingerMs: 1, maxBatchSize: 100, send });
    const first = batcher.add(1);
    const second = batcher.add(2);
    const third = batcher.add(3);
    await tick(10);
    batches[1]?.fail(new Error('broker down'));
    batches[0]?.ack();
    await expect(first).resolves.toBeUndefined();
    await expect(second).rejects.toBeInstanceOf(BusUnavailableError);
    await expect(third).rejects.toThrow(/broker down/);
  });

  it('drops an item whose signal aborts before it was sent, and rejects one aborted while in flight', async () => {
    const { batches, send } = controlledSend();
    const batcher = createMicroBatcher({ lingerMs: 50, maxBatchSize: 100, send });
    const inFlight = new AbortController();
    const waiting = new AbortController();
    const a = batcher.add(1, inFlight.signal);
    const b = batcher.add(2, waiting.signal);
    const c = batcher.add(3);
    waiting.abort();
    inFlight.abort();
    await expect(b).rejects.toThrow(/before it was sent/);
    await expect(a).rejects.toThrow(/before Kafka acknowledged/);
    await tick(80);
    expect(batches.map((x) => x.items)).toEqual([[1], [3]]);
    batches[1]?.ack();
    await c;
    await expect(batcher.add(4, AbortSignal.abort())).rejects.toBeInstanceOf(BusUnavailableError);
  });

  it('sends what waits on close, waits for it, then refuses new items', async () => {
    const batches: number[][] = [];
    const batcher = createMicroBatcher<number>({
      lingerMs: 10_000,
      maxBatchSize: 100,
      send: async (items) => {
        await tick(5);
        batches.push([...items]);
      },
    });
    const all = [1, 2, 3].map((i) => batcher.add(i));
    await batcher.close();
    await Promise.all(all);
    expect(batches).toEqual([[1], [2, 3]]);
    await expect(batcher.add(4)).rejects.toBeInstanceOf(BusUnavailableError);
  });

  it('reports every batch with its size and outcome', async () => {
    const seen: [number, boolean][] = [];
    const batcher = createMicroBatcher<number>({
      lingerMs: 1,
      maxBatchSize: 100,
      send: async (items) => {
        if (items.includes(3)) throw new Error('no');
      },
      onBatch: (size, _ms, error) => seen.push([size, error === undefined]),
    });
    await Promise.allSettled([1, 2, 3].map((i) => batcher.add(i)));
    expect(seen).toEqual([
      [1, true],
      [2, false],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { coalesce } from '../../src/bus/kafka-accepted-events.js';

describe('coalesce (shared statements for concurrent dedupe checks)', () => {
  it('answers concurrent callers from one run, and an idle caller on its own', async () => {
    const runs: string[][] = [];
    const has = coalesce(async (keys) => {
      runs.push(keys);
      await new Promise((r) => setTimeout(r, 10));
      return (key) => key.startsWith('seen');
    });
    const answers = await Promise.all(['seen-1', 'new-1', 'seen-2', 'new-1'].map(has));
    expect(answers).toEqual([true, false, true, false]);
    expect(runs).toEqual([['seen-1', 'new-1', 'seen-2']]);
    expect(await has('seen-3')).toBe(true);
    expect(runs).toHaveLength(2);
  });

  it('serves the callers of one event-loop turn from one run, even when a run finishes at once', async () => {
    // Node runs the handlers of the requests it read in one turn one after another, each as its own task;
    // a run that completes within microtasks (a SQLite statement runs synchronously) must not be
    // started by the first of them alone.
    const runs: string[][] = [];
    const has = coalesce(async (keys) => {
      runs.push(keys);
      return (key) => key !== 'b';
    });
    const answers = await new Promise<boolean[]>((resolve) => {
      const asked: Promise<boolean>[] = [];
      for (const key of ['a', 'b', 'c', 'a'])
        setImmediate(() => {
          asked.push(has(key));
          if (asked.length === 4) resolve(Promise.all(asked));
        });
    });
    expect(answers).toEqual([true, false, true, true]);
    expect(runs).toEqual([['a', 'b', 'c']]);
  });

  it('batches what arrives while a run is under way into the next run', async () => {
    const runs: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const has = coalesce(async (keys) => {
      runs.push(keys);
      if (runs.length === 1) await gate;
      return () => true;
    });
    const first = has('a');
    await new Promise((r) => setTimeout(r, 5));
    const later = ['b', 'c', 'd'].map(has);
    release();
    await Promise.all([first, ...later]);
    expect(runs).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('rejects every caller of a failed run, and recovers for the next', async () => {
    let fail = true;
    const has = coalesce(async () => {
      if (fail) throw new Error('store down');
      return () => false;
    });
    await expect(Promise.all([has('a'), has('b')])).rejects.toThrow('store down');
    fail = false;
    expect(await has('c')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { NewArrival } from '../../src/console/arrivals.js';
import { arrivalsRecorder, type RecordArrivalsOptions } from '../../src/console/record-arrivals.js';
import type { IngestResult } from '../../src/webhooks/ingest.js';
import { makeEvent } from '../support/events.js';

const event = makeEvent();

/** An ingest that publishes `event` for body "ok" and refuses anything else. */
const ingest = async (raw: string): Promise<IngestResult> => {
  if (raw !== 'ok') return { outcome: 'unauthorized', reason: 'bad signature' };
  return {
    outcome: 'published',
    event,
    publishSeconds: 0.001,
    eventId: event.id,
    eventType: event.eventType,
    type: event.type,
    instanceId: event.instanceId,
  };
};

/** The ingest above with the recorder listening to its answers, as the service wires them. */
function recordArrivals(
  log: { record(batch: readonly NewArrival[]): Promise<void> },
  options: RecordArrivalsOptions,
) {
  const record = arrivalsRecorder(log, options);
  return async (raw: string) => {
    const result = await ingest(raw);
    record(result);
    return result;
  };
}

describe('arrivalsRecorder', () => {
  it('records each answer with the event it published, batching while an insert runs', async () => {
    const inserts: NewArrival[][] = [];
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    const log = {
      record: async (batch: readonly NewArrival[]) => {
        inserts.push([...batch]);
        if (inserts.length === 1) await first;
      },
    };
    const wrapped = recordArrivals(log, {
      onError: (e) => {
        throw e;
      },
    });
    expect((await wrapped('ok')).outcome).toBe('published');
    // The first insert starts in this turn's check phase and waits; what arrives meanwhile queues.
    await new Promise((r) => setImmediate(r));
    expect(inserts).toHaveLength(1);
    expect((await wrapped('forged')).outcome).toBe('unauthorized');
    expect((await wrapped('ok')).outcome).toBe('published');
    release();
    await new Promise((r) => setImmediate(r));
    expect(inserts.map((b) => b.map((a) => a.outcome))).toEqual([
      ['published'],
      ['unauthorized', 'published'],
    ]);
    expect(inserts[0]![0]).toMatchObject({ eventId: event.id, type: 'order_created', event });
    expect(inserts[1]![0]).toMatchObject({ outcome: 'unauthorized', detail: 'bad signature' });
    expect(inserts[1]![0]!.event).toBeUndefined();
  });

  it('writes the webhooks answered in one event-loop turn with one insert', async () => {
    const inserts: NewArrival[][] = [];
    const log = {
      record: async (batch: readonly NewArrival[]) => {
        inserts.push([...batch]);
      },
    };
    const wrapped = recordArrivals(log, {
      onError: (e) => {
        throw e;
      },
    });
    // Each webhook's handler runs as its own task of one turn, as Node runs the requests it read together.
    await new Promise<void>((resolve) => {
      let answered = 0;
      for (const body of ['ok', 'forged', 'ok'])
        setImmediate(() => {
          void wrapped(body).then(() => ++answered === 3 && resolve());
        });
    });
    await new Promise((r) => setImmediate(r));
    expect(inserts.map((b) => b.map((a) => a.outcome))).toEqual([['published', 'unauthorized', 'published']]);
  });

  it('never fails or delays a webhook: a failing log is reported, a full queue drops', async () => {
    const errors: unknown[] = [];
    const log = { record: () => new Promise<void>(() => {}) }; // an insert that never finishes
    const wrapped = recordArrivals(log, {
      onError: (e) => errors.push(e),
      maxQueued: 2,
    });
    for (let i = 0; i < 5; i++) expect((await wrapped('ok')).outcome).toBe('published');

    const failing = recordArrivals(
      {
        record: async () => {
          throw new Error('db down');
        },
      },
      {
        onError: (e) => errors.push(e),
      },
    );
    expect((await failing('ok')).outcome).toBe('published');
    await new Promise((r) => setImmediate(r));
    expect(errors).toEqual([new Error('db down')]);
  });
});

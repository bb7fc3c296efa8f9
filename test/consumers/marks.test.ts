import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { Bus, DeliveryHandler } from '../../src/bus/port.js';
import { startConsumers } from '../../src/consumers/run.js';
import { createCoreMetrics, createRegistry } from '../../src/observability/metrics.js';
import type { CommitOptions, Queryable } from '../../src/store/port.js';
import { agentStore, testEvent } from '../support/agent-run.js';

/** A bus that hands each subscriber one delivery of `event` and remembers the subscription. */
function oneDeliveryBus(event: ReturnType<typeof testEvent>) {
  let delivered: Promise<void> | undefined;
  const bus = {
    kind: 'embedded',
    subscribe: async (_types: unknown, handle: DeliveryHandler) => {
      delivered = handle({
        event,
        attempt: 1,
        signal: new AbortController().signal,
        heartbeat: async () => {},
      });
      return { close: async () => {} };
    },
  } as unknown as Bus;
  return { bus, delivered: () => delivered! };
}

describe('the consumer’s "handled" mark', () => {
  let s: Awaited<ReturnType<typeof agentStore>>;
  beforeAll(async () => {
    s = await agentStore();
  });
  afterAll(async () => {
    await s.store.close();
  });

  /** Runs one event through a handler and returns the options the mark was committed with. */
  async function markOptions(marks: CommitOptions | undefined) {
    const seen: { sql: string; options: CommitOptions | undefined }[] = [];
    const store: Queryable = {
      dialect: s.store.dialect,
      query: (sql, params, options) => (seen.push({ sql, options }), s.store.query(sql, params, options)),
      exec: (sql) => s.store.exec(sql),
    };
    const event = testEvent('site-1');
    const { bus, delivered } = oneDeliveryBus(event);
    let handled = 0;
    await startConsumers({
      bus,
      store,
      handlers: [{ name: 'h', on: event.type, handle: async () => void handled++ }],
      logger: pino({ level: 'silent' }),
      metrics: createCoreMetrics(createRegistry({ defaultMetrics: false })),
      subscribe: { maxAttempts: 1, retryBaseMs: 10, retryMaxMs: 10 },
      ...(marks ? { marks } : {}),
    });
    await delivered();
    expect(handled).toBe(1);
    const { rows } = await s.store.query('SELECT handler FROM processed_events WHERE event_id = $1', [
      event.id,
    ]);
    expect(rows).toEqual([{ handler: 'h' }]);
    return seen
      .filter((x) => /INSERT INTO processed_events/.test(x.sql))
      .map((x) => x.options?.asyncCommit === true);
  }

  it('is synced by default', async () => {
    expect(await markOptions(undefined)).toEqual([false]);
  });

  it('commits asynchronously when asked (the embedded bus, whose finish follows in the same store)', async () => {
    expect(await markOptions({ asyncCommit: true })).toEqual([true]);
  });
});

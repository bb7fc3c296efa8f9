import { describe } from 'vitest';
import { createEmbeddedBus } from '../../src/bus/embedded.js';
import { eventTypes } from '../../src/domain/events.js';
import { topicsFor } from '../../src/domain/topics.js';
import { storeFactories } from '../support/stores.js';
import { describeIfServer } from '../support/servers.js';
import { busContract } from './bus.contract.js';

for (const factory of await storeFactories()) {
  const suite =
    factory.name !== 'postgres'
      ? describe
      : describeIfServer(factory.available, 'PostgreSQL at 127.0.0.1:5432');
  suite(`Bus contract: embedded bus on ${factory.name}`, () => {
    busContract(
      async (prefix) => {
        const store = await factory.open();
        const bus = createEmbeddedBus({
          store,
          topics: topicsFor(prefix, eventTypes),
          pollIntervalMs: 20,
          leaseMs: 2000,
          // No sweep within a test, so every delivery the contract waits for comes from the bus's
          // own news (publish, finish, retry time, redrive), never from a catch-all claim.
          sweepMs: 600_000,
        });
        return {
          bus,
          async close() {
            await bus.close();
            await store.close();
          },
        };
      },
      { eventsInStore: true },
    );
  });
}

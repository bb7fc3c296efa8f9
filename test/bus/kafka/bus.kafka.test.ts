import { afterAll, beforeAll } from 'vitest';
import { describeKafka, startMockBroker, type MockBroker } from '../../support/kafka-broker.js';
import { busContract } from '../bus.contract.js';
import { openDedupeStore, openTestBus } from './helpers.js';

describeKafka('Bus contract: Kafka bus on the mock broker', () => {
  let broker: MockBroker;
  beforeAll(async () => {
    broker = await startMockBroker();
  });
  afterAll(async () => {
    await broker?.stop();
  });

  busContract(
    async (prefix) => {
      // The store only holds accepted_events (ingress dedupe); the events themselves live in Kafka.
      const store = await openDedupeStore();
      const { bus } = await openTestBus(broker.bootstrap, { settings: { topicPrefix: prefix }, store });
      return {
        bus,
        async close() {
          await bus.close();
          await store.close();
        },
      };
    },
    // First join of a group: 3 s; a re-join after a member left: sessionTimeout - 1 s = 5 s.
    { startupMs: 8000 },
  );
});

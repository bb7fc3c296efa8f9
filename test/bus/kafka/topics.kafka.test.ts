import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaBus, TopicsMissingError } from '../../../src/bus/kafka.js';
import {
  checkTopics,
  ensureKafkaTopics,
  ensureTopics,
  kafkaTopicAdmin,
  type TopicAdmin,
  type TopicSpec,
} from '../../../src/bus/kafka-topics.js';
import { eventTypes } from '../../../src/domain/events.js';
import { topicsFor } from '../../../src/domain/topics.js';
import { Registry } from 'prom-client';
import { describeKafka, startMockBroker, type MockBroker } from '../../support/kafka-broker.js';
import { rawKafka, testLogger, testSettings, testTuning, uniqueName } from './helpers.js';

/** An in-memory TopicAdmin that records calls; `autoCreate` mimics brokers with auto.create.topics.enable. */
function fakeAdmin(existing: string[], options: { autoCreate?: boolean } = {}) {
  const topics = new Set(existing);
  const created: TopicSpec[][] = [];
  const admin: TopicAdmin = {
    listTopics: async () => [...topics],
    async createTopics(specs) {
      created.push([...specs]);
      for (const s of specs) topics.add(s.topic);
    },
    async requestMetadata(names) {
      if (!options.autoCreate) throw new Error('UNKNOWN_TOPIC_OR_PARTITION');
      for (const n of names) topics.add(n);
    },
  };
  return { admin, created, topics };
}

const wanted = topicsFor('wix.', eventTypes).all;

describe('ensureTopics', () => {
  it('creates only the missing topics, with the configured partitions and replication', async () => {
    const { admin, created } = fakeAdmin(['wix.order_created', 'other']);
    const result = await ensureTopics(admin, { topics: wanted, partitions: 12, replicationFactor: 3 });
    expect(result).toEqual({
      created: ['wix.order_approved', 'wix.contact_created', 'wix.dead_letter'],
      existing: ['wix.order_created'],
    });
    expect(created).toEqual([
      [
        { topic: 'wix.order_approved', numPartitions: 12, replicationFactor: 3 },
        { topic: 'wix.contact_created', numPartitions: 12, replicationFactor: 3 },
        { topic: 'wix.dead_letter', numPartitions: 12, replicationFactor: 3 },
      ],
    ]);
  });

  it('does nothing the second time', async () => {
    const { admin, created } = fakeAdmin([]);
    await ensureTopics(admin, { topics: wanted, partitions: 1, replicationFactor: 1 });
    const again = await ensureTopics(admin, { topics: wanted, partitions: 1, replicationFactor: 1 });
    expect(again).toEqual({ created: [], existing: wanted });
    expect(created).toHaveLength(1);
  });
});

describe('checkTopics', () => {
  it('names exactly the missing topics and creates nothing without allowAutoCreateTopics', async () => {
    const { admin, topics } = fakeAdmin(['wix.dead_letter']);
    const check = await checkTopics(admin, { topics: wanted, allowAutoCreateTopics: false });
    expect(check).toEqual({
      missing: ['wix.order_created', 'wix.order_approved', 'wix.contact_created'],
      autoCreated: [],
    });
    expect(topics.has('wix.order_created')).toBe(false);
  });

  it('auto-creates through a metadata request when allowed and the brokers do', async () => {
    const { admin } = fakeAdmin([], { autoCreate: true });
    expect(await checkTopics(admin, { topics: wanted, allowAutoCreateTopics: true })).toEqual({
      missing: [],
      autoCreated: wanted,
    });
  });

  it('still reports missing topics when the brokers refuse to auto-create', async () => {
    const { admin } = fakeAdmin(['wix.order_created']);
    expect(await checkTopics(admin, { topics: wanted, allowAutoCreateTopics: true })).toEqual({
      missing: ['wix.order_approved', 'wix.contact_created', 'wix.dead_letter'],
      autoCreated: [],
    });
  });
});

// The mock broker has no CreateTopics (ensureTopics cannot run there), but lists topics and auto-creates on metadata.
describeKafka('topics on the mock broker', () => {
  let broker: MockBroker;
  beforeAll(async () => {
    broker = await startMockBroker();
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('checkTopics over kafkajs: reports missing topics, then auto-creates them when allowed', async () => {
    const admin = rawKafka(broker.bootstrap).admin();
    await admin.connect();
    try {
      const names = topicsFor(`${uniqueName('t')}.`, eventTypes).all;
      const topicAdmin = kafkaTopicAdmin(admin);
      expect(await checkTopics(topicAdmin, { topics: names, allowAutoCreateTopics: false })).toEqual({
        missing: names,
        autoCreated: [],
      });
      expect(await checkTopics(topicAdmin, { topics: names, allowAutoCreateTopics: true })).toEqual({
        missing: [],
        autoCreated: names,
      });
      const metadata = await admin.fetchTopicMetadata({ topics: [...names] });
      expect(metadata.topics.map((t) => t.partitions.length)).toEqual(names.map(() => 4)); // the mock's fixed count
    } finally {
      await admin.disconnect();
    }
  });

  it('ensureKafkaTopics (the CLI command) leaves existing topics alone', async () => {
    const settings = testSettings(broker.bootstrap);
    const names = topicsFor(settings.topicPrefix, eventTypes).all;
    const admin = rawKafka(broker.bootstrap).admin();
    await admin.connect();
    await admin.fetchTopicMetadata({ topics: [...names] }); // the mock's way to create topics
    await admin.disconnect();
    expect(await ensureKafkaTopics(settings, names, testLogger())).toEqual({ created: [], existing: names });
  });

  it('createKafkaBus refuses to start when topics are missing and auto-creation is off', async () => {
    const settings = testSettings(broker.bootstrap, { allowAutoCreateTopics: false });
    const topics = topicsFor(settings.topicPrefix, eventTypes);
    const start = createKafkaBus({
      kafka: settings,
      topics,
      logger: testLogger(),
      registry: new Registry(),
      tuning: testTuning,
    });
    await expect(start).rejects.toBeInstanceOf(TopicsMissingError);
    await expect(start).rejects.toThrow(`Kafka topics missing: ${topics.all.join(', ')}`);
  });
});

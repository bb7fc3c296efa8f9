import type { Admin } from 'kafkajs';
import type { Logger } from '../observability/logger.js';
import { createKafkaClient, type KafkaClientTuning, type KafkaSettings } from './kafka-client.js';

/**
 * The few admin operations topic management needs. Kept this small so tests can replace it: the test
 * broker (librdkafka's mock) has no CreateTopics, but lists topics and auto-creates any topic named in
 * a metadata request.
 */
export interface TopicAdmin {
  /** Names of the topics that exist. */
  listTopics(): Promise<string[]>;
  /** Creates topics; resolves when the brokers report them created (or already there). */
  createTopics(specs: readonly TopicSpec[]): Promise<void>;
  /** Asks for the topics' metadata by name: brokers that auto-create topics create them now. */
  requestMetadata(topics: readonly string[]): Promise<void>;
}

export interface TopicSpec {
  topic: string;
  /** Default `KAFKA_PARTITIONS` (12). */
  numPartitions: number;
  /** Default `KAFKA_REPLICATION_FACTOR` (3). */
  replicationFactor: number;
}

export interface TopicCheck {
  /** Topics that do not exist, in the order asked. */
  missing: string[];
  /** Topics created by auto-creation during the check (only with `allowAutoCreateTopics`). */
  autoCreated: string[];
}

/** Start-up failure: names every missing topic and how to create them. */
export class TopicsMissingError extends Error {
  constructor(readonly missing: readonly string[]) {
    super(
      `Kafka topics missing: ${missing.join(', ')}. Create them with "wix-event-agent kafka topics", ` +
        `or set KAFKA_ALLOW_AUTO_CREATE_TOPICS=true where the brokers auto-create topics.`,
    );
    this.name = 'TopicsMissingError';
  }
}

/**
 * Creates the topics that do not exist yet, with `partitions` and `replicationFactor`; existing topics
 * are left as they are (their partition count is not changed). Safe to run again and concurrently.
 */
export async function ensureTopics(
  admin: TopicAdmin,
  options: { topics: readonly string[]; partitions: number; replicationFactor: number },
): Promise<{ created: string[]; existing: string[] }> {
  const present = new Set(await admin.listTopics());
  const existing = options.topics.filter((t) => present.has(t));
  const missing = options.topics.filter((t) => !present.has(t));
  if (missing.length > 0) {
    await admin.createTopics(
      missing.map((topic) => ({
        topic,
        numPartitions: options.partitions,
        replicationFactor: options.replicationFactor,
      })),
    );
  }
  return { created: missing, existing };
}

/**
 * Says exactly which topics are missing. With `allowAutoCreateTopics`, first asks the brokers for the
 * missing topics by name (brokers with `auto.create.topics.enable` create them) and checks again.
 */
export async function checkTopics(
  admin: TopicAdmin,
  options: { topics: readonly string[]; allowAutoCreateTopics: boolean },
): Promise<TopicCheck> {
  const missingNow = async () => {
    const present = new Set(await admin.listTopics());
    return options.topics.filter((t) => !present.has(t));
  };
  const before = await missingNow();
  if (before.length === 0 || !options.allowAutoCreateTopics) return { missing: before, autoCreated: [] };
  await admin.requestMetadata(before).catch(() => {}); // brokers that do not auto-create answer with an error
  const after = await missingNow();
  return { missing: after, autoCreated: before.filter((t) => !after.includes(t)) };
}

/** The TopicAdmin over a kafkajs admin client. */
export function kafkaTopicAdmin(admin: Admin): TopicAdmin {
  return {
    listTopics: () => admin.listTopics(),
    async createTopics(specs) {
      await admin.createTopics({ topics: specs.map((s) => ({ ...s })), waitForLeaders: true });
    },
    async requestMetadata(topics) {
      await admin.fetchTopicMetadata({ topics: [...topics] });
    },
  };
}

/** A connected TopicAdmin over its own kafkajs admin client; call `close` when done. */
export async function connectTopicAdmin(
  settings: KafkaSettings,
  logger: Logger,
  tuning: KafkaClientTuning = {},
): Promise<TopicAdmin & { close(): Promise<void> }> {
  const admin = createKafkaClient(settings, logger, tuning).admin();
  await admin.connect();
  return { ...kafkaTopicAdmin(admin), close: () => admin.disconnect() };
}

/**
 * The `wix-event-agent kafka topics` command: creates the missing topics among `topics` with
 * `KAFKA_PARTITIONS` partitions and `KAFKA_REPLICATION_FACTOR` replicas, and says what it did.
 */
export async function ensureKafkaTopics(
  settings: KafkaSettings,
  topics: readonly string[],
  logger: Logger,
): Promise<{ created: string[]; existing: string[] }> {
  const admin = await connectTopicAdmin(settings, logger);
  try {
    return await ensureTopics(admin, {
      topics,
      partitions: settings.partitions,
      replicationFactor: settings.replicationFactor,
    });
  } finally {
    await admin.close();
  }
}

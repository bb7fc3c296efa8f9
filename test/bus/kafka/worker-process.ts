/**
 * A consumer process for the two-process test (`node --import tsx test/bus/kafka/worker-process.ts`).
 * Joins the group, handles order events like a real consumer (dedupe by event id, then the work, then
 * the completion record) and writes one JSON line per state change to stdout: `{"joined":[partitions]}`
 * at every group join (subscribe() can resolve before a join: kafkajs or the bus may restart a failed
 * one), `{"closed":true}` after SIGTERM closed it cleanly. Configured by environment:
 * KAFKA_BROKERS, TOPIC_PREFIX, GROUP_ID, DATABASE_URL (a schema with `completions` and `deliveries`),
 * WORKER_NAME, HANDLE_MS (simulated work per event).
 */
import { Registry } from 'prom-client';
import { createKafkaBus } from '../../../src/bus/kafka.js';
import { eventTypes } from '../../../src/domain/events.js';
import { topicsFor } from '../../../src/domain/topics.js';
import { openPostgresStore } from '../../../src/store/postgres.js';
import { createLogger } from '../../../src/observability/logger.js';
import { testSettings, testTuning } from './helpers.js';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const worker = env('WORKER_NAME');
const handleMs = Number(process.env.HANDLE_MS ?? '5');
const say = (line: object) => process.stdout.write(`${JSON.stringify({ worker, ...line })}\n`);

/** Every log line goes to stderr; a group join is also announced on stdout with its assignment. */
const logSink = {
  write(line: string) {
    process.stderr.write(line);
    if (!line.includes('joined the consumer group')) return;
    const { assignment } = JSON.parse(line) as { assignment: Record<string, number[]> };
    say({ joined: Object.values(assignment).flat() });
  },
};

const store = openPostgresStore(env('DATABASE_URL'), { max: 4 });
const settings = testSettings(env('KAFKA_BROKERS'), {
  topicPrefix: env('TOPIC_PREFIX'),
  groupId: env('GROUP_ID'),
});
const bus = await createKafkaBus({
  kafka: settings,
  topics: topicsFor(settings.topicPrefix, eventTypes),
  // WORKER_LOG_LEVEL=debug shows everything on stderr; info (the least) is needed for the join lines.
  logger: createLogger({ level: process.env.WORKER_LOG_LEVEL ?? 'info', destination: logSink }),
  registry: new Registry(),
  tuning: testTuning,
});

const subscription = await bus.subscribe(
  ['order_created'],
  async ({ event }) => {
    await store.query('INSERT INTO deliveries (event_id, worker) VALUES ($1, $2)', [event.id, worker]);
    const seen = await store.query('SELECT 1 FROM completions WHERE event_id = $1', [event.id]);
    if (seen.rows.length > 0) return; // redelivered after a crash: already done
    await new Promise((r) => setTimeout(r, handleMs));
    await store.query(
      'INSERT INTO completions (event_id, site, seq, worker) VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING',
      [event.id, event.instanceId, Number(event.entityId), worker],
    );
  },
  { maxAttempts: 5, retryBaseMs: 50, retryMaxMs: 500, concurrency: 4 },
);
process.once('SIGTERM', () => {
  void (async () => {
    await subscription.close();
    await bus.close();
    await store.close();
    say({ closed: true });
    process.exit(0);
  })();
});

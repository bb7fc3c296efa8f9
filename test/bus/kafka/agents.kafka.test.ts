import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunRecord } from '../../../src/calls/audit.js';
import { signWebhook } from '../../../src/webhooks/sign.js';
import { eventIdOf, fixture, startEmulators } from '../../support/agent-env.js';
import { describeKafka, startMockBroker, type MockBroker } from '../../support/kafka-broker.js';
import { rsKey } from '../../support/keys.js';
import { startTestService } from '../../support/service.js';
import { waitFor } from '../../support/wait.js';
import { uniqueName } from './helpers.js';

const ORDER = 'order-approved.buyer-note';
const CONTACT = 'contact-created.duplicate-email';

describeKafka('agents end to end on Kafka', () => {
  let broker: MockBroker;
  beforeAll(async () => {
    broker = await startMockBroker();
  });
  afterAll(async () => broker?.stop());

  it.each(['live', 'dry-run', 'approval'] as const)(
    'fixture → signed webhook → Kafka → worker → agent → Wix emulator, in %s mode',
    async (mode) => {
      const emu = await startEmulators();
      const t = await startTestService({
        ...emu.env,
        AGENT_MODE: mode,
        KAFKA_BROKERS: broker.bootstrap,
        KAFKA_TOPIC_PREFIX: `${uniqueName('agents')}.`,
        KAFKA_GROUP_ID: uniqueName('group'),
        KAFKA_IDEMPOTENT: 'false', // the mock broker cannot run the idempotent producer
        KAFKA_ALLOW_AUTO_CREATE_TOPICS: 'true',
        KAFKA_SESSION_TIMEOUT_MS: '6000',
      });
      try {
        expect(t.service.bus.kind).toBe('kafka');
        for (const name of [ORDER, CONTACT]) {
          const res = await fetch(t.webhookUrl, {
            method: 'POST',
            body: await signWebhook(fixture(name).webhook, rsKey),
          });
          expect(await res.json()).toMatchObject({ status: 'published' });
        }
        const done = async (name: string) =>
          waitFor(
            async () => {
              const runs = await t.service.agents!.audit.listRuns({ eventId: eventIdOf(name) });
              return runs.length > 0 && runs.every((r: RunRecord) => r.status !== 'running')
                ? runs
                : undefined;
            },
            { timeoutMs: 30_000, message: `runs of ${name}` },
          );
        const [orderRun] = await done(ORDER);
        const [contactRun] = await done(CONTACT);
        expect([orderRun!.status, contactRun!.status]).toEqual(['succeeded', 'succeeded']);
        const calls = [
          ...(await t.service.agents!.audit.getRun(orderRun!.id))!.calls,
          ...(await t.service.agents!.audit.getRun(contactRun!.id))!.calls,
        ];
        const writes = calls.filter((c) => c.access === 'write');
        expect(writes.map((c) => c.tool).sort()).toEqual([
          'add_order_note',
          'create_task',
          'create_task',
          'label_contact',
          'label_contact',
        ]);
        const status = { live: 'executed', 'dry-run': 'simulated', approval: 'pending' }[mode];
        expect(writes.every((c) => c.status === status)).toBe(true);
        const received = emu.wix.writes.filter((w) => w.status < 300);
        if (mode === 'live') {
          expect(received.filter((w) => w.path.endsWith('/activities/add'))).toHaveLength(1);
          expect(received.filter((w) => w.path === '/crm/tasks/v2/tasks')).toHaveLength(2);
        } else {
          expect(received).toEqual([]);
        }
        // A redelivered webhook is a duplicate at the door, on Kafka too (accepted_events).
        const again = await fetch(t.webhookUrl, {
          method: 'POST',
          body: await signWebhook(fixture(ORDER).webhook, rsKey),
        });
        expect(await again.json()).toMatchObject({ status: 'duplicate' });
      } finally {
        await t.service.stop();
        await emu.close();
      }
    },
    60_000,
  );
});

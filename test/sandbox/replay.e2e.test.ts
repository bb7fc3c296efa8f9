import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventHandler } from '../../src/consumers/event-handler.js';
import type { BusEvent } from '../../src/domain/events.js';
import { loadFixtures } from '../../src/sandbox/fixtures.js';
import { replayFixtures } from '../../src/sandbox/replay.js';
import { fixturesDir, rsKey } from '../support/keys.js';
import { startTestService } from '../support/service.js';
import { waitFor } from '../support/wait.js';
import { runCli } from '../support/cli.js';

const fixtures = loadFixtures([fixturesDir]);

describe('replaying the fixtures end to end into a handler', () => {
  const seen: { handler: string; event: BusEvent; attempt: number }[] = [];
  const recorder = (name: string, on: EventHandler['on']): EventHandler => ({
    name,
    on,
    handle: async (event, ctx) => void seen.push({ handler: name, event, attempt: ctx.attempt }),
  });
  let t: Awaited<ReturnType<typeof startTestService>>;

  beforeAll(async () => {
    t = await startTestService(
      {},
      {
        handlers: [
          recorder('orders', 'order_created'),
          recorder('approved orders', 'order_approved'),
          recorder('contacts', 'contact_created'),
        ],
      },
    );
  });
  afterAll(async () => t.service.stop());

  it('gets the status each fixture expects, over real HTTP', async () => {
    const results = await replayFixtures(fixtures, { url: t.webhookUrl, key: rsKey });
    for (const r of results) {
      expect(r.status, r.fixture.name).toBe(r.fixture.expect?.status ?? 200);
      if (r.fixture.expect?.outcome)
        expect((r.body as { status: string }).status, r.fixture.name).toBe(r.fixture.expect.outcome);
    }
  });

  it('delivers every published fixture to the handler of its type, once, with the expected fields', async () => {
    const published = fixtures.filter((f) => f.expect?.outcome === 'published');
    expect(published.length).toBeGreaterThanOrEqual(10);
    await waitFor(() => seen.length === published.length, { timeoutMs: 10_000 });
    for (const f of published) {
      const data = f.webhook.data as {
        id: string;
        entityId: string;
        eventTime: string;
        entityFqdn: string;
        slug: string;
      };
      const deliveries = seen.filter((s) => s.event.id === data.id);
      expect(deliveries, f.name).toHaveLength(1);
      const { handler, event, attempt } = deliveries[0]!;
      const handlerOf = { order_created: 'orders', order_approved: 'approved orders' } as Record<
        string,
        string
      >;
      expect(handler).toBe(handlerOf[f.expect?.type ?? ''] ?? 'contacts');
      expect(attempt).toBe(1);
      expect(event).toMatchObject({
        v: 1,
        type: f.expect?.type,
        eventType: f.webhook.eventType,
        instanceId: f.webhook.instanceId,
        entityId: data.entityId,
        entityFqdn: data.entityFqdn,
        eventTime: data.eventTime,
        // Created events carry `created`; Order Approved is an action event (`approved`).
        slug: data.slug,
      });
      expect(event.entity.id).toBe(data.entityId);
      expect(event.identity).toEqual(f.webhook.identity ?? null);
      expect(Date.parse(event.receivedAt)).not.toBeNaN();
    }
  });

  it('replaying everything again publishes nothing new and handles nothing twice', async () => {
    const before = seen.length;
    const results = await replayFixtures(fixtures, { url: t.webhookUrl, key: rsKey });
    const statuses = results.map((r) => (r.body as { status: string }).status);
    expect(statuses).not.toContain('published');
    expect(statuses.filter((s) => s === 'duplicate').length).toBe(before);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.length).toBe(before);
  });

  it('the replay command prints a line per event with its status and exits 0 when all got 200', async () => {
    const run = await runCli([
      'replay',
      'fixtures/wix',
      '--url',
      t.webhookUrl,
      '--private-key',
      'fixtures/keys/test-private.pem',
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(fixtures.length + 1);
    expect(lines[0]).toMatch(new RegExp(`^\\[ ?1/${fixtures.length}\\] 200 `));
    expect(lines.at(-1)).toBe(`${fixtures.length}/${fixtures.length} delivered with 200`);
  });

  it('the replay command exits non-zero when a delivery is refused', async () => {
    const run = await runCli([
      'replay',
      'fixtures/wix/order-created.visitor.json',
      '--url',
      t.webhookUrl,
      '--secret',
      'wrong-secret',
    ]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^401 order-created\.visitor \d+ms .*bad signature/m);
  });
});

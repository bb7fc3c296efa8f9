import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { expect, it } from 'vitest';
import { orderTriage } from '../../src/builtin/order-triage.js';
import { seedFromFixtures } from '../../src/sandbox/fixture-seed.js';
import { signWebhook } from '../../src/webhooks/sign.js';
import { freshOrders, startEmulators } from '../support/agent-env.js';
import { rsKey } from '../support/keys.js';
import { POSTGRES_URL, describeIfServer, reachable } from '../support/servers.js';
import { startTestService } from '../support/service.js';

const pgUrl = new URL(POSTGRES_URL);
const postgresUp = await reachable(pgUrl.hostname, Number(pgUrl.port || 5432));

describeIfServer(postgresUp, 'PostgreSQL at 127.0.0.1:5432')('faults everywhere at once', () => {
  it('Wix 5xx and 429 storms, model errors and timeouts, store connections killed: every event handled once or dead-lettered', async () => {
    const schema = `fault_${randomBytes(5).toString('hex')}`;
    const app = `wea-fault-${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    const url = new URL(POSTGRES_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    url.searchParams.set('application_name', app);
    const killConnections = async () =>
      (
        await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`,
          [app],
        )
      ).rowCount;

    const emu = await startEmulators({ llm: { latencyMs: 20 } });
    const events = freshOrders(12, { namePrefix: 'fault', firstNumber: 30000 });
    seedFromFixtures(
      emu.wix.data,
      events.map((e) => e.fixture),
    );
    const quick = { ...orderTriage, limits: { ...orderTriage.limits, deadlineMs: 3000 } };
    const t = await startTestService(
      {
        ...emu.env,
        DATABASE_URL: url.toString(),
        MAX_ATTEMPTS: '6',
        RETRY_BASE_MS: '100',
        RETRY_MAX_MS: '800',
      },
      { definitions: [quick] },
    );
    /** What Wix does: deliver, and retry a 503 (store down) until it gets a 200. */
    const deliver = async (e: (typeof events)[number]) => {
      const body = await signWebhook(e.fixture.webhook, rsKey);
      for (let i = 0; ; i++) {
        const status = (await fetch(t.webhookUrl, { method: 'POST', body })).status;
        if (status === 200 || status !== 503 || i > 20) return status;
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    try {
      emu.wix.setFault({ serverErrors: 8, serverErrorStatus: 503 });
      emu.llm.failNext(3, 503);
      for (const e of events.slice(0, 6)) {
        expect(await deliver(e)).toBe(200);
      }
      emu.wix.setFault({ rateLimitStormMs: 1500 });
      emu.llm.hangNext(1);
      let killed = 0;
      killed += (await killConnections()) ?? 0;
      for (const e of events.slice(6)) {
        expect(await deliver(e)).toBe(200);
      }
      await new Promise((r) => setTimeout(r, 300));
      killed += (await killConnections()) ?? 0;
      expect(killed).toBeGreaterThan(0);

      // Every event's delivery ended, handled or dead-lettered, as the service announced it.
      await t.settled.until(
        (seen) =>
          new Set(seen.filter((d) => d.outcome !== 'retry').map((d) => d.event.id)).size >= events.length
            ? true
            : undefined,
        { timeoutMs: 90_000, what: 'all events done or dead' },
      );
      const letters = await t.service.bus.listDeadLetters({ limit: 100 });
      const pending = await t.service.agents!.audit.listCalls({ status: 'pending', limit: 100 });
      const writes = emu.wix.writes.filter((w) => w.status < 300);
      let once = 0;
      for (const e of events) {
        const letter = letters.find((l) => l.eventId === e.eventId);
        if (letter) {
          expect(letter.error.length).toBeGreaterThan(0);
          continue;
        }
        const notes = writes.filter((w) => w.path === `/ecom/v1/orders/${e.orderId}/activities/add`).length;
        const parked = pending.filter((p) => p.eventId === e.eventId && p.tool === 'add_order_note').length;
        expect(notes, e.fixture.name).toBeLessThanOrEqual(1);
        expect(notes + parked, e.fixture.name).toBeGreaterThanOrEqual(1);
        if (notes === 1) once++;
      }
      const failedRuns = (await t.service.agents!.audit.listRuns({ limit: 200 })).filter(
        (r) => r.status === 'failed',
      );
      expect(failedRuns.length).toBeGreaterThan(0); // the faults did bite
      console.log(
        `faults: ${events.length} events, ${once} handled once, ${letters.length} dead-lettered, ${pending.length} parked, ` +
          `${failedRuns.length} failed runs retried, ${killed} store connections killed, Wix 5xx/429 storms, 3 model errors + 1 model timeout`,
      );
    } finally {
      await t.service.stop();
      await emu.close();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    }
  }, 150_000);
});

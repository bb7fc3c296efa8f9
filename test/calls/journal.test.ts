import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJournal, newWriteOwner } from '../../src/calls/journal.js';
import { agentStore } from '../support/agent-run.js';
import { describeIfServer } from '../support/servers.js';
import { postgresFactory } from '../support/stores.js';

const postgres = await postgresFactory();
for (const engine of ['sqlite', 'postgres'] as const) {
  const suite =
    engine === 'sqlite' ? describe : describeIfServer(postgres.available, 'PostgreSQL at 127.0.0.1:5432');
  suite(`the write journal and its owners on ${engine}`, () => {
    let s: Awaited<ReturnType<typeof agentStore>>;
    beforeAll(async () => {
      s = await agentStore(engine);
    });
    afterAll(async () => {
      await s.store.close();
    });
    const call = async (key: string) => {
      const runId = await s.audit.startRun({
        eventId: 'e1',
        eventType: 'order_created',
        instanceId: 'site',
        handler: 'h',
        model: 'm',
        mode: 'live',
        attempt: 1,
      });
      return {
        runId,
        seq: 1,
        eventId: 'e1',
        handler: 'h',
        instanceId: 'site',
        tool: 'create_task',
        access: 'write' as const,
        arguments: { title: 't' },
        idempotencyKey: key,
      };
    };
    /** As if the owner stopped renewing a while ago (no sleeping in tests). */
    const silence = (id: string) =>
      s.store.query(`UPDATE tool_calls SET owner_seen_at = $2 WHERE id = $1`, [
        id,
        new Date(Date.now() - 3_600_000),
      ]);

    it('a live owner keeps its write; a gone one lets another take over, and its late truth still lands', async () => {
      const a = createJournal(s.store, newWriteOwner(30_000));
      const b = createJournal(s.store, newWriteOwner(30_000));
      const id = (await a.start(await call('k1')))!;
      expect(await b.start(await call('k1'))).toBeUndefined(); // one row per key
      expect(await b.find('k1')).toMatchObject({ status: 'started', ownerAlive: true, owner: a.owner.id });
      expect(await b.claim(id, 'started')).toBe(false); // alive: never taken over

      await silence(id);
      expect((await b.orphans()).map((r) => r.id)).toEqual([id]);
      expect(await b.claim(id, 'started')).toBe(true);
      expect(await a.finish(id, { status: 'executed', result: { late: true } })).toBe(false); // not a's anymore
      expect(await b.finish(id, { status: 'unknown', error: 'outcome unknown' })).toBe(true);
      // a's answer arrives after all: a known outcome replaces the parked guess.
      expect(await a.finish(id, { status: 'executed', result: { late: true } })).toBe(true);
      expect(await s.audit.getCall(id)).toMatchObject({ status: 'executed', result: { late: true } });
    });

    it('a person takes over a parked write to send it again', async () => {
      const a = createJournal(s.store, newWriteOwner(30_000));
      const id = (await a.start(await call('k2')))!;
      await a.finish(id, { status: 'unknown', error: 'outcome unknown' });
      const approver = createJournal(s.store, newWriteOwner(30_000));
      expect(await approver.claim(id, 'unknown', 'priya')).toBe(true);
      expect(await approver.claim(id, 'unknown', 'sam')).toBe(false);
      expect(await s.audit.getCall(id)).toMatchObject({
        status: 'started',
        owner: approver.owner.id,
        decidedBy: 'priya',
      });
    });
  });
}

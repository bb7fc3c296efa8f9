import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJournal, newWriteOwner } from '../../src/calls/journal.js';
import { sendWrite } from '../../src/calls/send.js';
import type { WixRequester } from '../../src/wix/client.js';
import { createTaskTool } from '../../src/wix/tools/index.js';
import { agentStore } from '../support/agent-run.js';
import { waitFor } from '../support/wait.js';

describe('the owner of a write in flight', () => {
  let s: Awaited<ReturnType<typeof agentStore>>;
  beforeAll(async () => {
    s = await agentStore();
  });
  afterAll(async () => {
    await s.store.close();
  });

  it('stops renewing at the send’s deadline, so a send stuck past it becomes an orphan within the TTL', async () => {
    // A Wix request that never ends and ignores the signal: the worst a broken wait can do.
    const stuck: WixRequester = { request: () => new Promise(() => {}) };
    const journal = createJournal(s.store, newWriteOwner(600)); // renews every 200 ms
    const runId = await s.audit.startRun({
      eventId: 'e-stuck',
      eventType: 'order_created',
      instanceId: 'site',
      handler: 'h',
      model: 'm',
      mode: 'live',
      attempt: 1,
    });
    const input = { title: 'Stuck' };
    const id = (await journal.start({
      runId,
      seq: 1,
      eventId: 'e-stuck',
      handler: 'h',
      instanceId: 'site',
      tool: 'create_task',
      access: 'write',
      arguments: input,
      idempotencyKey: 'k-stuck',
    }))!;
    const deadline = Date.now() + 1200;
    void sendWrite(
      { journal, client: stuck },
      { id, tool: createTaskTool, input, instanceId: 'site', writeRef: 'wea-0' },
      {
        deadline,
      },
    );
    // Alive while the deadline has not passed (renewed meanwhile, past its first TTL)...
    await waitFor(() => Date.now() > deadline - 100, { intervalMs: 10 });
    expect(await journal.find('k-stuck')).toMatchObject({ status: 'started', ownerAlive: true });
    // ...then no longer renewed: gone within the TTL, for another run to settle.
    const orphan = await waitFor(async () => (await journal.orphans()).find((r) => r.id === id), {
      timeoutMs: 3000,
      message: 'the stuck write became an orphan',
    });
    expect(orphan).toMatchObject({ status: 'started', owner: journal.owner.id });
  });
});

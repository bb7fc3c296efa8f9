import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WixRequest, WixRequester, WixResponse } from '../../../src/wix/client.js';
import { createJournal, newWriteOwner } from '../../../src/agents/journal.js';
import { writeKey } from '../../../src/agents/runner.js';
import { createTaskTool, labelContactTool } from '../../../src/wix/tools/index.js';
import { agentStore, runScripted, testEvent, testHandler } from '../../support/agent-run.js';
import { waitFor } from '../../support/wait.js';

/** A Wix stand-in with no HTTP: records requests, answers a task creation. */
function fakeWix() {
  const requests: WixRequest[] = [];
  const client: WixRequester = {
    async request<T>(r: WixRequest): Promise<WixResponse<T>> {
      requests.push(r);
      const task = (r.body as { task?: Record<string, unknown> } | undefined)?.task ?? {};
      return {
        status: 200,
        data: { task: { id: `task-${requests.length}`, ...task } } as T,
        requestId: 'r',
        attempts: 1,
      };
    },
  };
  return { client, requests };
}

describe('an agent run decides, then runs and journals (mock model, no HTTP)', () => {
  let s: Awaited<ReturnType<typeof agentStore>>;
  beforeAll(async () => {
    s = await agentStore();
  });
  afterAll(async () => {
    await s.store.close();
  });
  const handler = testHandler([createTaskTool]);
  const nullTask = {
    title: 'Call back',
    description: null,
    dueDate: null,
    contactId: null,
  };

  it('treats null for an optional argument as absent (strict-mode models)', async () => {
    const wix = fakeWix();
    const event = testEvent('site-1');
    const run = await runScripted({ ...s, client: wix.client }, handler, event, [
      { calls: [{ tool: 'create_task', input: nullTask }] },
      { text: 'created a task' },
    ]);
    expect(run).toMatchObject({ status: 'succeeded', counts: { writesExecuted: 1, writesRefused: 0 } });
    expect(wix.requests).toHaveLength(1);
    const body = wix.requests[0]!.body as { task: Record<string, unknown> };
    expect(body.task).not.toHaveProperty('dueDate');
    expect(body.task).not.toHaveProperty('contact');
    expect(String(body.task.description)).toMatch(/^\[ref wea-[0-9a-f]{12}\]$/);
  });

  it('replays the same write on a second run instead of sending it again', async () => {
    const wix = fakeWix();
    const event = testEvent('site-1');
    const steps = [{ calls: [{ tool: 'create_task', input: { title: 'Once' } }] }, { text: 'ok' }];
    await runScripted({ ...s, client: wix.client }, handler, event, steps);
    const again = await runScripted({ ...s, client: wix.client }, handler, event, steps);
    expect(wix.requests).toHaveLength(1);
    expect(again).toMatchObject({ status: 'succeeded', counts: { writesExecuted: 1 } });
    const audit = await s.audit.getRun(again.runId);
    expect(audit?.calls.map((c) => c.status)).toEqual(['deduplicated']);
  });

  it('dry-run simulates, approval parks, and neither sends anything', async () => {
    const wix = fakeWix();
    const steps = [{ calls: [{ tool: 'create_task', input: { title: 'Maybe' } }] }, { text: 'ok' }];
    const dry = await runScripted(
      { ...s, client: wix.client },
      handler,
      testEvent('site-1'),
      steps,
      'dry-run',
    );
    const parked = await runScripted(
      { ...s, client: wix.client },
      handler,
      testEvent('site-1'),
      steps,
      'approval',
    );
    expect(wix.requests).toHaveLength(0);
    expect(dry.counts.writesSimulated).toBe(1);
    expect(parked.counts.writesParked).toBe(1);
  });

  it('a run whose only write was refused says so', async () => {
    const wix = fakeWix();
    const guarded = testHandler([createTaskTool, labelContactTool], {
      guard: () => 'outside this handler’s purpose',
    });
    const run = await runScripted({ ...s, client: wix.client }, guarded, testEvent('site-1'), [
      { calls: [{ tool: 'create_task', input: { title: 'No' } }] },
      { calls: [{ tool: 'delete_everything', input: {} }] },
      { text: 'could not' },
    ]);
    expect(run.status).toBe('writes_failed');
    expect(run.counts.writesRefused).toBe(1);
    expect(wix.requests).toHaveLength(0);
  });

  it('stops at a write in flight in another process: the later writes of the step are neither journalled nor sent', async () => {
    const wix = fakeWix();
    const event = testEvent('site-1');
    const both = testHandler([createTaskTool, labelContactTool]);
    // Another process is sending this task right now (its owner renews the row).
    const task = { title: 'In flight elsewhere' };
    const elsewhere = createJournal(s.store, newWriteOwner(30_000));
    const runId = await s.audit.startRun({
      eventId: event.id,
      eventType: event.type,
      instanceId: event.instanceId,
      handler: both.name,
      model: 'm',
      mode: 'live',
      attempt: 1,
    });
    await elsewhere.start({
      runId,
      seq: 1,
      eventId: event.id,
      handler: both.name,
      instanceId: event.instanceId,
      tool: 'create_task',
      access: 'write',
      arguments: task,
      idempotencyKey: writeKey(event.id, both.name, 'create_task', createTaskTool.input.parse(task)),
    });

    const label = { contactId: 'c-1', labels: ['vip'] };
    const run = runScripted({ ...s, client: wix.client }, both, event, [
      {
        calls: [
          { tool: 'create_task', input: task },
          { tool: 'label_contact', input: label },
        ],
      },
      { text: 'done' },
    ]);
    await expect(run).rejects.toMatchObject({ code: 'WRITE_IN_FLIGHT', countsAsAttempt: false });
    // The loop stops at once; the label call queued behind the task still ends in the background.
    const labelled = await waitFor(async () => {
      const rows = await s.audit.listCalls({ eventId: event.id });
      return rows.find((c) => c.tool === 'label_contact' && c.status !== 'started');
    });
    expect(labelled).toMatchObject({ status: 'refused', idempotencyKey: null });
    expect(labelled.error).toMatch(/^not attempted: the run stopped before this call \(WRITE_IN_FLIGHT: /);
    expect(wix.requests).toEqual([]);
    const calls = await s.audit.listCalls({ eventId: event.id });
    // The other process's write is untouched.
    expect(calls.filter((c) => c.tool === 'create_task').map((c) => [c.status, c.owner])).toEqual([
      ['started', elsewhere.owner.id],
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WixRequest, WixRequester, WixResponse } from '../../../src/wix/client.js';
import { createTaskTool, labelContactTool } from '../../../src/wix/tools/index.js';
import { agentStore, runScripted, testEvent, testHandler } from '../../support/agent-run.js';

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
});

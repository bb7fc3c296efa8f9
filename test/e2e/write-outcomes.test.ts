import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_INSTANCES, SEED_IDS } from '../../src/sandbox/wix-emulator.js';
import { createApprovals } from '../../src/agents/approvals.js';
import { createTaskTool, sendInboxMessageTool, wixTools } from '../../src/wix/tools/index.js';
import { agentStore, runScripted, testEvent, testHandler } from '../support/agent-run.js';
import { startHarness, type Harness } from '../wix/support.js';

const site = EMULATOR_INSTANCES.coffee;
const TASKS = '/crm/tasks/v2/tasks';
const MESSAGES = '/inbox/v2/messages';

describe('a write Wix applied whose answer was lost, in an agent run', () => {
  let h: Harness;
  let s: Awaited<ReturnType<typeof agentStore>>;
  beforeAll(async () => {
    // Real Wix may answer after 25 s; here the client waits 1 s and the answer comes at 2.5 s.
    h = await startHarness({ client: { timeoutMs: 1000 } });
    s = await agentStore();
  });
  beforeEach(() => h.emulator.reset());
  afterAll(async () => {
    await s.store.close();
    await h.close();
  });
  const deps = () => ({ ...s, client: h.client });

  it.each([
    ['answered after the client timed out', { lateAnswers: 1, lateAnswerMs: 2500 }],
    ['answered 5xx', { serverErrorsAfterApply: 1 }],
    ['its connection reset', { resetsAfterApply: 1 }],
  ])('a task %s: one task in Wix, found by its marker, recorded as executed', async (_l, fault) => {
    h.emulator.setFault({ path: TASKS, ...fault });
    const handler = testHandler([createTaskTool]);
    const run = await runScripted(deps(), handler, testEvent(site), [
      { calls: [{ tool: 'create_task', input: { title: 'Call back about the grinder' } }] },
      { text: 'done' },
    ]);
    expect(h.emulator.writeLog.applied((w) => w.path === TASKS)).toHaveLength(1);
    expect(h.emulator.writeLog.entries.filter((w) => w.path === TASKS)).toHaveLength(1);
    expect(run).toMatchObject({ status: 'succeeded', counts: { writesExecuted: 1, writesUnknown: 0 } });
    const [call] = (await s.audit.getRun(run.runId))!.calls;
    expect(call).toMatchObject({ tool: 'create_task', status: 'executed', decidedBy: 'reconcile' });
    expect(call!.result).toMatchObject({ title: 'Call back about the grinder' });
  });

  it('a message answered 5xx is parked for a person, who marks it done', async () => {
    h.emulator.setFault({ path: MESSAGES, serverErrorsAfterApply: 1 });
    const handler = testHandler([sendInboxMessageTool]);
    const input = { contactId: SEED_IDS.coffee.contacts.priya, text: 'Your grinder ships Monday.' };
    const run = await runScripted(deps(), handler, testEvent(site), [
      { calls: [{ tool: 'send_inbox_message', input }] },
      { text: 'done' },
    ]);
    expect(h.emulator.writeLog.applied((w) => w.path === MESSAGES)).toHaveLength(1);
    expect(run).toMatchObject({ status: 'needs_attention', counts: { writesUnknown: 1 } });
    const [parked] = await s.audit.listCalls({ status: 'unknown' });
    const answered = h.emulator.writeLog.entries.find((w) => w.path === MESSAGES)!;
    expect(parked!.error).toMatch(/outcome unknown: Wix answered 503/);
    expect(parked!.error).toContain(answered.requestId);
    expect(parked!.sentAt).toEqual(expect.any(String));

    const approvals = createApprovals({ ...deps(), tools: wixTools });
    expect((await approvals.list()).map((c) => c.id)).toEqual([parked!.id]);
    await expect(approvals.done(parked!.id, 'priya')).resolves.toMatchObject({
      status: 'executed',
      decidedBy: 'priya',
    });
    await expect(approvals.resend(parked!.id, 'priya')).rejects.toMatchObject({ status: 409 });
    expect(h.emulator.writeLog.applied((w) => w.path === MESSAGES)).toHaveLength(1);
  });
});

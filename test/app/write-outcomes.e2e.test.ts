import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_INSTANCES, SEED_IDS } from '../../src/sandbox/wix-emulator.js';
import { createApprovals } from '../../src/calls/approvals.js';
import {
  createTaskTool,
  labelContactTool,
  sendInboxMessageTool,
  wixTools,
} from '../../src/wix/tools/index.js';
import { z } from 'zod';
import { getContact } from '../../src/wix/resources/contacts.js';
import { createTask } from '../../src/wix/resources/tasks.js';
import { defineTool, scopeOf, writeScope } from '../../src/wix/tools/tool.js';
import { agentStore, runScripted, testEvent, testHandler } from '../support/agent-run.js';
import { startHarness, type Harness } from '../wix/support.js';

const site = EMULATOR_INSTANCES.coffee;
const TASKS = '/crm/tasks/v2/tasks';
const MESSAGES = '/inbox/v2/messages';
const CONTACT_LABELS = /^\/contacts\/v4\/contacts\/[^/]+\/labels$/;

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
    ['answered 200 without the fields the client reads', { unreadableAnswersAfterApply: 1 }],
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

  // A 2xx answer means Wix applied the write, whatever its body: an answer the client cannot read is an
  // unknown outcome to settle, never a failure (a failed write holds no key, so it would be sent again).
  it('a message whose 200 answer cannot be read is parked, and the model asking again sends nothing', async () => {
    h.emulator.setFault({ path: MESSAGES, unreadableAnswersAfterApply: 1 });
    const handler = testHandler([sendInboxMessageTool], {
      limits: { writesPerTool: { send_inbox_message: 2 } },
    });
    const input = { contactId: SEED_IDS.coffee.contacts.priya, text: 'Your grinder ships Monday.' };
    const run = await runScripted(deps(), handler, testEvent(site), [
      { calls: [{ tool: 'send_inbox_message', input }] },
      { calls: [{ tool: 'send_inbox_message', input }] },
      { text: 'done' },
    ]);
    expect(h.emulator.writeLog.applied((w) => w.path === MESSAGES)).toHaveLength(1);
    expect(h.emulator.writeLog.entries.filter((w) => w.path === MESSAGES)).toHaveLength(1);
    expect(run.status).toBe('needs_attention');
    const calls = (await s.audit.getRun(run.runId))!.calls.filter((c) => c.access === 'write');
    expect(calls.map((c) => c.status)).toEqual(['unknown', 'deduplicated']);
    expect(calls[0]!.error).toMatch(
      /Wix applied POST \/inbox\/v2\/messages .*unexpected send message response/,
    );
  });

  it('a label write whose answers cannot be read is sent again once, then parked', async () => {
    h.emulator.setFault({ path: CONTACT_LABELS, unreadableAnswersAfterApply: 10 });
    const run = await runScripted(deps(), testHandler([labelContactTool]), testEvent(site), [
      {
        calls: [
          { tool: 'label_contact', input: { contactId: SEED_IDS.coffee.contacts.priya, labels: ['VIP'] } },
        ],
      },
      { text: 'done' },
    ]);
    // Labels are a set, so the tool's way to settle is to send it again: once, not until the deadline.
    expect(h.emulator.writeLog.applied((w) => CONTACT_LABELS.test(w.path))).toHaveLength(2);
    expect(run).toMatchObject({ status: 'needs_attention', counts: { writesUnknown: 1 } });
    const [call] = (await s.audit.getRun(run.runId))!.calls;
    expect(call).toMatchObject({ tool: 'label_contact', status: 'unknown' });
    expect(call!.error).toMatch(/sent again once/);
  });

  it('a label write refused for an unknown contact fails as before: the model sees why, nothing is parked', async () => {
    const contactId = '00000000-0000-4000-8000-00000000dead';
    const run = await runScripted(deps(), testHandler([labelContactTool]), testEvent(site), [
      { calls: [{ tool: 'label_contact', input: { contactId, labels: ['VIP'] } }] },
      { text: 'done' },
    ]);
    // The label was found or created (a get-or-create step), the contact refused: the write failed.
    const labelled = h.emulator.writeLog.entries.filter((w) => CONTACT_LABELS.test(w.path));
    expect(labelled).toHaveLength(1);
    expect(labelled[0]!.applied).toBe(false);
    const [call] = (await s.audit.getRun(run.runId))!.calls;
    expect(call).toMatchObject({ tool: 'label_contact', status: 'failed' });
    expect(call!.error).toMatch(/NOT_FOUND|404/);
    expect((await s.audit.listCalls({ status: 'unknown' })).filter((c) => c.runId === run.runId)).toEqual([]);
    expect(run.status).not.toBe('needs_attention');
  });

  it('a write whose tool fails on a read after Wix applied it is parked, and asking again sends nothing', async () => {
    // A tool that creates a task, then reads a contact Wix does not have (404): the task exists.
    const taskThenRead = defineTool({
      name: 'create_task_then_read',
      description: 'Creates a task, then reads a contact.',
      input: z.object({ title: z.string() }),
      access: 'write',
      tags: ['tasks'],
      async execute(ctx, input) {
        await createTask(ctx.client, writeScope(ctx), { title: input.title });
        return getContact(ctx.client, scopeOf(ctx), '00000000-0000-4000-8000-00000000dead');
      },
    });
    const handler = testHandler([taskThenRead], { limits: { writesPerTool: { create_task_then_read: 2 } } });
    const input = { title: 'Applied before the read' };
    const run = await runScripted(deps(), handler, testEvent(site), [
      { calls: [{ tool: 'create_task_then_read', input }] },
      { calls: [{ tool: 'create_task_then_read', input }] },
      { text: 'done' },
    ]);
    expect(h.emulator.writeLog.applied((w) => w.path === TASKS)).toHaveLength(1);
    const calls = (await s.audit.getRun(run.runId))!.calls;
    expect(calls.map((c) => c.status)).toEqual(['unknown', 'deduplicated']);
    expect(calls[0]!.error).toMatch(/Wix applied POST \/crm\/tasks\/v2\/tasks .*then the call failed/);
  });
});

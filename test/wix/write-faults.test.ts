import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_INSTANCES, SEED_IDS } from '../../src/sandbox/wix-emulator.js';
import { WixOutcomeUnknownError } from '../../src/wix/errors.js';
import { createTaskTool, runTool } from '../../src/wix/tools/index.js';
import { waitFor } from '../support/wait.js';
import { startHarness, type Harness } from './support.js';

const coffee = EMULATOR_INSTANCES.coffee;
const TASKS = '/crm/tasks/v2/tasks';
let h: Harness;
beforeAll(async () => {
  // Real Wix answers a slow write after 25 s; here the client gives up after 1 s (a loaded CI machine can take
  // a few hundred ms for a normal answer) and the answer comes at 2.5 s.
  h = await startHarness({ client: { timeoutMs: 1000 } });
});
beforeEach(() => h.emulator.reset());
afterAll(async () => {
  await h.close();
});

const task = { title: 'Call back about the delayed grinder' };
const tasksApplied = () => h.emulator.writeLog.applied((w) => w.path === TASKS);

describe('a write Wix applied but whose answer the client did not get', () => {
  it.each([
    ['answered after the client timed out', { lateAnswers: 5, lateAnswerMs: 2500 }],
    ['answered 5xx', { serverErrorsAfterApply: 5 }],
    ['the connection reset', { resetsAfterApply: 5 }],
  ])('%s: sent once, outcome unknown, never re-sent', async (_label, fault) => {
    h.emulator.setFault({ path: TASKS, ...fault });
    const error = await runTool(createTaskTool, h.ctx(coffee), task).catch((e: unknown) => e);
    expect(tasksApplied()).toHaveLength(1);
    expect(h.emulator.writeLog.entries.filter((w) => w.path === TASKS)).toHaveLength(1);
    expect(error).toBeInstanceOf(WixOutcomeUnknownError);
    expect(error).toMatchObject({ code: 'WRITE_OUTCOME_UNKNOWN', retryable: false });
  });

  it('a held answer keeps the write in flight, applied, until the test releases it', async () => {
    h.emulator.setFault({ path: TASKS, holdAnswers: 1 });
    const answered = runTool(createTaskTool, h.ctx(coffee), task);
    let settled = false;
    void answered.finally(() => (settled = true)).catch(() => {});
    await waitFor(() => tasksApplied()[0]?.answer === 'held');
    expect(settled).toBe(false);
    expect(h.emulator.releaseHeld()).toBe(1);
    await expect(answered).resolves.toMatchObject({ title: task.title });
    expect(h.emulator.releaseHeld()).toBe(0);
    expect(tasksApplied()).toHaveLength(1);
  });

  it('a write refused before it reached a route (429, refused connection) is sent again', async () => {
    h.emulator.setFault({ path: TASKS, rateLimitStormMs: 100 });
    await expect(runTool(createTaskTool, h.ctx(coffee), task)).resolves.toMatchObject({ title: task.title });
    expect(tasksApplied()).toHaveLength(1);
  });

  it('a read is still retried after a 5xx or a reset connection', async () => {
    const path = `/contacts/v4/contacts/${SEED_IDS.coffee.contacts.priya}`;
    h.emulator.setFault({ path, serverErrors: 1 });
    h.emulator.setFault({ path, dropConnections: 1 });
    const read = await h.client.request({ method: 'GET', path, instanceId: coffee });
    expect(read).toMatchObject({ status: 200, attempts: 3 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAudit } from '../../src/calls/audit.js';
import type { WixRequest, WixRequester, WixResponse } from '../../src/wix/client.js';
import { createJournal, newWriteOwner } from '../../src/calls/journal.js';
import { writeKey } from '../../src/calls/run-call.js';
import type { Queryable } from '../../src/store/port.js';
import { createTaskTool, labelContactTool } from '../../src/wix/tools/index.js';
import { defineTool } from '../../src/wix/tools/tool.js';
import pino from 'pino';
import { runAgent } from '../../src/agents/loop.js';
import {
  agentStore,
  bind,
  runScripted,
  scriptedModel,
  testEvent,
  testHandler,
} from '../support/agent-run.js';
import { describeIfServer } from '../support/servers.js';
import { postgresFactory } from '../support/stores.js';
import { waitFor } from '../support/wait.js';

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

/** A read tool without HTTP: answers `note <n>`. */
const readNote = defineTool({
  name: 'read_note',
  description: 'Reads a note.',
  input: z.object({ n: z.number() }),
  access: 'read',
  tags: [],
  execute: async (_ctx, input) => ({ note: `note ${input.n}` }),
});

const postgres = await postgresFactory();
for (const engine of ['sqlite', 'postgres'] as const) {
  const suite =
    engine === 'sqlite' ? describe : describeIfServer(postgres.available, 'PostgreSQL at 127.0.0.1:5432');
  suite(`an agent run decides, then runs and journals (mock model, no HTTP) on ${engine}`, () => {
    let s: Awaited<ReturnType<typeof agentStore>>;
    beforeAll(async () => {
      s = await agentStore(engine);
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

    it('records a run’s reads with its end, in call order with its writes; a write’s row before it is sent', async () => {
      const statements: string[] = [];
      const db: Queryable = {
        dialect: s.store.dialect,
        query: (sql, params) => (statements.push(sql), s.store.query(sql, params)),
        exec: (sql) => s.store.exec(sql),
      };
      const event = testEvent('site-1');
      // What the journal holds for this event when the write's request leaves.
      let journalled: string[] | undefined;
      const client = {
        async request<T>(r: WixRequest): Promise<WixResponse<T>> {
          const rows = await s.store.query<{ status: string }>(
            'SELECT status FROM tool_calls WHERE event_id = $1 ORDER BY seq',
            [event.id],
          );
          journalled = rows.rows.map((x) => x.status);
          return fakeWix().client.request<T>(r);
        },
      };
      const run = await runScripted(
        { audit: createAudit(db), journal: createJournal(db, newWriteOwner(30_000)), client },
        testHandler([readNote, createTaskTool]),
        event,
        [
          {
            calls: [
              { tool: 'read_note', input: { n: 1 } },
              { tool: 'read_note', input: { n: 2 } },
            ],
          },
          { calls: [{ tool: 'create_task', input: { title: 'After reading' } }] },
          { calls: [{ tool: 'read_note', input: { n: 3 } }] },
          { text: 'done' },
        ],
      );
      expect(run).toMatchObject({ status: 'succeeded', counts: { writesExecuted: 1 } });
      // The write was journalled `started` before it left; the reads were not written yet.
      expect(journalled).toEqual(['started']);
      // One row written per write; the reads' rows went with the run's end: in its statement on Postgres,
      // on SQLite (no data-modifying WITH) in one statement just before it.
      const inserts = statements.filter((q) => /^\s*INSERT INTO tool_calls/.test(q));
      if (engine === 'postgres') {
        expect(inserts).toHaveLength(1);
        expect(
          statements.filter((q) => /INSERT INTO tool_calls[\s\S]*UPDATE agent_runs/.test(q)),
        ).toHaveLength(1);
      } else {
        expect(inserts).toHaveLength(2);
        const end = statements.findIndex((q) => /^\s*UPDATE agent_runs/.test(q));
        expect(statements[end - 1]).toMatch(/INSERT INTO tool_calls[\s\S]*json_each/);
      }
      const audit = await s.audit.getRun(run.runId);
      expect(audit?.status).toBe('succeeded');
      expect(audit?.calls.map((c) => [c.seq, c.tool, c.access, c.status])).toEqual([
        [1, 'read_note', 'read', 'executed'],
        [2, 'read_note', 'read', 'executed'],
        [3, 'create_task', 'write', 'executed'],
        [4, 'read_note', 'read', 'executed'],
      ]);
      const reads = audit!.calls.filter((c) => c.access === 'read');
      expect(reads.map((c) => [c.arguments, c.result, c.idempotencyKey])).toEqual([
        [{ n: 1 }, { note: 'note 1' }, null],
        [{ n: 2 }, { note: 'note 2' }, null],
        [{ n: 3 }, { note: 'note 3' }, null],
      ]);
      // Each read is stamped when it happened: the last read after the write.
      const write = audit!.calls.find((c) => c.access === 'write')!;
      expect(Date.parse(reads[2]!.createdAt)).toBeGreaterThanOrEqual(Date.parse(write.createdAt));
      expect(Date.parse(reads[0]!.createdAt)).toBeLessThanOrEqual(Date.parse(write.createdAt));
    });

    it('as the consumer runs it, syncs only what leaves the process: a write’s journal row before it is sent', async () => {
      const statements: { sql: string; asyncCommit: boolean }[] = [];
      const db: Queryable = {
        dialect: s.store.dialect,
        query: (sql, params, options) => (
          statements.push({ sql, asyncCommit: options?.asyncCommit === true }),
          s.store.query(sql, params, options)
        ),
        exec: (sql) => s.store.exec(sql),
      };
      const run = await runScripted(
        {
          audit: createAudit(db),
          journal: createJournal(db, newWriteOwner(30_000)),
          client: fakeWix().client,
          runRecords: { asyncCommit: true },
        },
        testHandler([readNote, createTaskTool]),
        testEvent('site-1'),
        [
          { calls: [{ tool: 'read_note', input: { n: 1 } }] },
          { calls: [{ tool: 'create_task', input: { title: 'Synced first' } }] },
          { text: 'done' },
        ],
      );
      expect(run).toMatchObject({ status: 'succeeded', counts: { writesExecuted: 1 } });
      const writes = statements.filter((x) => !/^\s*SELECT/.test(x.sql));
      const kind = (x: { sql: string }) =>
        /INSERT INTO agent_runs/.test(x.sql)
          ? 'run start'
          : /UPDATE agent_runs/.test(x.sql)
            ? 'run end'
            : /UPDATE tool_calls SET status = \$3/.test(x.sql)
              ? 'write outcome'
              : /INSERT INTO tool_calls[\s\S]*'started'/.test(x.sql)
                ? 'write journalled'
                : /INSERT INTO tool_calls/.test(x.sql)
                  ? 'reads'
                  : x.sql;
      const expected: [string, boolean][] = [
        ['run start', true],
        ['write journalled', false],
        ['write outcome', true],
      ];
      // SQLite writes the reads in their own statement, just before the run's end (see the test above).
      if (engine === 'sqlite') expected.push(['reads', true]);
      expected.push(['run end', true]);
      expect(writes.map((x) => [kind(x), x.asyncCommit])).toEqual(expected);
    });

    it('records the reads of a run that fails, with its failed end', async () => {
      const event = testEvent('site-1');
      const model = scriptedModel([{ calls: [{ tool: 'read_note', input: { n: 1 } }] }]);
      const answer = model.doGenerate.bind(model);
      let calls = 0;
      model.doGenerate = async (options) => {
        if (++calls > 1) throw new Error('the model went away');
        return answer(options);
      };
      const run = runAgent(
        { model, modelName: 'mock', audit: s.audit, journal: s.journal, client: fakeWix().client },
        bind(testHandler([readNote]), {}),
        event,
        {
          attempt: 1,
          signal: new AbortController().signal,
          heartbeat: async () => {},
          logger: pino({ level: 'silent' }),
        },
      );
      await expect(run).rejects.toThrow(/the model went away/);
      const [failed] = await s.audit.listRuns({ eventId: event.id });
      expect(failed?.status).toBe('failed');
      const audit = await s.audit.getRun(failed!.id);
      expect(audit?.calls.map((c) => [c.seq, c.tool, c.status, c.result])).toEqual([
        [1, 'read_note', 'executed', { note: 'note 1' }],
      ]);
    });
  });
}

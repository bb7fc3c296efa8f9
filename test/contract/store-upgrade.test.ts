import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAudit } from '../../src/calls/audit.js';
import { createJournal, newWriteOwner } from '../../src/calls/journal.js';
import { createEmbeddedBus } from '../../src/bus/embedded.js';
import { acceptedEventsIn } from '../../src/bus/kafka-accepted-events.js';
import { createArrivalsLog } from '../../src/console/arrivals.js';
import { createProcessedLedger } from '../../src/consumers/processed.js';
import { eventTypes } from '../../src/domain/events.js';
import { topicsFor } from '../../src/domain/topics.js';
import { createTokenStore } from '../../src/mcp/tokens.js';
import { openEmbeddedStore } from '../../src/store/embedded.js';
import { migrate } from '../../src/store/migrate.js';
import { openPgliteStore } from '../../src/store/pglite.js';
import type { Store } from '../../src/store/port.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { storeTables, upgradePgliteDataDir } from '../../src/store/upgrade.js';
import { wixTools } from '../../src/wix/tools/index.js';
import { runCli } from '../support/cli.js';
import { makeEvent } from '../support/events.js';

/** Every row of every table, in key order, with times as ISO text (what both engines hold to the ms). */
async function dump(store: Store): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, key] of storeTables) {
    const { rows } = await store.query<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY ${key}`);
    out[table] = rows.map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [
          k,
          v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? Number(v) : v,
        ]),
      ),
    );
  }
  return out;
}

/** A PGlite DATA_DIR as an earlier version leaves it: a row in every table, written by the service's own code. */
async function earlierDataDir(dir: string): Promise<void> {
  const store = await openPgliteStore(dir);
  try {
    await migrate(store);
    const topics = topicsFor('up.', eventTypes);
    const bus = createEmbeddedBus({ store, topics });
    const events = [
      makeEvent(),
      makeEvent(),
      makeEvent({ entity: { id: 'o-3', note: 'Grüße 🎁 "quoted"' } }),
    ];
    for (const e of events) expect(await bus.publish(e)).toBe('published');
    await bus.deadLetter({
      reason: 'max_attempts',
      error: 'boom',
      attempts: 5,
      eventId: events[0]!.id,
      type: events[0]!.type,
      instanceId: events[0]!.instanceId,
      payload: events[0],
      headers: { topic: 'up.order_created' },
    });
    await bus.close();
    const accepted = acceptedEventsIn(store);
    await accepted.add('accepted-1');
    await createProcessedLedger(store).markDone(events[1]!.id, 'order-triage');
    const audit = createAudit(store);
    const runId = await audit.startRun({
      eventId: events[0]!.id,
      eventType: 'order_created',
      instanceId: events[0]!.instanceId,
      handler: 'order-triage',
      model: 'scripted',
      mode: 'approval',
      attempt: 1,
    });
    const journal = createJournal(store, newWriteOwner());
    const call = {
      runId,
      seq: 1,
      eventId: events[0]!.id,
      handler: 'order-triage',
      instanceId: events[0]!.instanceId,
      tool: 'add_order_note',
      access: 'write' as const,
      arguments: { orderId: 'o-1', note: 'a note' },
      idempotencyKey: 'key-1',
    };
    expect(await journal.start(call)).toBeTruthy();
    await audit.finishRun(
      runId,
      {
        status: 'succeeded',
        steps: 2,
        inputTokens: 10,
        outputTokens: 5,
        toolCalls: 2,
        durationMs: 12,
        error: null,
        summary: 'done',
        counts: {
          writesExecuted: 0,
          writesSimulated: 0,
          writesParked: 1,
          writesUnknown: 0,
          writesRefused: 0,
          writesFailed: 0,
        },
      },
      [
        {
          ...call,
          seq: 2,
          tool: 'get_order',
          access: 'read',
          arguments: { orderId: 'o-1' },
          result: { order: { id: 'o-1', lines: [1, 2] } },
          status: 'executed',
          idempotencyKey: null,
          createdAt: new Date().toISOString(),
        },
      ],
    );
    await createTokenStore(store, { catalog: wixTools }).create({
      name: 'claude',
      methods: ['read'],
      tags: ['orders'],
      sites: ['site-1'],
    });
    await createArrivalsLog(store).record([
      { outcome: 'published', eventId: events[2]!.id, type: 'order_created', event: events[2] },
    ]);
  } finally {
    await store.close();
  }
}

describe('upgrading a PGlite DATA_DIR to SQLite', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wea-upgrade-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('copies every row of every table as it was, and DATA_DIR opens SQLite after', async () => {
    await earlierDataDir(dir);
    const before = await openPgliteStore(dir);
    const rowsBefore = await dump(before).finally(() => before.close());
    for (const [table] of storeTables) expect(rowsBefore[table], table).not.toHaveLength(0);

    const lines: string[] = [];
    const copied = await upgradePgliteDataDir(dir, (l) => lines.push(l));
    expect(Object.keys(copied)).toEqual(storeTables.map(([t]) => t));
    expect(lines).toHaveLength(storeTables.length);

    const after = await openEmbeddedStore(dir);
    try {
      expect(after.kind).toBe('sqlite');
      expect(await migrate(after)).toEqual([]);
      expect(await dump(after)).toEqual(rowsBefore);
      // The copied queue goes on as the service's: a copy is a duplicate, a new event gets a later seq.
      const bus = createEmbeddedBus({ store: after, topics: topicsFor('up.', eventTypes) });
      const seqs = rowsBefore.bus_events!.map((r) => Number((r as { seq: number }).seq));
      const again = (rowsBefore.bus_events![0] as { payload: ReturnType<typeof makeEvent> }).payload;
      expect(await bus.publish(again)).toBe('duplicate');
      expect(await bus.publish(makeEvent())).toBe('published');
      const { rows } = await after.query<{ seq: number }>('SELECT max(seq) AS seq FROM bus_events');
      expect(Number(rows[0]!.seq)).toBeGreaterThan(Math.max(...seqs));
      await bus.close();
    } finally {
      await after.close();
    }
    expect(existsSync(join(dir, 'sqlite-upgrade'))).toBe(false);
    // Nothing deleted: the PGlite files are still there for the user to remove.
    expect(existsSync(join(dir, 'PG_VERSION'))).toBe(true);
  }, 120_000);

  it('the CLI refuses a directory with nothing to upgrade in one line naming DATA_DIR', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'wea-upgrade-none-'));
    try {
      const sqlite = await openSqliteStore(empty);
      await sqlite.close();
      const r = await runCli(['store', 'upgrade'], { env: { DATA_DIR: empty } });
      expect(r.status).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^DATA_DIR: .* holds no PGlite database to upgrade/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  }, 60_000);
});

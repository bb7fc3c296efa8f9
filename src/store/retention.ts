import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { describeError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { inArray, nowPlusMsSql, sqlFor, type Store } from './port.js';

/**
 * Retention: what is deleted, and when. Without it every table grows forever.
 *
 * | rows | kept for | why |
 * |---|---|---|
 * | `accepted_events`, `processed_events` (dedupe by Wix event id) | `dedupeMs` (default 7 d) | well past Wix's redelivery window (12 retries over ~47 h); a redelivery after it would be handled again |
 * | `bus_events` with status done or dead (the embedded queue) | `queueMs` (default 7 d) after finishing | a redelivery of a deleted event is still a no-op through `processed_events` |
 * | `bus_events` pending and never taken by any worker (attempts 0) | `queueMs` after publishing | an event of a type no worker subscribes to (e.g. order_created while order-triage runs on order_approved) would otherwise wait forever; like a Kafka topic's `retention.ms`, which deletes unconsumed records too. Logged as a warning with the count. A row a worker has taken (in progress or waiting to retry) is never touched |
 * | `dead_letters` re-driven | `queueMs` after the re-drive | the event is back in the queue |
 * | `dead_letters` not re-driven | `deadLettersMs` (default 30 d) | time for a person to look and re-drive |
 * | `webhook_arrivals` (the console's log of deliveries, also capped at its last 5,000 rows) | `queueMs` after arrival | what arrived is kept as long as the queue rows it became |
 * | `agent_runs` + their `tool_calls` | `auditMs` (default 90 d) after the run started | only finished runs whose every call is final; a run with a call started, pending or approved is kept |
 *
 * Deletes run every `intervalMs` off the request path, `batchSize` rows per statement, yielding between
 * statements, so a backlog never holds a long lock or an embedded store's single connection for long.
 * SQLite reuses freed pages itself; a pass ends with a checkpoint that truncates its WAL file.
 */
export interface RetentionPolicy {
  dedupeMs: number;
  queueMs: number;
  auditMs: number;
  deadLettersMs: number;
  /** Rows per DELETE statement. */
  batchSize: number;
}

/** Tool call statuses after which nothing more happens to the call (see 002_agents.sql). */
const finalCallStatuses = ['executed', 'simulated', 'rejected', 'failed', 'refused', 'deduplicated'];

interface Rule {
  table: string;
  /** The key in a pass's result, when one table has several rules (default `table`). */
  label?: string;
  /** One bounded delete: `$1` = cutoff age in ms, `$2` = batch size. Returns the rows deleted. */
  run(store: Store, ageMs: number, batch: number): Promise<number>;
  age(policy: RetentionPolicy): number;
}

/** `sql(cutoff)`: the statement, given the SQL of the cutoff time in the store's dialect. */
const simple = (
  table: string,
  sql: (cutoff: string) => string,
  age: (p: RetentionPolicy) => number,
  label?: string,
): Rule => ({
  table,
  ...(label ? { label } : {}),
  age,
  run: async (store, ageMs, batch) => (await store.query(sql(cutoff(store)), [ageMs, batch])).rowCount,
});

/** The time `$1` milliseconds ago. */
const cutoff = (store: Store) => nowPlusMsSql(store, '$1', -1);

/** The result key of queue rows deleted without any worker ever taking them. */
export const UNCONSUMED = 'bus_events_unconsumed';

const rules: Rule[] = [
  simple(
    'accepted_events',
    (cutoff) =>
      `DELETE FROM accepted_events WHERE event_id IN (
       SELECT event_id FROM accepted_events WHERE accepted_at < ${cutoff} LIMIT $2)`,
    (p) => p.dedupeMs,
  ),
  simple(
    'processed_events',
    (cutoff) =>
      `DELETE FROM processed_events WHERE (event_id, handler) IN (
       SELECT event_id, handler FROM processed_events WHERE processed_at < ${cutoff} LIMIT $2)`,
    (p) => p.dedupeMs,
  ),
  simple(
    'bus_events',
    (cutoff) =>
      `DELETE FROM bus_events WHERE seq IN (
       SELECT seq FROM bus_events WHERE status <> 'pending' AND finished_at < ${cutoff} LIMIT $2)`,
    (p) => p.queueMs,
  ),
  simple(
    'bus_events',
    (cutoff) =>
      `DELETE FROM bus_events WHERE seq IN (
       SELECT seq FROM bus_events WHERE status = 'pending' AND attempts = 0 AND locked_by IS NULL
          AND created_at < ${cutoff} LIMIT $2)`,
    (p) => p.queueMs,
    UNCONSUMED,
  ),
  simple(
    'dead_letters',
    (cutoff) =>
      `DELETE FROM dead_letters WHERE id IN (
       SELECT id FROM dead_letters WHERE redriven_at < ${cutoff} LIMIT $2)`,
    (p) => p.queueMs,
  ),
  simple(
    'dead_letters',
    (cutoff) =>
      `DELETE FROM dead_letters WHERE id IN (
       SELECT id FROM dead_letters WHERE redriven_at IS NULL AND dead_at < ${cutoff} LIMIT $2)`,
    (p) => p.deadLettersMs,
  ),
  simple(
    'webhook_arrivals',
    (cutoff) =>
      `DELETE FROM webhook_arrivals WHERE id IN (
       SELECT id FROM webhook_arrivals WHERE received_at < ${cutoff} LIMIT $2)`,
    (p) => p.queueMs,
  ),
  {
    table: 'agent_runs',
    age: (p) => p.auditMs,
    run: (store, ageMs, batch) =>
      store.transaction(async (tx) => {
        const { rows } = await tx.query<{ id: string }>(
          `SELECT r.id FROM agent_runs r
            WHERE r.status <> 'running' AND r.started_at < ${cutoff(store)}
              AND NOT EXISTS (SELECT 1 FROM tool_calls c
                               WHERE c.run_id = r.id AND NOT (${inArray(tx, 'c.status', '$3')}))
            LIMIT $2`,
          [ageMs, batch, finalCallStatuses],
        );
        if (rows.length === 0) return 0;
        const ids = rows.map((r) => r.id);
        await tx.query(`DELETE FROM tool_calls WHERE ${inArray(tx, 'run_id', '$1')}`, [ids]);
        return (await tx.query(`DELETE FROM agent_runs WHERE ${inArray(tx, 'id', '$1')}`, [ids])).rowCount;
      }),
  },
];

/** Tables whose row counts are reported in `wix_store_rows`. */
export const retainedTables = [
  'bus_events',
  'accepted_events',
  'processed_events',
  'dead_letters',
  'agent_runs',
  'tool_calls',
  'webhook_arrivals',
] as const;

/** Retention metrics on `registry` (created once per registry). */
export function retentionMetrics(registry: Registry) {
  const get = <T>(name: string, make: () => T): T => (registry.getSingleMetric(name) as T) ?? make();
  return {
    deleted: get(
      'wix_retention_deleted_total',
      () =>
        new Counter({
          name: 'wix_retention_deleted_total',
          help: 'Rows deleted by retention, by table',
          labelNames: ['table'],
          registers: [registry],
        }),
    ),
    runDuration: get(
      'wix_retention_run_duration_seconds',
      () =>
        new Histogram({
          name: 'wix_retention_run_duration_seconds',
          help: 'Duration of one retention pass over every table',
          buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60],
          registers: [registry],
        }),
    ),
    bytes: get(
      'wix_store_bytes',
      () =>
        new Gauge({
          name: 'wix_store_bytes',
          help: 'Bytes per table with its indexes (Postgres: and TOAST, pg_total_relation_size; SQLite: dbstat pages), measured after each retention pass',
          labelNames: ['table'],
          registers: [registry],
        }),
    ),
    rows: get(
      'wix_store_rows',
      () =>
        new Gauge({
          name: 'wix_store_rows',
          help: 'Rows per table, counted after each retention pass',
          labelNames: ['table'],
          registers: [registry],
        }),
    ),
  };
}
export type RetentionMetrics = ReturnType<typeof retentionMetrics>;

const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One pass: every rule deletes in batches until a batch comes back short (or `maxBatches` per rule).
 * Returns rows deleted per table. Errors propagate (the scheduler logs them).
 */
export async function pruneOnce(
  store: Store,
  policy: RetentionPolicy,
  options: { metrics?: RetentionMetrics; maxBatches?: number } = {},
): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  const started = process.hrtime.bigint();
  for (const rule of rules) {
    for (let i = 0; i < (options.maxBatches ?? 1000); i++) {
      const n = await rule.run(store, rule.age(policy), policy.batchSize);
      const key = rule.label ?? rule.table;
      deleted[key] = (deleted[key] ?? 0) + n;
      if (n > 0) options.metrics?.deleted.inc({ table: rule.table }, n);
      await yieldToOthers();
      if (n < policy.batchSize) break;
    }
  }
  if (store.kind === 'sqlite') {
    // SQLite reuses the pages of deleted rows itself; its WAL file keeps the size of the largest burst
    // between checkpoints unless truncated: a pass ends with a checkpoint that truncates it.
    await store.query('PRAGMA wal_checkpoint(TRUNCATE)');
  }
  if (options.metrics) {
    options.metrics.runDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
    for (const table of retainedTables) {
      const { rows } = await store.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
      options.metrics.rows.set({ table }, Number(rows[0]?.n ?? 0));
    }
    for (const table of retainedTables) {
      const { rows } = await store.query<{ bytes: string | number | null }>(
        sqlFor(store, {
          postgres: `SELECT pg_total_relation_size($1::regclass)::bigint AS bytes`,
          // The table's pages and its indexes' (SQLite's dbstat table).
          sqlite: `SELECT sum(pgsize) AS bytes FROM dbstat
                    WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name = $1)`,
        }),
        [table],
      );
      options.metrics.bytes.set({ table }, Number(rows[0]?.bytes ?? 0));
    }
  }
  return deleted;
}

/**
 * Runs `pruneOnce` every `intervalMs` (0 = never), the first pass one interval after start (never at
 * start-up, when the service has better things to do). A failed pass is logged as a described error
 * and retried at the next interval.
 */
export function startRetention(deps: {
  store: Store;
  policy: RetentionPolicy;
  intervalMs: number;
  logger: Logger;
  registry?: Registry;
}): { runNow(): Promise<Record<string, number>>; stop(): Promise<void> } {
  const metrics = deps.registry ? retentionMetrics(deps.registry) : undefined;
  const log = deps.logger.child({ component: 'retention' });
  let running: Promise<Record<string, number>> | undefined;
  const runNow = () => {
    running ??= pruneOnce(deps.store, deps.policy, metrics ? { metrics } : {}).finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer =
    deps.intervalMs > 0
      ? setInterval(() => {
          runNow().then(
            (deleted) => {
              if (Object.values(deleted).some((n) => n > 0)) log.info({ deleted }, 'retention pass');
              if (deleted[UNCONSUMED]) {
                log.warn(
                  { deleted: deleted[UNCONSUMED] },
                  'retention deleted queued events no worker took within RETENTION_QUEUE: no handler subscribes to their type, or no worker ran',
                );
              }
            },
            (error: unknown) => log.warn({ error: describeError(error) }, 'retention pass failed'),
          );
        }, deps.intervalMs)
      : undefined;
  timer?.unref();
  return {
    runNow,
    async stop() {
      if (timer) clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}

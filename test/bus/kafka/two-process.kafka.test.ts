import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withTimeout } from '../../../src/lib/with-timeout.js';
import { makeEvent } from '../../support/events.js';
import { describeKafka, startMockBroker, type MockBroker } from '../../support/kafka-broker.js';
import { POSTGRES_URL, reachable } from '../../support/servers.js';
import { waitFor } from '../../support/wait.js';
import { openTestBus, testSettings, type TestBus } from './helpers.js';

const workerScript = fileURLToPath(new URL('./worker-process.ts', import.meta.url));
const pgUrl = new URL(POSTGRES_URL);
const postgresUp = await reachable(pgUrl.hostname, Number(pgUrl.port || 5432));
const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;

interface Worker {
  name: string;
  child: ChildProcess;
  /** Resolves at the worker's first group join. */
  ready: Promise<void>;
  /** Every group join the worker announced: when, and the partitions it was given. */
  joins: { at: number; partitions: number[] }[];
}

function startWorker(name: string, env: Record<string, string>): Worker {
  // --pdeathsig: a crashed test run leaves no worker behind.
  const node = [process.execPath, '--import', 'tsx', workerScript];
  const [command, ...args] = hasSetpriv ? ['setpriv', '--pdeathsig', 'SIGKILL', '--', ...node] : node;
  const child = spawn(command!, args, {
    env: { ...process.env, ...env, WORKER_NAME: name },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  // With WORKER_LOG_LEVEL=info the workers' logs (joins, assignments) land in <tmp>/two-process-<name>.log.
  const logFile = process.env.WORKER_LOG_LEVEL
    ? createWriteStream(join(tmpdir(), `two-process-${name}.log`))
    : undefined;
  child.stderr?.on('data', (chunk: Buffer) => {
    logFile?.write(chunk);
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const joins: Worker['joins'] = [];
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let said: { joined?: number[] };
      try {
        said = JSON.parse(line) as typeof said;
      } catch {
        return; // not one of the worker's state lines
      }
      if (!said.joined) return;
      joins.push({ at: Date.now(), partitions: said.joined });
      resolve();
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`worker ${name} exited (${code ?? signal}): ${stderr}`)),
    );
  });
  return { name, child, ready, joins };
}

describeKafka('Kafka bus: two worker processes in one group', () => {
  let broker: MockBroker;
  let db: pg.Client;
  let schema: string;
  let publisher: TestBus | undefined;
  const workers: Worker[] = [];

  beforeAll(async () => {
    broker = await startMockBroker();
    if (!postgresUp) return;
    schema = `kafka_${randomBytes(5).toString('hex')}`;
    db = new pg.Client({ connectionString: POSTGRES_URL });
    await db.connect();
    await db.query(`CREATE SCHEMA ${schema}`);
    await db.query(`CREATE TABLE ${schema}.completions (
        event_id text PRIMARY KEY, site text NOT NULL, seq integer NOT NULL, worker text NOT NULL,
        done_seq bigserial, done_at timestamptz NOT NULL DEFAULT clock_timestamp())`);
    await db.query(`CREATE TABLE ${schema}.deliveries (
        event_id text NOT NULL, worker text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`);
  });

  afterAll(async () => {
    for (const w of workers)
      if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await publisher?.bus.close();
    if (db) {
      await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await db.end();
    }
    await broker?.stop();
  });

  // Skipped without Postgres on a developer's machine; in CI (CI=true) a missing Postgres fails it.
  it.skipIf(!postgresUp && process.env.CI !== 'true')(
    '1,000 events over 20 sites: all handled once, in order per site; the survivor takes over after a SIGKILL',
    async () => {
      if (!postgresUp)
        throw new Error(`PostgreSQL at ${pgUrl.host} is not reachable, and CI=true requires it`);
      const settings = testSettings(broker.bootstrap);
      const scoped = new URL(POSTGRES_URL);
      scoped.searchParams.set('options', `-c search_path=${schema}`);
      const env = {
        KAFKA_BROKERS: broker.bootstrap,
        TOPIC_PREFIX: settings.topicPrefix,
        GROUP_ID: settings.groupId,
        DATABASE_URL: scoped.toString(),
        HANDLE_MS: '20',
      };
      // Each phase has its own deadline and says its name, so a slow run tells where it was.
      const started = Date.now();
      const phase = (name: string) => console.info(`two-process: ${name} at ${Date.now() - started} ms`);
      workers.push(startWorker('a', env), startWorker('b', env));
      await withTimeout(
        Promise.all(workers.map((w) => w.ready)),
        30_000,
        'both workers joined the group: not done after 30000 ms',
      );
      const [a, b] = workers as [Worker, Worker];
      // Publish into a settled group: the two latest assignments split the partitions between them.
      await waitFor(
        () => {
          const mine = a.joins.at(-1)?.partitions ?? [];
          const theirs = b.joins.at(-1)?.partitions ?? [];
          return (
            mine.length > 0 && theirs.length > 0 && new Set([...mine, ...theirs]).size === settings.partitions
          );
        },
        { timeoutMs: 30_000, message: 'the group settled with both workers' },
      );
      phase('workers ready');
      const publishedFrom = Date.now();

      publisher = await openTestBus(broker.bootstrap, { settings: { topicPrefix: settings.topicPrefix } });
      const sites = Array.from({ length: 20 }, (_, i) => `site-${i}-${randomBytes(3).toString('hex')}`);
      const perSite = 50;
      const bus = publisher.bus;
      await withTimeout(
        Promise.all(
          sites.map(async (site) => {
            for (let seq = 0; seq < perSite; seq++)
              await bus.publish(makeEvent({ instanceId: site, entityId: String(seq) }));
          }),
        ),
        30_000,
        'publishing 1,000 events: not done after 30000 ms',
      );
      phase('published');

      const count = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0]?.n);
      // Sites whose latest completion is a's and that still have events to go: a's work in progress.
      const aPending = async () =>
        (
          await db.query<{ site: string }>(
            `SELECT site FROM (
               SELECT site, count(*) AS done, (array_agg(worker ORDER BY done_seq DESC))[1] AS last
                 FROM ${schema}.completions GROUP BY site) s
              WHERE last = 'a' AND done < ${perSite}`,
          )
        ).rows.map((r) => r.site);
      // Kill a mid-stream: both members have worked, and a still owns unfinished sites.
      await waitFor(
        async () =>
          (await count(`SELECT count(DISTINCT worker) AS n FROM ${schema}.completions`)) === 2 &&
          (await count(`SELECT count(*) AS n FROM ${schema}.completions WHERE worker = 'a'`)) >= 50 &&
          (await aPending()).length > 0,
        { timeoutMs: 45_000, message: 'both workers handled events and a still owns unfinished sites' },
      );
      a.child.kill('SIGKILL');
      phase('killed a');
      const killedAt = new Date();
      const aSites = await aPending();

      await waitFor(async () => (await count(`SELECT count(*) AS n FROM ${schema}.completions`)) === 1000, {
        timeoutMs: 60_000,
        intervalMs: 200,
        message: 'all 1,000 events completed after the kill',
      });
      phase('all completed');

      // Every event once, each site in publish order.
      const rows = (
        await db.query<{ site: string; seq: number; worker: string; done_at: Date }>(
          `SELECT site, seq, worker, done_at FROM ${schema}.completions ORDER BY done_seq`,
        )
      ).rows;
      expect(rows).toHaveLength(1000);
      for (const site of sites) {
        expect(rows.filter((r) => r.site === site).map((r) => r.seq)).toEqual(
          Array.from({ length: perSite }, (_, i) => i),
        );
      }

      // The survivor took over the dead member's sites within session timeout + the mock's rebalance delay.
      const takeover = rows.find((r) => r.worker === 'b' && aSites.includes(r.site) && r.done_at > killedAt);
      expect(takeover).toBeDefined();
      const takeoverMs = takeover!.done_at.getTime() - killedAt.getTime();
      // 11.6 s measured in the broker doc; the slack covers a loaded 2-core machine.
      expect(takeoverMs).toBeLessThan(settings.sessionTimeoutMs + (settings.sessionTimeoutMs - 1000) + 6000);

      const redelivered = await count(
        `SELECT count(*) AS n FROM (SELECT event_id FROM ${schema}.deliveries GROUP BY event_id HAVING count(*) > 1) d`,
      );
      // Offsets are committed per record: only in-flight records are redelivered, at most one per partition
      // and rebalance (the killed member's, and the survivor's whose commits fail while the group
      // rebalances). b takes part in every rebalance: one after the kill, more if the mock added some.
      const rebalances = b.joins.filter((j) => j.at > publishedFrom).length;
      console.info(
        `two-process: takeover after ${takeoverMs} ms, ${redelivered} event(s) redelivered and absorbed by dedupe, ${rebalances} rebalance(s) after publishing`,
      );
      expect(rebalances).toBeGreaterThanOrEqual(1);
      expect(redelivered).toBeLessThanOrEqual(settings.partitions * rebalances);
      if (process.env.DEBUG_TWO_PROCESS) {
        const d = await db.query(
          `SELECT event_id, string_agg(worker || '@' || round(extract(epoch from at - $1::timestamptz) * 1000), ' ' ORDER BY at) AS w
             FROM ${schema}.deliveries GROUP BY event_id HAVING count(*) > 1`,
          [killedAt],
        );
        console.info(d.rows);
      }

      b.child.kill('SIGTERM');
      await new Promise((r) => b.child.once('exit', r));
    },
    // Above the sum of the phase deadlines (30 + 30 + 30 + 45 + 60 s), so a slow phase fails with its own name.
    // A healthy run takes 25-40 s.
    210_000,
  );
});

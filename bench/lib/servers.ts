/**
 * The servers the ingress and memory benchmarks compare, each started in its own process (pinned), plus
 * the Kafka side: the mock broker, a record counter and the correctness probe.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import pg from 'pg';
import type { Fixture } from '../../src/sandbox/fixtures.js';
import { openEmbeddedStore } from '../../src/store/embedded.js';
import { startMockBroker, type MockBroker } from '../../test/support/kafka-broker.js';
import { canPin, pinPid, readPublicPem, startNode, tempDir, type NodeChild } from './common.js';
import { eventIdOf, orderClones, signAll } from './pool.js';

export type ServerName =
  | 'a'
  | 'b'
  | 'c'
  | 'd'
  | 'd-pg'
  | 'd-kafka'
  | 'd-kafka-pg'
  | 'd-kafka-nodedupe'
  | 'd-console'
  | 'd-console-pg';

export const serverDescriptions: Record<ServerName, string> = {
  a: 'raw node:http, reads the body (transport ceiling)',
  b: 'verify ceiling: raw node:http + verify + unwrap + validate + bus record, no bus',
  c: 'typical receiver: Express + @wix/sdk process() + kafkajs send per request (acks -1)',
  d: 'this service, default: `serve` with only a key (embedded bus, SQLite store in DATA_DIR)',
  'd-pg': 'this service, DATABASE_URL: embedded bus on the Postgres server',
  'd-kafka': 'this service, KAFKA_BROKERS: Kafka bus, SQLite store (accepted_events dedupe)',
  'd-kafka-pg': 'this service, KAFKA_BROKERS + DATABASE_URL: Kafka bus, Postgres store',
  'd-kafka-nodedupe': 'experiment: d-kafka without the accepted_events dedupe (bus built without the store)',
  'd-console': 'd with ADMIN_TOKEN: the console on, so each webhook is also written to its arrivals log',
  'd-console-pg': 'd-pg with ADMIN_TOKEN (the console and its arrivals log on)',
};

/** The modes of this service: which use Kafka, which use the Postgres server. */
export const isService = (s: ServerName) => s.startsWith('d');
export const usesKafka = (s: ServerName) => s.startsWith('d-kafka');
export const usesPostgres = (s: ServerName) => s.endsWith('-pg');

export async function postgresReachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

/** A fresh schema in the Postgres server, and a URL whose search_path points at it. */
export async function freshSchema(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: scoped.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}

export interface Started {
  server: ServerName;
  node: NodeChild;
  webhookUrl: string;
  baseUrl: string;
  /** The Kafka topic its order events go to (c and the Kafka modes). */
  topic: string | undefined;
  /** Embedded-bus modes: where its queue table lives, to count the rows after the server stopped. */
  queue?: { dataDir: string } | { postgresUrl: string };
  cleanup(): Promise<void>;
}

export interface Lab {
  broker: MockBroker;
  brokerPinned: boolean;
  admin: Admin;
  /** Records in a topic (sum of the partitions' high watermarks). */
  recordsIn(topic: string): Promise<number>;
  /** `wix_webhook_requests_total` by outcome, from a d server's /metrics. */
  webhookOutcomes(baseUrl: string): Promise<Record<string, number>>;
  /**
   * Starts a server (`cli`: the service from the build, `dist/cli/index.js serve`, as `npm start` runs it).
   * For the embedded modes, `dataDir` reuses a data directory (kept by cleanup);
   * otherwise each start gets a fresh one.
   */
  start(
    server: ServerName,
    tag: string,
    o?: { nodeFlags?: string[]; dataDir?: string; cli?: boolean },
  ): Promise<Started>;
  /** One request that must get 200 and the right body, and (c, d) whose record must land in Kafka. */
  probe(s: Started): Promise<void>;
  /**
   * Rows in the embedded bus's queue (`bus_events`) of a stopped server (embedded: its data dir is free
   * once the process exited), or null for a server without one.
   */
  queuedRows(s: Started): Promise<number | null>;
  close(): Promise<void>;
}

/**
 * Starts the mock broker (pinned to `brokerCpu` when possible) and returns what starts and checks the
 * servers. Servers run pinned to `serverCpu`.
 */
export async function openLab(o: {
  serverCpu: number;
  brokerCpu: number;
  logLevel: string;
  postgresUrl: string;
}): Promise<Lab> {
  const broker = await startMockBroker();
  const brokerPinned = canPin(o.brokerCpu) && pinPid(broker.pid, o.brokerCpu);
  const kafka = new Kafka({ clientId: 'bench-counter', brokers: broker.brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const runId = randomBytes(3).toString('hex');
  const publicPem = readPublicPem();
  const probes: Fixture[] = orderClones(200, 8);
  const probeTokens = await signAll(probes);
  let probeIndex = 0;

  const recordsIn = async (topic: string) =>
    (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);

  const lab: Lab = {
    broker,
    brokerPinned,
    admin,
    recordsIn,
    async webhookOutcomes(baseUrl) {
      const text = await (await fetch(`${baseUrl}/metrics`)).text();
      const out: Record<string, number> = {};
      for (const match of text.matchAll(/^wix_webhook_requests_total\{outcome="(\w+)"\} (\d+)/gm))
        out[match[1]!] = Number(match[2]);
      return out;
    },

    async start(server, tag, so = {}) {
      const nodeFlags = so.nodeFlags ?? [];
      const prefix = `bench-${runId}-${tag}.`;
      const kafkaEnv = {
        KAFKA_BROKERS: broker.bootstrap,
        KAFKA_IDEMPOTENT: 'false',
        KAFKA_ALLOW_AUTO_CREATE_TOPICS: 'true',
        KAFKA_TOPIC_PREFIX: prefix,
        KAFKA_GROUP_ID: `bench-${runId}-${tag}`,
        KAFKAJS_NO_PARTITIONER_WARNING: '1',
      };
      const plain = (node: NodeChild, topic: string | undefined): Started => ({
        server,
        node,
        webhookUrl: node.ready,
        baseUrl: new URL(node.ready).origin,
        topic,
        cleanup: async () => {},
      });
      if (server === 'a' || server === 'b') {
        const script = `bench/peers/${server === 'a' ? 'raw-http' : 'raw-verify'}.ts`;
        return plain(await startNode(script, { cpu: o.serverCpu, nodeFlags }), undefined);
      }
      if (server === 'c') {
        const topic = `${prefix}order_created`;
        const node = await startNode('bench/peers/typical-express-wix-sdk.ts', {
          cpu: o.serverCpu,
          nodeFlags,
          env: { ...kafkaEnv, TOPIC: topic, WIX_PUBLIC_KEY: publicPem, WIX_APP_ID: 'bench-app' },
        });
        return plain(node, topic);
      }
      const data = so.dataDir ? { path: so.dataDir, remove: () => {} } : tempDir(`svc-${tag}`);
      const schema = usesPostgres(server) ? await freshSchema(o.postgresUrl) : undefined;
      const dataDir = join(data.path, 'data');
      try {
        // `cli`: what `npm start` runs (the build, `serve`), for memory figures without the tsx loader.
        const node = await startNode(so.cli ? 'dist/cli/index.js' : 'bench/lib/service-child.ts', {
          ...(so.cli
            ? {
                plain: true,
                args: ['serve'],
                readyFrom: (line: string) => /listening on (http:\/\/[\w.:[\]]+)/.exec(line)?.[1],
              }
            : {}),
          cpu: o.serverCpu,
          nodeFlags,
          // Generous: a start on a busy shared core can be slow.
          timeoutMs: 180_000,
          env: {
            ...(usesKafka(server) ? kafkaEnv : {}),
            // `serve` (role all): with no Wix credentials no handler runs, so events stay queued.
            ROLE: 'all',
            PORT: '0',
            HOST: '127.0.0.1',
            WIX_PUBLIC_KEY: publicPem,
            LOG_LEVEL: o.logLevel,
            DATA_DIR: dataDir,
            ...(schema ? { DATABASE_URL: schema.url } : {}),
            ...(server === 'd-kafka-nodedupe' ? { BENCH_NO_DEDUPE: '1' } : {}),
            ...(server.startsWith('d-console') ? { ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef' } : {}),
          },
        });
        return {
          server,
          node,
          webhookUrl: `${node.ready}/webhooks/wix`,
          baseUrl: node.ready,
          topic: usesKafka(server) ? `${prefix}order_created` : undefined,
          ...(usesKafka(server) ? {} : { queue: schema ? { postgresUrl: schema.url } : { dataDir } }),
          cleanup: async () => {
            data.remove();
            await schema?.drop();
          },
        };
      } catch (error) {
        data.remove();
        await schema?.drop();
        throw error;
      }
    },

    async probe(s) {
      const i = probeIndex++ % probes.length;
      const before = s.topic ? await recordsIn(s.topic) : 0;
      const send = () =>
        fetch(s.webhookUrl, {
          method: 'POST',
          body: probeTokens[i],
          headers: { 'content-type': 'text/plain' },
        });
      let res = await send();
      // A first publish can miss the 1250 ms window while a busy machine connects the producer: retry.
      for (let attempt = 1; res.status === 503 && attempt < 5; attempt++) {
        await res.text();
        await new Promise((r) => setTimeout(r, 1000 * attempt));
        res = await send();
      }
      const text = await res.text();
      const fail = (why: string) => {
        throw new Error(`${s.server}: probe failed (${why}): ${res.status} ${text.slice(0, 300)}`);
      };
      if (res.status !== 200) fail('status');
      const id = eventIdOf(probes[i]!);
      if (s.server === 'a' && !text.includes('"ok"')) fail('body');
      if (s.server === 'b' && !(text.includes('"verified"') && text.includes(id))) fail('body');
      if (s.server.startsWith('d')) {
        const body = JSON.parse(text) as { status?: string; eventId?: string };
        if (body.status !== 'published' || body.eventId !== id) fail('body');
      }
      if (s.topic) {
        const deadline = Date.now() + 10_000;
        while ((await recordsIn(s.topic)) < before + 1) {
          if (Date.now() > deadline) fail('record not in Kafka');
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    },

    async queuedRows(s) {
      if (!s.queue) return null;
      if ('postgresUrl' in s.queue) {
        const c = new pg.Client({ connectionString: s.queue.postgresUrl });
        await c.connect();
        try {
          const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM bus_events');
          return rows[0]!.n;
        } finally {
          await c.end();
        }
      }
      const db = await openEmbeddedStore(s.queue.dataDir);
      try {
        const { rows } = await db.query<{ n: number }>('SELECT count(*) AS n FROM bus_events');
        return Number(rows[0]!.n);
      } finally {
        await db.close();
      }
    },

    async close() {
      await admin.disconnect().catch(() => {});
      await broker.stop();
    },
  };
  return lab;
}

/** What bench/lib/load.ts prints. */
export interface LoadResult {
  seconds: number;
  requests: number;
  reqPerSec: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  warmupRequests: number;
  bodiesUsed: number;
  poolSize: number;
  loadCpuPct: number;
  measuredFromUs: number;
  measuredToUs: number;
}

export function loadArgs(o: {
  url: string;
  pool: string;
  connections: number;
  duration: number;
  warmup: number;
  rate?: number;
}): string[] {
  return [
    ...(o.rate ? ['--rate', String(o.rate)] : []),
    '--url',
    o.url,
    '--pool',
    o.pool,
    '--connections',
    String(o.connections),
    '--duration',
    String(o.duration),
    '--warmup',
    String(o.warmup),
  ];
}

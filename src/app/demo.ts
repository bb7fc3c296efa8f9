/**
 * `wix-event-agent demo`: the whole product on one machine with no configuration. The Wix API and the
 * model are the clearly-named sandbox stand-ins; everything else (webhook verification, the bus, the
 * workers, the agents, the policy, the Wix client) is the production code.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentMode } from '../config/load.js';
import { loadConfig } from '../config/load.js';
import { StartupError } from '../lib/startup-error.js';
import type { ServiceEvents } from './events.js';
import { sandboxEnv } from './sandbox.js';
import { createService, type Service } from './service.js';
import { createLogger } from '../observability/logger.js';
import { loadFixtures, type Fixture } from '../sandbox/fixtures.js';
import { replayFixtures } from '../sandbox/replay.js';
import { seedFromFixtures } from '../sandbox/fixture-seed.js';
import { scriptsOf, startLlmEmulator } from '../sandbox/llm-emulator.js';
import { builtInHandlers } from '../builtin/index.js';
import { startWixEmulator, type WixEmulator } from '../sandbox/wix-emulator.js';
import { rs256Key } from '../webhooks/sign.js';
import { describeRun } from '../calls/run-report.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface DemoOptions {
  keepRunning: boolean;
  /** Mode of order-triage; contact-intake runs in approval mode to show approvals. Default live. */
  mode: AgentMode;
  port: number;
  dataDir?: string;
  /** Admin token for /api and the console; a random one (printed) when not given. */
  adminToken?: string | undefined;
  out?: (line: string) => void;
}

/** What a running demo holds: the stand-ins, the service and what the report needs. */
interface Demo {
  service: Service;
  url: string;
  wix: WixEmulator;
  fixtures: Fixture[];
  privateKey: string;
  adminToken: string;
  ended: ReturnType<typeof endedDeliveries>;
  stop(): Promise<void>;
}

/** Runs the demo: starts it, replays the fixtures, reports what the agents did, then stops or stays up. */
export async function runDemo(options: DemoOptions): Promise<{ stop(): Promise<void> }> {
  const out = options.out ?? ((line: string) => console.log(line));
  const demo = await startDemo(options, out);
  try {
    const pending = await replayAndReport(demo, out);
    if (!options.keepRunning) {
      out(
        'The service stops now; `npm run demo -- --keep-running` keeps it up, with the console and the API.',
      );
      out('Your own handler: see "Write your first handler" in the README (serve --handlers, trigger).');
      await demo.stop();
    } else {
      whereToLook(demo, pending, out);
    }
    return { stop: demo.stop };
  } catch (error) {
    await demo.stop();
    throw error;
  }
}

/** Starts the stand-ins and the service on them; a demo that cannot start leaves nothing behind. */
async function startDemo(options: DemoOptions, out: (line: string) => void): Promise<Demo> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'wix-event-agent-demo-'));
  const adminToken = options.adminToken || randomBytes(18).toString('base64url');
  out('wix-event-agent demo: everything runs here, nothing to configure.');
  out('  Wix API: the Wix EMULATOR (sandbox stand-in)   model: the SANDBOX model (scripted, not an LLM)');
  out(`  store and bus: embedded SQLite in ${dataDir}`);

  // The demo signs its webhooks with a key pair of its own (the package ships no private key).
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const wix = await startWixEmulator();
  const fixtures = loadFixtures([join(root, 'fixtures/wix')]);
  seedFromFixtures(wix.data, fixtures);
  // The sandbox model follows the built-in handlers' own `sandbox` scripts.
  const llm = await startLlmEmulator({ scripts: scriptsOf(builtInHandlers) });
  const config = loadConfig({
    PORT: String(options.port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ...sandboxEnv(wix, keys.publicKey, { llmBaseUrl: llm.url }),
    AGENT_MODE: options.mode,
    AGENT_MODE_OVERRIDES: 'contact-intake=approval', // so the demo has approvals to show
    ADMIN_TOKEN: adminToken,
    RETRY_BASE_MS: '200',
    RETRY_MAX_MS: '2000',
    LOG_LEVEL: 'info',
  });
  const logFile = join(dataDir, 'service.log');
  let service: Service | undefined;
  const stop = async () => {
    try {
      await service?.stop();
    } finally {
      await llm.close();
      await wix.close();
      // A throwaway demo leaves nothing behind; with --keep-running the directory stays until Ctrl-C.
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    }
  };
  let url: string;
  try {
    service = await createService(config, {
      logger: createLogger({ level: 'info', destination: createWriteStream(logFile) }),
    });
    url = (await service.start()).url!;
  } catch (error) {
    // A demo that could not start leaves nothing behind either.
    await stop().catch(() => {});
    if (error instanceof StartupError && error.variable === 'PORT') {
      throw new StartupError(
        'PORT',
        `port ${options.port} is already in use: run the demo on another one, e.g. npm run demo -- --port ${options.port + 1} (or --port 0 for any free port)`,
        error,
      );
    }
    throw error;
  }
  // A throwaway demo deletes its directory, log included, at exit: point at the log only when it stays.
  const logNote =
    ownDir && !options.keepRunning
      ? 'its log is deleted at exit, kept with --keep-running'
      : `log: ${logFile}`;
  out(`  service: ${url} (${logNote})`);
  if (options.keepRunning) out(`  console: ${url}/console (admin token: ${adminToken})`);
  const modes = service.agents!.definitions.map((d) => `${d.name} ${d.mode}`);
  out(`  modes: ${modes.join(', ')} (AGENT_MODE_OVERRIDES, so there are approvals to show)`);
  // Each event's delivery ends handled or dead-lettered (a retry is not the end): heard from the start.
  const ended = endedDeliveries(service.events);
  return { service, url, wix, fixtures, privateKey: keys.privateKey, adminToken, ended, stop };
}

/** Replays the fixtures, says what each answer means, waits for the agents and tells what they did. */
async function replayAndReport(demo: Demo, out: (line: string) => void) {
  const { service, url, fixtures } = demo;
  out('');
  out(
    `Replaying ${fixtures.length} fixture webhooks, signed RS256 exactly as Wix signs, to ${url}/webhooks/wix:`,
  );
  const results = await replayFixtures(fixtures, {
    url: `${url}/webhooks/wix`,
    key: rs256Key(demo.privateKey),
  });
  const answerOf = (r: (typeof results)[number]) =>
    (r.body as { status?: string } | null)?.status ?? r.error ?? '';
  for (const r of results) out(`  ${r.status} ${answerOf(r).padEnd(13)} ${r.fixture.name}`);
  const deadLettered = results.filter((r) => answerOf(r) === 'dead_lettered').length;
  const ignored = results.filter((r) => answerOf(r) === 'ignored').length;
  const why = [
    deadLettered &&
      `${deadLettered} dead_lettered: signed but malformed on purpose, kept in the dead letters with the reason (Wix is answered 200)`,
    ignored && `${ignored} ignored: event types no handler routes`,
  ].filter(Boolean);
  if (why.length) out(`  ${why.join('; ')}.`);

  const audit = service.agents!.audit;
  const published = results.filter((r) => answerOf(r) === 'published');
  // Only events some handler subscribes to get a run: order-triage takes order_approved by default
  // (ORDER_TRIAGE_EVENT), so the order_created fixtures are published and left alone.
  const subscribed = new Set<string>(service.agents!.definitions.map((d) => d.on));
  const handled = published.filter((r) => subscribed.has(r.fixture.expect?.type ?? ''));
  const unhandled = published.filter((r) => !handled.includes(r));
  const eventIdOf = (r: (typeof results)[number]) => (r.body as { eventId: string }).eventId;
  out('');
  out(`Waiting for the agents to handle ${handled.length} events...`);
  await demo.ended.all(handled.map(eventIdOf), 120_000);

  out('');
  out('What the agents did, per event:');
  for (const r of handled) {
    out(`- ${r.fixture.name}${orderNumberOf(r.fixture.webhook.data)}`);
    const runs = await audit.listRuns({ eventId: eventIdOf(r) });
    if (runs.length === 0) out('  (not handled yet)');
    for (const run of runs.reverse()) {
      const full = await audit.getRun(run.id);
      if (full) for (const line of describeRun(full)) out(line);
    }
  }
  if (unhandled.length) {
    const types = [...new Set(unhandled.map((r) => r.fixture.expect?.type ?? '?'))];
    out('');
    out(
      `Published, no handler subscribed: ${unhandled.length} event(s) of type ${types.join(', ')}` +
        ` (order-triage acts on order_approved; ORDER_TRIAGE_EVENT=order_created makes it act on order_created).`,
    );
  }
  const pending = await audit.listCalls({ status: 'pending' });
  out('');
  out(
    `Writes received by the Wix emulator: ${demo.wix.writes.length}. Awaiting approval: ${pending.length}.`,
  );
  out('');
  return pending;
}

/** With --keep-running: where to look, with the admin token and an approval to try. */
function whereToLook(demo: Demo, pending: readonly { id: string }[], out: (line: string) => void) {
  const { url, adminToken } = demo;
  out('Where to look next:');
  out(`  console:   ${url}/console  (sign in with the admin token ${adminToken})`);
  out(`  metrics:   curl ${url}/metrics | grep ^wix_`);
  out(`  runs:      curl -H 'Authorization: Bearer ${adminToken}' ${url}/api/runs`);
  out(`  approvals: curl -H 'Authorization: Bearer ${adminToken}' ${url}/api/approvals`);
  if (pending[0]) {
    out(
      `  approve:   curl -X POST -H 'Authorization: Bearer ${adminToken}' ${url}/api/approvals/${pending[0].id}/approve`,
    );
  }
  out('  your own handler: see "Write your first handler" in the README (serve --handlers, trigger).');
  out('');
  out(`The service keeps running (Ctrl-C to stop). Console: ${url}/console`);
}

/** ` (order #N)` for an order event's data (order_created or order_approved), else ''. */
function orderNumberOf(data: unknown): string {
  const d = data as {
    createdEvent?: { entity?: { number?: string } };
    actionEvent?: { body?: { order?: { number?: string } } };
  };
  const number = d.createdEvent?.entity?.number ?? d.actionEvent?.body?.order?.number;
  return number ? ` (order #${number})` : '';
}

/**
 * The event ids whose delivery ended (handled or dead-lettered), as the service announces them;
 * `all(ids, ms)` resolves once every one has, or after `ms`.
 */
function endedDeliveries(events: Pick<ServiceEvents, 'on'>) {
  const ended = new Set<string>();
  const waiters = new Set<() => void>();
  events.on('settled', (s) => {
    if (s.outcome === 'retry') return;
    ended.add(s.event.id);
    for (const wake of waiters) wake();
  });
  return {
    all(ids: readonly string[], timeoutMs: number): Promise<void> {
      return new Promise((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        function done() {
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        }
        function check() {
          if (ids.every((id) => ended.has(id))) done();
        }
        waiters.add(check);
        check();
      });
    },
  };
}

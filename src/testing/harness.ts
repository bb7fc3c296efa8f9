/**
 * The test harness: the real pipeline in-process. Events are signed (RS256, a key made for the harness)
 * and POSTed to the real webhook endpoint; the embedded bus (SQLite in memory) delivers them to the real
 * agent loop, policy and tools, which call the Wix emulator (seeded from each event) over HTTP. The model
 * is scripted (see scripted-model.ts). Each `send` resolves once every handler of the event is done.
 */
import { generateKeyPairSync } from 'node:crypto';
import { Writable } from 'node:stream';
import type { RunRecord, ToolCallRecord } from '../calls/audit.js';
import { loadConfig } from '../config/load.js';
import type { AnyHandler } from '../handlers/define.js';
import type { SandboxScript } from '../handlers/script.js';
import { createService, type Service } from '../app/service.js';
import { createLogger } from '../observability/logger.js';
import { createRegistry } from '../observability/metrics.js';
import { seedFromFixtures } from '../sandbox/fixture-seed.js';
import { sandboxEnv, startWixEmulator, type RequestRecord, type WixEmulator } from '../app/sandbox.js';
import { busTypeOf } from '../webhooks/routes.js';
import { rs256Key, signWebhook, type SigningKey } from '../webhooks/sign.js';
import type { TestEvent } from '../sandbox/builders.js';
import { scriptedModel, type ScriptedModel } from './scripted-model.js';

export type { RunRecord, ToolCallRecord } from '../calls/audit.js';
export type { RequestRecord } from '../app/sandbox.js';

export interface HarnessOptions {
  /** The handlers under test (defineHandler results). */
  handlers: readonly AnyHandler[];
  /** Scripts by handler name, for every event (a `send` may give its own). Default: handlers' `sandbox`. */
  scripts?: Record<string, SandboxScript>;
  /**
   * Environment for the service and the handlers' settings, e.g. `{ AGENT_MODE: 'dry-run' }`.
   * Defaults: an in-memory store, `MAX_ATTEMPTS=1` (a failure is dead-lettered at once), logs silent.
   */
  env?: Record<string, string>;
}

/** What one event did. */
export interface Delivered {
  /** The webhook endpoint's answer: 200 for published, duplicate and ignored events. */
  status: number;
  /** `published`, `duplicate`, `ignored`, `dead_lettered`, ... (as the endpoint answered). */
  outcome: string;
  /** Agent runs for this event, oldest first, with their tool calls. */
  runs: (RunRecord & { calls: ToolCallRecord[] })[];
  /** All tool calls of those runs, in order (status: executed, simulated, pending, refused, failed…). */
  calls: ToolCallRecord[];
  /** Write requests that reached the Wix emulator while the event was handled. */
  writes: RequestRecord[];
  /** Why the event failed (dead-lettered), when it did. */
  error?: string;
}

export interface Harness {
  /** Base URL of the service (POST /webhooks/wix). */
  url: string;
  /** The Wix emulator the tools talk to: `wix.data` holds sites, orders, contacts; `wix.writes` every write. */
  wix: WixEmulator;
  /** The scripted model (set scripts by handler or event). */
  model: ScriptedModel;
  service: Service;
  /** The key events are signed with (RS256). */
  key: SigningKey;
  /**
   * Seeds the emulator with the event's entity, signs and POSTs the event, and waits until each
   * subscribed handler finished (or failed). `script`: this event's script (for every handler, or by name).
   */
  send(
    event: TestEvent<unknown>,
    options?: { script?: SandboxScript | Record<string, SandboxScript>; timeoutMs?: number },
  ): Promise<Delivered>;
  /** Every run so far, newest first. */
  runs(): Promise<RunRecord[]>;
  /** Every tool call so far, oldest first. */
  toolCalls(): Promise<ToolCallRecord[]>;
  close(): Promise<void>;
}

type Settled = { error?: string };

/** Starts the harness: Wix emulator, service (in-memory store and bus), scripted model. */
export async function createHarness(options: HarnessOptions): Promise<Harness> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = rs256Key(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const wix = await startWixEmulator({ rateLimit: false });
  const sandbox = new Map(options.handlers.map((h) => [h.name, h.sandbox as SandboxScript | undefined]));
  const model = scriptedModel((handler) => sandbox.get(handler));
  for (const [name, script] of Object.entries(options.scripts ?? {})) model.byHandler.set(name, script);

  const env: Record<string, string> = {
    DATA_DIR: 'memory://',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    MAX_ATTEMPTS: '1',
    RETRY_BASE_MS: '10',
    RETRY_MAX_MS: '50',
    ...sandboxEnv(wix, publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    ...options.env,
  };
  const config = loadConfig(env);
  const waiting = new Map<string, (settled: Settled) => void>();
  const service = await createService(config, {
    env,
    definitions: options.handlers,
    model: { model: model.model, name: model.name, sandbox: false, headersFor: model.headersFor },
    logger: createLogger({
      level: config.logLevel,
      destination: new Writable({ write: (_c, _e, done) => done() }),
    }),
    registry: createRegistry({ defaultMetrics: false }),
    pollIntervalMs: 10,
  });
  // An event is done once its delivery is handled or dead-lettered, as the bus decided (a retry,
  // counted or not, is not the end).
  service.events.on('settled', (settled) => {
    if (settled.outcome === 'retry') return;
    waiting.get(settled.event.id)?.(settled.error ? { error: settled.error } : {});
    waiting.delete(settled.event.id);
  });
  const { url } = await service.start();
  const audit = service.agents?.audit;
  if (!audit) {
    await service.stop();
    await wix.close();
    throw new Error('harness: the agents did not start');
  }
  const subscribedTypes = new Set(service.agents!.definitions.map((d) => d.on));

  return {
    url: url!,
    wix,
    model,
    service,
    key,
    async send(event, sendOptions = {}) {
      seedFromFixtures(wix.data, [
        { file: 'test', name: event.eventId, expect: { outcome: 'published' }, webhook: event.webhook },
      ]);
      if (sendOptions.script) model.byEvent.set(event.eventId, sendOptions.script);
      const writesBefore = wix.writes.length;
      const handled = subscribedTypes.has(busTypeOf(event.eventType) ?? '')
        ? new Promise<Settled>((resolve, reject) => {
            const timer = setTimeout(
              () =>
                reject(
                  new Error(
                    `harness: event ${event.eventId} not handled within ${sendOptions.timeoutMs ?? 20_000} ms`,
                  ),
                ),
              sendOptions.timeoutMs ?? 20_000,
            );
            waiting.set(event.eventId, (settled) => {
              clearTimeout(timer);
              resolve(settled);
            });
          })
        : undefined;
      const response = await fetch(`${url}/webhooks/wix`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: await signWebhook(event.webhook, key),
      });
      const answer = (await response.json().catch(() => ({}))) as { status?: string };
      const outcome = answer.status ?? String(response.status);
      let settled: Settled = {};
      if (handled && outcome === 'published') settled = await handled;
      else waiting.delete(event.eventId);
      model.byEvent.delete(event.eventId);
      const runs = await Promise.all(
        (await audit.listRuns({ eventId: event.eventId, limit: 100 }))
          .reverse()
          .map(async (r) => (await audit.getRun(r.id))!),
      );
      return {
        status: response.status,
        outcome,
        runs,
        calls: runs.flatMap((r) => r.calls),
        writes: wix.writes.slice(writesBefore),
        ...(settled.error ? { error: settled.error } : {}),
      };
    },
    runs: () => audit.listRuns({ limit: 1000 }),
    toolCalls: () => audit.listCalls({ limit: 10_000 }),
    async close() {
      await service.stop();
      await wix.close();
    },
  };
}

#!/usr/bin/env node
import { userInfo } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { ConfigError, loadConfig, withDotEnv, type Config, type DotEnvInfo } from '../config/load.js';
import { eventTypes } from '../domain/events.js';
import { topicsFor } from '../domain/topics.js';
import { onShutdownSignal } from '../lib/shutdown.js';
import { errorCodes } from '../lib/error-codes.js';
import { StartupError } from '../lib/startup-error.js';
import { describeError } from '../errors.js';
import { createLogger } from '../observability/logger.js';
import { createRegistry } from '../observability/metrics.js';
import { createService, openBus, openStore, type Role } from '../app/service.js';
import { loadFixtures } from '../sandbox/fixtures.js';
import { replayFixtures } from '../sandbox/replay.js';
import { hs256Key, rs256Key, type SigningKey } from '../webhooks/sign.js';
import { createApprovals } from '../calls/approvals.js';
import { createAudit, type ToolCallRecord } from '../calls/audit.js';
import { createJournal, newWriteOwner } from '../calls/journal.js';
import { describeCall } from '../app/demo-report.js';
import { wixTools } from '../wix/tools/index.js';
import { loadServiceHandlers } from '../app/handlers.js';
import { withFreshEventId } from '../sandbox/fixtures.js';
import { registerMcpCommands } from './mcp.js';

/**
 * Ends the process on a failure at start: one line on stderr naming the variable and the likely fix
 * (StartupError, ConfigError) or describing the error; the stack only with LOG_LEVEL=debug or trace.
 */
function failAtStart(error: unknown): never {
  const level = (loadedConfig?.logLevel ?? env.LOG_LEVEL ?? '').trim().toLowerCase();
  if (error instanceof StartupError || error instanceof ConfigError) console.error(error.message);
  else console.error(`wix-event-agent: ${describeError(error).replace(/\s+/g, ' ')}`);
  if ((level === 'debug' || level === 'trace') && error instanceof Error && error.stack)
    console.error(error.stack);
  process.exit(1);
}

/** The operating-system user, recorded as who decided an approval from the CLI; `cli` when unknown. */
function osUser(): string {
  try {
    return userInfo().username || 'cli';
  } catch {
    return 'cli';
  }
}

/** The version in the package.json next to `src/` or `dist/`. */
function packageVersion(): string {
  const file = fileURLToPath(new URL('../../package.json', import.meta.url));
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** The configuration once loaded (for LOG_LEVEL in `failAtStart`). */
let loadedConfig: Config | undefined;

/** The `.env` read at start, if any (the real environment wins over it). */
let dotenv: DotEnvInfo | undefined;
/** The environment the configuration was read from (handlers read their own settings from it too). */
let env: Record<string, string | undefined> = process.env;

/**
 * The configuration from the environment over `./.env` (and `extra`, e.g. the sandbox's variables);
 * exits 2 with one line per problem.
 */
function config(extra: Record<string, string> = {}): Config {
  try {
    const sources = withDotEnv(process.env);
    dotenv = sources.dotenv;
    env = { ...sources.env, ...extra };
    loadedConfig = loadConfig(env);
    return loadedConfig;
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) console.error(problem);
      process.exit(2);
    }
    console.error((error as Error).message);
    process.exit(2);
  }
}

/**
 * The configured store, for commands that read it. An embedded store that does not exist is an error,
 * not a new empty one (that would report "0 dead letters" next to a service using another DATA_DIR).
 */
async function openExistingStore(cfg: Config) {
  if (!cfg.databaseUrl && !cfg.dataDir.startsWith('memory://') && !existsSync(cfg.dataDir)) {
    throw new StartupError(
      'DATA_DIR',
      `no embedded store at ${resolve(cfg.dataDir)}: point DATA_DIR at the service's data directory, or ask the running service with --api <url>`,
    );
  }
  return openStore(cfg);
}

/** Runs `fn`; a ConfigError (bad variables, handler problems) is printed and exits 2. */
async function orConfigError<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ConfigError) {
      // Each problem on its own line, starting with the variable, like every other configuration error.
      for (const problem of error.problems) console.error(problem);
      process.exit(2);
    }
    throw error;
  }
}

/** The handlers a command should know (their tools, their event types): HANDLERS_MODULE and built-ins. */
async function loadedHandlers(cfg: Config, module?: string) {
  return orConfigError(() =>
    loadServiceHandlers(cfg, {
      env,
      ...((module ?? cfg.handlersModule) ? { module: module ?? cfg.handlersModule! } : {}),
    }),
  );
}

/** Runs `fn` with the store and bus of the configured deployment, then closes them. */
async function withBus<T>(fn: (bus: Awaited<ReturnType<typeof openBus>>) => Promise<T>): Promise<T> {
  const cfg = config();
  const store = await openExistingStore(cfg);
  const bus = await openBus(cfg, store, topicsFor(cfg.topicPrefix, eventTypes), {
    logger: createLogger({ level: 'warn', destination: process.stderr }),
    registry: createRegistry({ defaultMetrics: false }),
  });
  try {
    return await fn(bus);
  } finally {
    await bus.close();
    await store.close();
  }
}

const program = new Command()
  .name('wix-event-agent')
  .description('Verified Wix webhooks → durable bus → least-privilege LLM agents')
  .version(packageVersion(), '-V, --version')
  .showHelpAfterError();

program
  .command('serve')
  .description('run the service (webhook ingress and/or workers)')
  .addOption(
    new Option('--role <role>', 'what this process does')
      .choices(['all', 'ingress', 'worker'])
      .default('all'),
  )
  .option('--handlers <module>', 'a module exporting your handlers (default HANDLERS_MODULE)')
  .option(
    '--sandbox',
    'run against the Wix emulator and the sandbox model, verifying with a local sandbox key pair in ./.wix-event-agent/ (never for production)',
  )
  .action(async (opts: { role: Role; handlers?: string; sandbox?: boolean }) => {
    // Commands import what only they use (Kafka, the emulators, the agents' clients) when they run, so
    // `serve` on the embedded defaults does not carry them (memory at rest).
    const sandbox = opts.sandbox ? await (await import('../app/sandbox.js')).startSandbox() : undefined;
    const cfg = config(sandbox?.env);
    const service = await orConfigError(() =>
      createService(cfg, {
        role: opts.role,
        env,
        ...(opts.handlers ? { handlersModule: opts.handlers } : {}),
        ...(sandbox
          ? {
              bus: async ({ store, topics, logger, registry }) =>
                sandbox.wrapBus(await openBus(cfg, store, topics, { logger, registry })),
            }
          : {}),
      }),
    );
    if (dotenv)
      service.logger.info({ path: dotenv.path, applied: dotenv.applied }, 'read .env (the environment wins)');
    if (sandbox)
      service.logger.warn({ wixEmulator: sandbox.wix.url }, 'SANDBOX: Wix emulator, sandbox model, test key');
    onShutdownSignal(
      async () => {
        await service.stop();
        await sandbox?.close();
      },
      { timeoutMs: 20_000, log: (m) => service.logger.info(m) },
    );
    await service.start();
  });

program
  .command('trigger')
  .description('post a fresh event (new ids every time), signed as Wix signs, to a webhook endpoint')
  .argument(
    '<event>',
    'order_created, order_approved, contact_created, or a Wix event type (wix.contacts.v4.contact_updated)',
  )
  .option(
    '--set <path=value...>',
    'override a field of the entity (JSON values parsed), e.g. --set buyerNote="Gift wrap"',
  )
  .option('--instance-id <id>', 'the site (app instance id); default a fresh one')
  .option('--url <url>', 'webhook endpoint (default: http://127.0.0.1:$PORT/webhooks/wix)')
  .option('--private-key <file>', 'RSA private key (PEM): sign RS256, as Wix does')
  .option('--sandbox', 'sign with the sandbox key in ./.wix-event-agent/ (run where serve --sandbox runs)')
  .action(
    async (
      name: string,
      opts: { set?: string[]; instanceId?: string; url?: string; privateKey?: string; sandbox?: boolean },
    ) => {
      const keyFile =
        opts.privateKey ??
        (opts.sandbox ? (await import('../app/sandbox.js')).sandboxKeyFiles().privateKey : undefined);
      // The HS256 secret comes through the configuration (./.env, *_FILE), like the service's own.
      const secret = keyFile ? undefined : config().webhook.hs256Secret;
      if (!keyFile && !secret) {
        console.error(
          'trigger: give --private-key <file> (RS256), --sandbox, or set WIX_WEBHOOK_HS256_SECRET (HS256)',
        );
        process.exit(2);
      }
      const { triggerEvent } = await import('../sandbox/trigger.js');
      let event;
      try {
        event = triggerEvent(name, opts.set ?? [], opts.instanceId ? { instanceId: opts.instanceId } : {});
      } catch (error) {
        console.error((error as Error).message);
        process.exit(2);
      }
      const key: SigningKey = keyFile ? rs256Key(readFileSync(keyFile, 'utf8')) : hs256Key(secret!);
      const [result] = await replayFixtures([{ file: name, name, webhook: event.webhook }], {
        url: opts.url ?? `http://127.0.0.1:${config().port}/webhooks/wix`,
        key,
      });
      const answer = result!.error ?? JSON.stringify(result!.body);
      console.log(
        `${result!.status || 'ERR'} ${event.eventType} event=${event.eventId} instance=${event.instanceId} ${answer}`,
      );
      process.exitCode = result!.status === 200 ? 0 : 1;
    },
  );

program
  .command('replay')
  .description('sign fixture webhooks exactly as Wix does and POST them to a callback URL')
  .argument('<paths...>', 'fixture files or directories (*.json)')
  .requiredOption('--url <url>', 'the webhook endpoint, e.g. http://127.0.0.1:3000/webhooks/wix')
  .option('--private-key <file>', 'RSA private key (PEM) for RS256, as Wix signs')
  .option(
    '--secret <secret>',
    'HS256 secret (the WIX_WEBHOOK_HS256_SECRET of the receiving service; real Wix signs RS256)',
  )
  .option(
    '--fresh-ids',
    'give each event a new event id, so a replay is handled again instead of answered duplicate',
  )
  .action(
    async (
      paths: string[],
      opts: { url: string; privateKey?: string; secret?: string; freshIds?: boolean },
    ) => {
      if (Boolean(opts.privateKey) === Boolean(opts.secret)) {
        console.error('replay: give exactly one of --private-key <file> or --secret <secret>');
        process.exit(2);
      }
      const key: SigningKey = opts.privateKey
        ? rs256Key(readFileSync(opts.privateKey, 'utf8'))
        : hs256Key(opts.secret!);
      const missing = paths.filter((p) => !existsSync(p));
      if (missing.length > 0) {
        console.error(
          `replay: no such file or directory: ${missing.join(', ')} (give fixture files or directories, e.g. fixtures/wix)`,
        );
        process.exit(2);
      }
      const fixtures = loadFixtures(paths).map((f) => (opts.freshIds ? withFreshEventId(f) : f));
      const width = String(fixtures.length).length;
      const results = await replayFixtures(fixtures, {
        url: opts.url,
        key,
        onResult: (r, i, total) => {
          const answer =
            r.error ?? (r.body && typeof r.body === 'object' ? JSON.stringify(r.body) : String(r.body ?? ''));
          const progress = total > 1 ? `[${String(i + 1).padStart(width)}/${total}] ` : '';
          console.log(`${progress}${r.status || 'ERR'} ${r.fixture.name} ${Math.round(r.ms)}ms ${answer}`);
        },
      });
      const failed = results.filter((r) => r.status !== 200);
      console.log(`${results.length - failed.length}/${results.length} delivered with 200`);
      process.exitCode = failed.length > 0 ? 1 : 0;
    },
  );

program
  .command('kafka')
  .description('Kafka administration')
  .command('topics')
  .description(
    'create the order_created, order_approved, contact_created and dead_letter topics, and one per Wix event type your handlers subscribe to, if missing (KAFKA_PARTITIONS, KAFKA_REPLICATION_FACTOR)',
  )
  .option('--handlers <module>', 'a module exporting your handlers (default HANDLERS_MODULE)')
  .action(async (opts: { handlers?: string }) => {
    const cfg = config();
    const extra = (await loadedHandlers(cfg, opts.handlers)).map((h) => h.on);
    if (!cfg.kafka) {
      console.error('kafka topics: set KAFKA_BROKERS');
      process.exit(2);
    }
    const logger = createLogger({ level: 'warn', destination: process.stderr });
    const { ensureKafkaTopics } = await import('../bus/kafka.js');
    const result = await ensureKafkaTopics(
      cfg.kafka,
      topicsFor(cfg.topicPrefix, [...eventTypes, ...extra]).all,
      logger,
    );
    for (const t of result.created) console.log(`created ${t}`);
    for (const t of result.existing) console.log(`exists  ${t}`);
  });

const dlq = program.command('dlq').description('dead letters: events that could not be handled');
dlq
  .command('list')
  .option('--limit <n>', 'how many, newest first', '50')
  .option('--json', 'one JSON object per line')
  .option('--api <url>', 'ask a running service (needs ADMIN_TOKEN)')
  .action(async (opts: { limit: string; json?: boolean; api?: string }) => {
    type Letters = Awaited<ReturnType<Awaited<ReturnType<typeof openBus>>['listDeadLetters']>>;
    const letters: Letters = opts.api
      ? (
          (await api(opts.api, `/dead-letters?limit=${encodeURIComponent(opts.limit)}`)) as {
            deadLetters: Letters;
          }
        ).deadLetters
      : await withBus((bus) => bus.listDeadLetters({ limit: Number(opts.limit) }));
    for (const l of letters) {
      if (opts.json) console.log(JSON.stringify(l));
      else
        console.log(
          `${l.id}  ${l.deadAt}  ${l.reason}  attempts=${l.attempts}  ${l.type ?? '-'}  event=${l.eventId ?? '-'}  ${l.error}`,
        );
    }
    if (!opts.json) console.log(`${letters.length} dead letter(s)`);
  });
dlq
  .command('redrive')
  .description('put dead-lettered events back on their topic')
  .option('--id <id...>', 'dead letter ids (from dlq list)')
  .option('--all', 'every dead letter')
  .option('--api <url>', 'ask a running service (needs ADMIN_TOKEN)')
  .action(async (opts: { id?: string[]; all?: boolean; api?: string }) => {
    if (!opts.all && !opts.id?.length) {
      console.error('dlq redrive: give --id <id...> or --all');
      process.exit(2);
    }
    const query = opts.all
      ? 'all=true'
      : (opts.id ?? []).map((id) => `id=${encodeURIComponent(id)}`).join('&');
    const n = opts.api
      ? ((await api(opts.api, `/dead-letters/redrive?${query}`, 'POST')) as { redriven: number }).redriven
      : await withBus((bus) => bus.redrive(opts.all ? { all: true } : { ids: opts.id ?? [] }));
    console.log(`${n} event(s) redriven`);
  });

program
  .command('demo')
  .description('run everything on this machine (Wix emulator, sandbox model) and replay the fixtures')
  .option('--keep-running', 'keep the service up afterwards')
  .addOption(
    new Option('--mode <mode>', 'mode of order-triage')
      .choices(['live', 'dry-run', 'approval'])
      .default('live'),
  )
  .option('--port <port>', 'HTTP port (0 = any free port; default: $PORT, 3000)')
  .action(async (opts: { keepRunning?: boolean; mode: 'live' | 'dry-run' | 'approval'; port?: string }) => {
    // PORT and ADMIN_TOKEN as the service reads them (environment, ./.env, *_FILE).
    const cfg = config();
    const { runDemo } = await import('../app/demo.js');
    const demo = await runDemo({
      keepRunning: Boolean(opts.keepRunning),
      mode: opts.mode,
      port: opts.port === undefined ? cfg.port : Number(opts.port),
      adminToken: cfg.adminToken,
    });
    if (opts.keepRunning)
      onShutdownSignal(() => demo.stop(), { timeoutMs: 10_000, log: (m) => console.log(m) });
  });

/** Calls the running service's /api (when --api is given), with ADMIN_TOKEN. */
async function api(base: string, path: string, method = 'GET'): Promise<unknown> {
  const token = config().adminToken;
  if (!token) {
    console.error('--api needs ADMIN_TOKEN in the environment');
    process.exit(2);
  }
  let target: URL;
  try {
    target = new URL(`/api${path}`, base);
  } catch {
    throw new StartupError('--api', `"${base}" is not a URL (e.g. http://127.0.0.1:3000)`);
  }
  const response = await fetch(target, { method, headers: { authorization: `Bearer ${token}` } }).catch(
    (error: unknown) => {
      const code = [...errorCodes(error)].find((c) => /^E[A-Z]+$/.test(c)) ?? describeError(error);
      throw new StartupError(
        '--api',
        `nothing answers at ${target.origin} (${code}): is the service running there? Its start line shows its URL`,
      );
    },
  );
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    console.error(`${response.status}: ${String(body.error ?? response.statusText)}`);
    process.exit(1);
  }
  return body;
}

/** Runs `fn` with the audit trail of the configured store (stop an embedded-store service first, or use --api). */
async function withAudit<T>(
  fn: (
    audit: ReturnType<typeof createAudit>,
    cfg: Config,
    store: Awaited<ReturnType<typeof openStore>>,
  ) => Promise<T>,
): Promise<T> {
  const cfg = config();
  const store = await openExistingStore(cfg);
  try {
    return await fn(createAudit(store), cfg, store);
  } finally {
    await store.close();
  }
}

const printCall = (c: ToolCallRecord) =>
  console.log(
    `${c.id}  ${c.createdAt}  ${c.status.padEnd(9)} ${c.handler}  ${describeCall(c)}  event=${c.eventId}` +
      (c.status === 'unknown' ? `\n    ${c.error ?? 'outcome unknown'}` : ''),
  );

const runs = program.command('runs').description('agent runs: what each handler did with each event');
runs
  .command('list')
  .option('--limit <n>', 'how many, newest first', '20')
  .option('--event <id>', 'only runs of this event')
  .option('--api <url>', 'ask a running service (needs ADMIN_TOKEN)')
  .option('--json', 'one JSON object per line')
  .action(async (opts: { limit: string; event?: string; api?: string; json?: boolean }) => {
    const list = opts.api
      ? (
          (await api(
            opts.api,
            `/runs?limit=${opts.limit}${opts.event ? `&eventId=${encodeURIComponent(opts.event)}` : ''}`,
          )) as {
            runs: Awaited<ReturnType<ReturnType<typeof createAudit>['listRuns']>>;
          }
        ).runs
      : await withAudit((audit) =>
          audit.listRuns({ limit: Number(opts.limit), ...(opts.event ? { eventId: opts.event } : {}) }),
        );
    if (opts.json) {
      for (const r of list) console.log(JSON.stringify(r));
      return;
    }
    for (const r of list) {
      console.log(
        `${r.id}  ${r.startedAt}  ${r.handler.padEnd(15)} ${r.mode.padEnd(8)} ${r.status.padEnd(9)} steps=${r.steps} calls=${r.toolCalls}  event=${r.eventId}`,
      );
    }
    console.log(`${list.length} run(s)`);
  });
runs
  .command('show')
  .argument('<id>', 'run id')
  .option('--api <url>', 'ask a running service (needs ADMIN_TOKEN)')
  .action(async (id: string, opts: { api?: string }) => {
    const run = opts.api
      ? await api(opts.api, `/runs/${encodeURIComponent(id)}`)
      : await withAudit((audit) => audit.getRun(id));
    if (!run) {
      console.error(`no run ${id}`);
      process.exit(1);
    }
    console.log(JSON.stringify(run, null, 2));
  });

const approvals = program
  .command('approvals')
  .description(
    'writes waiting for a person: pending approval, or outcome unknown (check Wix, then done or resend)',
  );
approvals
  .command('list')
  .option('--api <url>', 'ask a running service (needs ADMIN_TOKEN)')
  .option('--json', 'one JSON object per line')
  .action(async (opts: { api?: string; json?: boolean }) => {
    const list = opts.api
      ? ((await api(opts.api, '/approvals')) as { approvals: ToolCallRecord[] }).approvals
      : await withAudit((audit) => audit.listCalls({ status: ['pending', 'unknown'] }));
    if (opts.json) {
      for (const c of list) console.log(JSON.stringify(c));
      return;
    }
    list.forEach(printCall);
    console.log(`${list.length} waiting for a person (pending approval or outcome unknown)`);
  });
const actionHelp = {
  approve: 'send a pending write to Wix',
  reject: 'never send a pending or outcome-unknown write (again)',
  done: 'an outcome-unknown write IS in Wix: record it as executed',
  resend: 'an outcome-unknown write is NOT in Wix: send it again',
} as const;
for (const action of ['approve', 'reject', 'done', 'resend'] as const) {
  approvals
    .command(action)
    .description(actionHelp[action])
    .argument('<id>', 'tool call id (from approvals list)')
    .option('--api <url>', 'decide on a running service (needs ADMIN_TOKEN)')
    .option('--by <name>', 'who decides (recorded)', osUser())
    .action(async (id: string, opts: { api?: string; by: string }) => {
      if (opts.api) {
        printCall(
          (await api(opts.api, `/approvals/${encodeURIComponent(id)}/${action}`, 'POST')) as ToolCallRecord,
        );
        return;
      }
      await withAudit(async (audit, cfg, store) => {
        const { openWix } = await import('../app/agents.js');
        const opened = await openWix(cfg, {});
        if ('missing' in opened) {
          console.error(`approvals ${action}: ${opened.missing}`);
          process.exit(2);
        }
        try {
          const handlers = await loadedHandlers(cfg);
          const journal = createJournal(store, newWriteOwner(cfg.writeOwnerTtlMs));
          const decided = await createApprovals({
            audit,
            journal,
            client: opened.wix.client,
            tools: wixTools,
            handlers,
          })[action](id, opts.by);
          printCall(decided);
          if (decided.status === 'failed' || decided.status === 'unknown') process.exitCode = 1;
        } catch (error) {
          console.error((error as Error).message);
          process.exitCode = 1;
        } finally {
          await opened.wix.close();
        }
      });
    });
}

registerMcpCommands(program, {
  config,
  openStore,
  openWix: async (cfg) =>
    (await import('../app/agents.js')).openWix(cfg, {
      logger: createLogger({ level: cfg.logLevel, destination: process.stderr }),
    }),
  catalog: wixTools,
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  failAtStart(error);
}

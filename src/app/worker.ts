/**
 * The worker side of a service: the agents (when Wix credentials are set) and the consumers that run
 * them, announcing each settled delivery.
 */
import type { ModelChoice } from '../agents/model.js';
import type { Bus, Subscription } from '../bus/port.js';
import type { Audit } from '../calls/audit.js';
import type { Config } from '../config/load.js';
import type { EventHandler } from '../consumers/event-handler.js';
import { startConsumers } from '../consumers/run.js';
import type { BoundHandler } from '../handlers/load.js';
import { duringStartup, urlTarget } from '../lib/startup-error.js';
import type { Logger } from '../observability/logger.js';
import type { CoreMetrics, Registry } from '../observability/metrics.js';
import type { Store } from '../store/port.js';
import type { AgentRuntime } from './agents.js';
import type { ServiceEvents } from './events.js';

/** The worker's handlers: the agents', or plain ones given by a test. */
export interface Worker {
  agents: AgentRuntime | undefined;
  handlers: readonly EventHandler[];
}

/**
 * Opens the agents for `definitions` (or takes `handlers` as they are). Without Wix credentials the
 * worker runs no handler and says why; an unreachable `REDIS_URL` is a StartupError.
 */
export async function openWorker(
  config: Config,
  parts: {
    store: Store;
    audit: Audit;
    registry: Registry;
    logger: Logger;
    definitions: BoundHandler[];
    handlers?: readonly EventHandler[];
    model?: ModelChoice;
    /** Where each run's end is announced (`run`). */
    events: Pick<ServiceEvents, 'emit'>;
  },
): Promise<Worker> {
  if (parts.handlers) return { agents: undefined, handlers: parts.handlers };
  const { logger } = parts;
  // The AI SDK and the Wix client's adapters load only where agents run.
  const { openAgents } = await import('./agents.js');
  const opened = await openAgents(config, {
    ...parts,
    onRunFinished: (run) => parts.events.emit('run', run),
  });
  if ('missing' in opened) {
    logger.warn(
      `handlers not started: ${opened.missing}. Events stay queued until a worker with credentials runs.`,
    );
    return { agents: undefined, handlers: [] };
  }
  if (config.redisUrl) {
    await duringStartup('REDIS_URL', () => opened.wix.ready(), { target: urlTarget(config.redisUrl) }).catch(
      async (error: unknown) => {
        await opened.close().catch(() => {});
        throw error;
      },
    );
  }
  const modes = Object.fromEntries(opened.definitions.map((d) => [d.name, d.mode]));
  const log = opened.model.sandbox ? logger.warn.bind(logger) : logger.info.bind(logger);
  log(
    { model: opened.model.name, handlers: modes, wixApi: config.wix.apiBaseUrl },
    opened.model.sandbox
      ? 'handlers run on the SANDBOX model (scripted, not an LLM): set LLM_PROVIDER for a real model'
      : 'handlers ready',
  );
  return { agents: opened, handlers: opened.handlers };
}

/** Starts consuming: each event through its handlers, each settled delivery announced. */
export function startWorker(
  config: Config,
  parts: {
    bus: Bus;
    store: Store;
    handlers: readonly EventHandler[];
    logger: Logger;
    metrics: CoreMetrics;
    events: ServiceEvents;
  },
): Promise<Subscription> {
  const { bus, events } = parts;
  return startConsumers({
    bus,
    store: parts.store,
    handlers: parts.handlers,
    logger: parts.logger,
    metrics: parts.metrics,
    // The embedded bus finishes the event in this store right after, asynchronously too (see
    // `CommitOptions`): nothing outside learns the event is done before a later synced commit.
    ...(bus.kind === 'embedded' ? { marks: { asyncCommit: true } } : {}),
    subscribe: {
      maxAttempts: config.delivery.maxAttempts,
      retryBaseMs: config.delivery.retryBaseMs,
      retryMaxMs: config.delivery.retryMaxMs,
      onSettled: (settled) => events.emit('settled', settled),
    },
  });
}

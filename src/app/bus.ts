/**
 * The bus: Kafka with `KAFKA_BROKERS`, else the embedded queue in the store. Built here only, always
 * with the service's metrics (dead letters counted in `wix_dead_letters_total` in every mode).
 */
import type { Bus } from '../bus/port.js';
import { createEmbeddedBus } from '../bus/embedded.js';
import type { Config } from '../config/load.js';
import type { Topics } from '../domain/topics.js';
import { describeError } from '../errors.js';
import { duringStartup } from '../lib/startup-error.js';
import type { Logger } from '../observability/logger.js';
import type { CoreMetrics, Registry } from '../observability/metrics.js';
import type { Store } from '../store/port.js';

/** What a bus is built from besides its configuration. */
export interface BusParts {
  store: Store;
  topics: Topics;
  logger: Logger;
  registry: Registry;
  metrics: CoreMetrics;
  /** Embedded bus poll interval, ms. Default the bus's own (see bus/embedded.ts). */
  pollIntervalMs?: number;
  /** Hears of every dead letter the bus stores (after it is counted). */
  onDeadLetter?: (reason: string) => void;
}

/** Opens the configured bus; an unreachable Kafka is a StartupError naming KAFKA_BROKERS. */
export async function openBus(config: Pick<Config, 'kafka'>, parts: BusParts): Promise<Bus> {
  const kafka = config.kafka;
  const onDeadLetter = (reason: string) => {
    parts.metrics.deadLetters.inc({ reason });
    parts.onDeadLetter?.(reason);
  };
  if (kafka) {
    return duringStartup(
      'KAFKA_BROKERS',
      async () =>
        (await import('../bus/kafka.js')).createKafkaBus({
          kafka,
          topics: parts.topics,
          logger: parts.logger,
          registry: parts.registry,
          store: parts.store,
          onDeadLetter,
        }),
      { target: kafka.brokers.join(','), timeoutMs: 30_000 },
    );
  }
  return createEmbeddedBus({
    store: parts.store,
    topics: parts.topics,
    ...(parts.pollIntervalMs ? { pollIntervalMs: parts.pollIntervalMs } : {}),
    onDeadLetter,
    onError: loopErrorReporter(parts.logger, parts.metrics),
  });
}

/**
 * The embedded bus's loop errors (it keeps going after each): counted in `wix_bus_loop_errors_total`,
 * logged as described errors — the first of a kind, then at most once a minute while they repeat.
 */
function loopErrorReporter(logger: Logger, metrics: CoreMetrics): (error: unknown) => void {
  let last = '';
  let lastAt = 0;
  return (error) => {
    metrics.busLoopErrors.inc({ bus: 'embedded' });
    const text = describeError(error);
    const now = Date.now();
    if (text === last && now - lastAt < 60_000) return;
    last = text;
    lastAt = now;
    logger.error({ component: 'embedded-bus', error: text }, 'embedded bus loop error (it keeps going)');
  };
}

import type { Registry } from 'prom-client';
import type { Backlog } from '../bus/port.js';
import { withTimeout } from '../lib/with-timeout.js';
import type { SiteLimiterStats } from '../wix/limiter/observed.js';

/** A dependency the service needs, checked on each health page view. */
export interface DependencyCheck {
  name: string;
  /** Throws (or takes longer than 2 s) when the dependency is not usable. */
  check(): Promise<void>;
}

export interface HealthReport {
  checks: { name: string; ok: boolean; ms: number; error?: string }[];
  bus: {
    kind: string;
    backlog?: Backlog | undefined;
    /** Kafka: records not yet committed by this group, per partition. */
    lag?: { topic: string; partition: string; lag: number }[] | undefined;
  };
  /** Per-site limiter figures; undefined where this process makes no Wix requests. */
  limiter: SiteLimiterStats[] | undefined;
  /** Webhook answers since this process started, by outcome. */
  webhooks: Record<string, number>;
  /** Facts worth showing as they are (bus kind, store, model, modes, limits). */
  facts: Record<string, string>;
}

export interface HealthDeps {
  checks: DependencyCheck[];
  registry: Registry;
  busKind: string;
  /** Undefined, or resolving undefined, where the bus does not count a backlog (Kafka). */
  backlog?: (() => Promise<Backlog | undefined>) | undefined;
  limiter?: (() => SiteLimiterStats[]) | undefined;
  facts?: Record<string, string> | undefined;
}

async function metricValues(registry: Registry, name: string) {
  const metric = registry.getSingleMetric(name);
  if (!metric) return [];
  return (await metric.get()).values as { value: number; labels: Record<string, string | number> }[];
}

/** Builds the health report from the checks, the bus backlog, the limiter and the metrics registry. */
export function createHealth(deps: HealthDeps): () => Promise<HealthReport> {
  return async () => {
    const checks = await Promise.all(
      deps.checks.map(async ({ name, check }) => {
        const started = performance.now();
        try {
          await withTimeout(check(), 2000);
          return { name, ok: true, ms: Math.round(performance.now() - started) };
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return {
            name,
            ok: false,
            ms: Math.round(performance.now() - started),
            error: message.slice(0, 300),
          };
        }
      }),
    );
    const webhooks: Record<string, number> = {};
    for (const v of await metricValues(deps.registry, 'wix_webhook_requests_total')) {
      webhooks[String(v.labels.outcome)] = v.value;
    }
    const lag = (await metricValues(deps.registry, 'wix_kafka_consumer_lag')).map((v) => ({
      topic: String(v.labels.topic),
      partition: String(v.labels.partition),
      lag: v.value,
    }));
    const backlog = deps.backlog ? await deps.backlog().catch(() => undefined) : undefined;
    return {
      checks,
      bus: { kind: deps.busKind, backlog, lag: deps.busKind === 'kafka' ? lag : undefined },
      limiter: deps.limiter?.(),
      webhooks,
      facts: deps.facts ?? {},
    };
  };
}

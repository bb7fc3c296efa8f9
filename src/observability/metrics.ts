import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export { Registry };

/** Webhook outcomes, as in DESIGN: every request ends in exactly one. */
export const webhookOutcomes = [
  'published',
  'duplicate',
  'ignored',
  'dead_lettered',
  'unauthorized',
  'too_large',
  'unavailable',
  'error',
] as const;
export type WebhookOutcome = (typeof webhookOutcomes)[number];

export function createRegistry(options: { defaultMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'wix_' });
  return registry;
}

/** Metrics of the ingress and the consumer runner. Other areas register theirs on the same registry. */
export function createCoreMetrics(registry: Registry) {
  const webhookRequests = new Counter({
    name: 'wix_webhook_requests_total',
    help: 'Webhook requests by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });
  for (const outcome of webhookOutcomes) webhookRequests.inc({ outcome }, 0);
  return {
    webhookRequests,
    webhookIgnoredTypes: new Counter({
      name: 'wix_webhook_ignored_total',
      help: 'Verified webhooks of event types that are not routed, by Wix event type',
      labelNames: ['event_type'],
      registers: [registry],
    }),
    webhookDuration: new Histogram({
      name: 'wix_webhook_duration_seconds',
      help: 'Webhook handling time, from the first byte read to the answer, by outcome',
      labelNames: ['outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.25, 2.5],
      registers: [registry],
    }),
    publishDuration: new Histogram({
      name: 'wix_bus_publish_duration_seconds',
      help: 'Time until the bus durably accepted an event',
      labelNames: ['bus'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    eventsProcessed: new Counter({
      name: 'wix_events_processed_total',
      help: 'Deliveries processed by the consumer runner, by event type and outcome',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    }),
    deadLetters: new Counter({
      name: 'wix_dead_letters_total',
      help: 'Events sent to the dead letters, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    busLoopErrors: new Counter({
      name: 'wix_bus_loop_errors_total',
      help: 'Unexpected errors in a bus consumer loop (it keeps going), by bus',
      labelNames: ['bus'],
      registers: [registry],
    }),
    handlerDuration: new Histogram({
      name: 'wix_handler_duration_seconds',
      help: 'Handler run time, by handler and outcome',
      labelNames: ['handler', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [registry],
    }),
  };
}
export type CoreMetrics = ReturnType<typeof createCoreMetrics>;

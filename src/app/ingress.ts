/**
 * The ingress: the webhook keys from the configuration and the ingest function the HTTP route calls.
 * Each answered webhook is announced (`webhook`, and `published` for a new event); the bus's accept
 * time is observed in `wix_publish_duration_seconds`.
 */
import type { Bus } from '../bus/port.js';
import type { Config } from '../config/load.js';
import type { Logger } from '../observability/logger.js';
import type { CoreMetrics } from '../observability/metrics.js';
import { ingestWebhook, type IngestResult } from '../webhooks/ingest.js';
import { acceptedAlgorithms, importWebhookKeys } from '../webhooks/verify.js';
import type { ServiceEvents } from './events.js';

/** What the ingress is built from besides `config.webhook`. */
export interface IngressParts {
  bus: Pick<Bus, 'kind' | 'publish' | 'deadLetter'>;
  /** Wix event types beyond the built-in ones that loaded handlers subscribe to. */
  subscribed: ReadonlySet<string>;
  logger: Logger;
  metrics: CoreMetrics;
  events: ServiceEvents;
  /** Whether this process takes webhooks (logs what it verifies with). Default true. */
  announceKeys?: boolean;
}

/** Imports the webhook keys and returns the ingest function (verify → unwrap → validate → publish). */
export async function buildIngress(
  config: Pick<Config, 'webhook'>,
  parts: IngressParts,
): Promise<(rawBody: string) => Promise<IngestResult>> {
  const { webhook } = config;
  const keys = await importWebhookKeys({
    publicKeyPem: webhook.publicKeyPem,
    hs256Secret: webhook.hs256Secret,
  });
  const algorithms = acceptedAlgorithms(keys);
  if (parts.announceKeys !== false) {
    if (algorithms.length === 0) {
      parts.logger.warn(
        "no webhook key configured: every webhook is refused with 401. Set WIX_PUBLIC_KEY to the app's public key " +
          '(Wix app dashboard → Webhooks → Get Public Key); WIX_WEBHOOK_HS256_SECRET only for setups that sign HS256',
      );
    } else {
      parts.logger.info({ algorithms }, `webhook verification ready: accepting ${algorithms.join(', ')}`);
    }
  }
  const { bus, metrics, events } = parts;
  const deps = {
    keys,
    bus,
    clockToleranceSec: webhook.clockSkewSeconds,
    publishTimeoutMs: webhook.publishTimeoutMs,
    subscribed: parts.subscribed,
  };
  return async (rawBody) => {
    const result = await ingestWebhook(rawBody, deps);
    if (result.outcome === 'published' || result.outcome === 'duplicate') {
      // The time the bus took to accept the event, as the ingress sees it (verification not included).
      metrics.publishDuration.observe({ bus: bus.kind }, result.publishSeconds);
    }
    if (result.outcome === 'published') events.emit('published', result.event);
    events.emit('webhook', result);
    return result;
  };
}

import express, { type Router } from 'express';
import type { Logger } from '../observability/logger.js';
import type { CoreMetrics, WebhookOutcome } from '../observability/metrics.js';
import type { IngestResult } from '../webhooks/ingest.js';

export interface WebhookRouteDeps {
  ingest(rawBody: string): Promise<IngestResult>;
  logger: Logger;
  metrics: CoreMetrics;
  /** Largest accepted body in bytes (`WEBHOOK_MAX_BYTES`). */
  maxBytes: number;
  /** Seconds Wix (or any sender) should wait after a 503. */
  retryAfterSec?: number;
  /** Requests processed at once; more get 503 immediately. Default unbounded. */
  maxInFlight?: number;
}

const statusFor: Record<IngestResult['outcome'], number> = {
  published: 200,
  duplicate: 200,
  ignored: 200,
  dead_lettered: 200,
  unauthorized: 401,
  unavailable: 503,
};

/** `POST /webhooks/wix`: reads the raw body as text whatever the content type, maps outcomes to statuses. */
export function webhookRoute(deps: WebhookRouteDeps): Router {
  const router = express.Router();
  const body = express.raw({ type: () => true, limit: deps.maxBytes });

  let inFlight = 0;
  router.post('/webhooks/wix', (req, res, next) => {
    const started = process.hrtime.bigint();
    res.locals.webhookStarted = started;
    if (deps.maxInFlight !== undefined && inFlight >= deps.maxInFlight) {
      // Shed load at the door: answering 503 now lets Wix retry later, instead of a timeout for everyone.
      record(deps, 'unavailable', started);
      res
        .status(503)
        .set('Retry-After', String(deps.retryAfterSec ?? 5))
        .set('Connection', 'close')
        .json({ error: 'unavailable', reason: 'overloaded, retry later' });
      req.resume();
      return;
    }
    inFlight++;
    res.once('close', () => inFlight--);
    body(req, res, (error?: unknown) => {
      if (error) return next(error);
      const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      deps.ingest(raw).then((result) => {
        const status = statusFor[result.outcome];
        record(deps, result.outcome, started);
        const log = (res.locals.logger as Logger | undefined) ?? deps.logger;
        const { outcome, ...facts } = result;
        if (outcome === 'unauthorized') log.warn({ outcome, ...facts, status }, 'webhook refused');
        else if (outcome === 'unavailable')
          log.error({ outcome, ...facts, status }, 'webhook not accepted: bus unavailable');
        else if (outcome === 'dead_lettered')
          log.warn({ outcome, ...facts, status }, 'webhook dead-lettered: invalid envelope');
        else {
          if (outcome === 'ignored')
            deps.metrics.webhookIgnoredTypes.inc({ event_type: result.eventType.slice(0, 100) });
          log.info({ outcome, ...facts, status }, 'webhook accepted');
        }
        if (outcome === 'unavailable') res.set('Retry-After', String(deps.retryAfterSec ?? 5));
        res
          .status(status)
          .json(
            outcome === 'unauthorized'
              ? { error: 'unauthorized', reason: result.reason }
              : outcome === 'unavailable'
                ? { error: 'unavailable', reason: 'event bus unavailable, retry later' }
                : { status: outcome, ...('eventId' in result ? { eventId: result.eventId } : {}) },
          );
      }, next);
    });
  });
  return router;
}

function record(deps: WebhookRouteDeps, outcome: WebhookOutcome, started: bigint) {
  deps.metrics.webhookRequests.inc({ outcome });
  deps.metrics.webhookDuration.observe({ outcome }, Number(process.hrtime.bigint() - started) / 1e9);
}

/** Counts a request that ended before ingest (too large, unreadable) under its outcome. */
export function recordEarlyOutcome(
  deps: Pick<WebhookRouteDeps, 'metrics'>,
  outcome: WebhookOutcome,
  started: unknown,
) {
  deps.metrics.webhookRequests.inc({ outcome });
  if (typeof started === 'bigint') {
    deps.metrics.webhookDuration.observe({ outcome }, Number(process.hrtime.bigint() - started) / 1e9);
  }
}

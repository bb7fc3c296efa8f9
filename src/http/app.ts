import { randomUUID } from 'node:crypto';
import type { RequestListener } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import { HttpError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { CoreMetrics, Registry } from '../observability/metrics.js';
import type { IngestResult } from '../webhooks/ingest.js';
import { webhookRoute } from '../webhooks/route.js';

export interface AppDeps {
  logger: Logger;
  registry: Registry;
  metrics: CoreMetrics;
  /** Absent on a worker-only process: then `POST /webhooks/wix` is 404. */
  ingest?: (rawBody: string) => Promise<IngestResult>;
  maxBytes: number;
  /** Webhooks processed at once before 503 (`WEBHOOK_MAX_IN_FLIGHT`). */
  maxInFlight?: number;
  /** Throws when the store or the bus is not reachable. */
  readiness(): Promise<void>;
  /** `/api` routes (present only when ADMIN_TOKEN is set). */
  api?: Router;
  /** `/mcp` routes (MCP over Streamable HTTP; present where the Wix client is, i.e. on workers). */
  mcp?: Router;
  /** `/console`: the operator console (or the page saying it is off). */
  console?: Router;
}

/** The HTTP side of the service. */
export interface HttpApp {
  /** Every route (webhooks first, health, metrics, api, console, mcp) as one Express app. */
  app: Express;
  /**
   * What the server listens with: `POST /webhooks/wix` goes straight to the webhook route on plain
   * node:http (the hot path, without Express's per-request work: ≈ 3 % of the default's CPU under load),
   * anything else to `app`. Both share one webhook route (one in-flight count).
   */
  listener: RequestListener;
}

/** Builds the HTTP app: webhooks, health, metrics, api. No `listen()` here. */
export function createApp(deps: AppDeps): HttpApp {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);

  // The webhook route reads its own body and answers on plain node:http (the hot path).
  const webhook = deps.ingest
    ? webhookRoute({
        ingest: deps.ingest,
        logger: deps.logger,
        metrics: deps.metrics,
        maxBytes: deps.maxBytes,
        ...(deps.maxInFlight ? { maxInFlight: deps.maxInFlight } : {}),
      })
    : undefined;
  if (webhook) {
    app.use((req, res, next) => {
      if (!webhook(req, res)) next();
    });
  }

  app.use((req, res, next) => {
    const header = req.get('x-request-id');
    const id = header && /^[\w.-]{1,100}$/.test(header) ? header : randomUUID();
    res.set('x-request-id', id);
    res.locals.logger = deps.logger.child({ reqId: id });
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    try {
      await deps.readiness();
      res.json({ status: 'ready' });
    } catch {
      // The readiness check logs each dependency's change of state itself, once, as a described error.
      res.status(503).json({ status: 'not ready' });
    }
  });

  app.get('/metrics', async (_req, res, next) => {
    try {
      res.set('Content-Type', deps.registry.contentType).send(await deps.registry.metrics());
    } catch (error) {
      next(error);
    }
  });

  if (deps.api) app.use('/api', deps.api);
  if (deps.mcp) app.use('/mcp', deps.mcp);
  if (deps.console) app.use('/console', deps.console);

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });

  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    const log = (res.locals.logger as Logger | undefined) ?? deps.logger;
    if (error instanceof HttpError) {
      res.status(error.status).set(error.headers).json({ error: error.publicMessage });
      return;
    }
    // body-parser errors carry a `type` and an expose-safe status.
    const type = typeof error?.type === 'string' ? (error.type as string) : undefined;
    if (type === 'entity.too.large') {
      log.warn(
        { limit: deps.maxBytes, length: req.get('content-length') },
        'request refused: body too large',
      );
      res.status(413).set('Connection', 'close').json({ error: 'payload too large', limit: deps.maxBytes });
      return;
    }
    if (
      type === 'request.aborted' ||
      type === 'request.size.invalid' ||
      type === 'encoding.unsupported' ||
      type === 'charset.unsupported'
    ) {
      const status = type === 'encoding.unsupported' || type === 'charset.unsupported' ? 415 : 400;
      res.status(status).json({ error: type });
      return;
    }
    log.error({ err: error }, 'unhandled error');
    if (res.headersSent) return;
    res.status(500).json({ error: 'internal error' });
  };
  app.use(onError);
  const listener: RequestListener = webhook
    ? (req, res) => {
        let handled: boolean;
        try {
          handled = webhook(req, res);
        } catch (error) {
          // What Express did for a throwing route: log it and answer a bare 500.
          deps.logger.error({ err: error }, 'unhandled error');
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
          res.end('{"error":"internal error"}');
          return;
        }
        if (!handled) app(req, res);
      }
    : app;
  return { app, listener };
}

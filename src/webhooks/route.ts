import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Logger } from '../observability/logger.js';
import type { CoreMetrics, WebhookOutcome } from '../observability/metrics.js';
import type { IngestResult } from './ingest.js';

export interface WebhookRouteDeps {
  ingest(rawBody: string): Promise<IngestResult>;
  logger: Logger;
  metrics: CoreMetrics;
  /** Largest accepted body in bytes (`WEBHOOK_MAX_BYTES`), after any content-encoding is undone. */
  maxBytes: number;
  /** Seconds Wix (or any sender) should wait after a 503. */
  retryAfterSec?: number;
  /** Requests processed at once; more get 503 immediately. Default unbounded. */
  maxInFlight?: number;
}

/** Handles the request and returns true, or returns false when it is not `POST /webhooks/wix`. */
export type WebhookHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

const statusFor: Record<IngestResult['outcome'], number> = {
  published: 200,
  duplicate: 200,
  ignored: 200,
  dead_lettered: 200,
  unauthorized: 401,
  unavailable: 503,
};

/** Express's default matching: case-insensitive, an optional trailing slash, any query string. */
function isWebhookPath(url: string | undefined): boolean {
  if (!url) return false;
  const q = url.indexOf('?');
  let path = q < 0 ? url : url.slice(0, q);
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return path.length === 13 && path.toLowerCase() === '/webhooks/wix';
}

class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    readonly code: string,
  ) {
    super(code);
  }
}

/** Reads the whole body (decoding gzip, deflate or br) up to `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const length = Number(req.headers['content-length']);
    if (Number.isFinite(length) && length > limit) return reject(new BodyError(413, 'entity.too.large'));
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    const decoder =
      encoding === 'identity'
        ? undefined
        : encoding === 'gzip'
          ? createGunzip()
          : encoding === 'deflate'
            ? createInflate()
            : encoding === 'br'
              ? createBrotliDecompress()
              : null;
    if (decoder === null) return reject(new BodyError(415, 'encoding.unsupported'));
    const stream = decoder ? req.pipe(decoder) : req;
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const fail = (error: Error) => {
      if (done) return;
      done = true;
      if (decoder) req.unpipe(decoder);
      stream.removeAllListeners('data');
      reject(error);
    };
    stream.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) return fail(new BodyError(413, 'entity.too.large'));
      chunks.push(chunk);
    });
    stream.once('end', () => {
      if (done) return;
      done = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received));
    });
    stream.once('error', () => fail(new BodyError(400, decoder ? 'encoding.invalid' : 'request.aborted')));
    req.once('aborted', () => fail(new BodyError(400, 'request.aborted')));
  });
}

/**
 * `POST /webhooks/wix` on plain node:http, in front of the framework (the route is the hot path: no
 * body-parser, no per-request logger, no ETag): reads the raw body as text whatever the content type,
 * runs `ingest`, and maps its outcome to a status. 413 for a body over `maxBytes` (by Content-Length at
 * once, or while reading), 503 + Retry-After when more than `maxInFlight` requests are being processed
 * or the bus did not accept the event in time, a generic 500 for anything unexpected (the cause is
 * logged, never answered).
 */
export function webhookRoute(deps: WebhookRouteDeps): WebhookHandler {
  let inFlight = 0;
  const route: Route = {
    deps,
    retryAfter: String(deps.retryAfterSec ?? 5),
    // The line of every webhook taken (published, duplicate, ignored): fields this route builds itself
    // (ids, types, the outcome, the status), none a secret, so it skips the path redaction (8 of its
    // 10 µs in a scratch benchmark). Secret values are still scrubbed from it (`createLogger`); lines
    // that carry anything else (a refusal's reason, an error) go through the redacting logger.
    takenLog: deps.logger.child({}, { redact: [] }),
  };

  return (req, res) => {
    if (req.method !== 'POST' || !isWebhookPath(req.url)) return false;
    const started = process.hrtime.bigint();
    const header = req.headers['x-request-id'];
    const reqId = typeof header === 'string' && /^[\w.-]{1,100}$/.test(header) ? header : randomUUID();
    const send = sender(res, reqId);

    if (deps.maxInFlight !== undefined && inFlight >= deps.maxInFlight) {
      // Shed load at the door: answering 503 now lets Wix retry later, instead of a timeout for everyone.
      record(deps, 'unavailable', started);
      send(
        503,
        { error: 'unavailable', reason: 'overloaded, retry later' },
        { 'retry-after': route.retryAfter, connection: 'close' },
      );
      req.resume();
      return true;
    }
    inFlight++;
    res.once('close', () => inFlight--);

    readBody(req, deps.maxBytes)
      .then(async (body) => {
        const result = await deps.ingest(body.toString('utf8'));
        answer(route, send, reqId, started, result);
      })
      .catch((error: unknown) => answerFailure(route, req, res, send, reqId, started, error));
    return true;
  };
}

/** What a route's requests share: its deps, its Retry-After, the line it logs each webhook taken on. */
interface Route {
  deps: WebhookRouteDeps;
  retryAfter: string;
  takenLog: Logger;
}

/** Answers one request: JSON `body` with `status`, its request id, and `headers`. */
type Send = (status: number, body: unknown, headers?: Record<string, string>) => void;

function sender(res: ServerResponse, reqId: string): Send {
  return (status, body, headers = {}) => {
    const json = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(json),
      'x-request-id': reqId,
      ...headers,
    });
    res.end(json);
  };
}

/** Records, logs and answers what `ingest` made of a webhook. */
function answer(route: Route, send: Send, reqId: string, started: bigint, result: IngestResult): void {
  const { deps } = route;
  const status = statusFor[result.outcome];
  record(deps, result.outcome, started);
  const { outcome } = result;
  const log = { reqId, ...loggedFacts(result), status };
  if (outcome === 'unauthorized') deps.logger.warn(log, 'webhook refused');
  else if (outcome === 'unavailable') deps.logger.error(log, 'webhook not accepted: bus unavailable');
  else if (outcome === 'dead_lettered') deps.logger.warn(log, 'webhook dead-lettered: invalid envelope');
  else {
    if (outcome === 'ignored')
      deps.metrics.webhookIgnoredTypes.inc({ event_type: result.eventType.slice(0, 100) });
    route.takenLog.info(log, 'webhook accepted');
  }
  if (outcome === 'unauthorized') send(status, { error: 'unauthorized', reason: result.reason });
  else if (outcome === 'unavailable')
    send(
      status,
      { error: 'unavailable', reason: 'event bus unavailable, retry later' },
      { 'retry-after': route.retryAfter },
    );
  else send(status, { status: outcome, ...('eventId' in result ? { eventId: result.eventId } : {}) });
}

/** Answers a request whose body could not be read (413, 400, 415), or that failed unexpectedly (500). */
function answerFailure(
  route: Route,
  req: IncomingMessage,
  res: ServerResponse,
  send: Send,
  reqId: string,
  started: bigint,
  error: unknown,
): void {
  const { deps } = route;
  if (error instanceof BodyError) {
    if (error.status === 413) {
      record(deps, 'too_large', started);
      deps.logger.warn(
        { reqId, outcome: 'too_large', limit: deps.maxBytes, length: req.headers['content-length'] },
        'webhook refused: body too large',
      );
      send(413, { error: 'payload too large', limit: deps.maxBytes }, { connection: 'close' });
    } else if (!res.headersSent && !req.destroyed) {
      send(error.status, { error: error.code });
    }
    return;
  }
  record(deps, 'error', started);
  deps.logger.error({ reqId, err: error }, 'unhandled error');
  if (!res.headersSent) send(500, { error: 'internal error' });
}

function record(deps: Pick<WebhookRouteDeps, 'metrics'>, outcome: WebhookOutcome, started: bigint) {
  deps.metrics.webhookRequests.inc({ outcome });
  deps.metrics.webhookDuration.observe({ outcome }, Number(process.hrtime.bigint() - started) / 1e9);
}

/**
 * What the webhook's log line says of its result: the outcome, ids and reasons, never the event or
 * payload it carries (customer content stays out of the logs).
 */
function loggedFacts(result: IngestResult): Record<string, unknown> & { outcome: IngestResult['outcome'] } {
  const {
    event: _event,
    payload: _payload,
    publishSeconds: _seconds,
    ...facts
  } = result as IngestResult & {
    event?: unknown;
    payload?: unknown;
    publishSeconds?: unknown;
  };
  return facts;
}

import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { EmulatorData } from './data.js';
import { Faults, retryHeaders, type AfterApply, type RetryAfterStyle, type WixFault } from './faults.js';
import { WixHttpError, applicationError, serverError, validationError, type RouteContext } from './http.js';
import type { RateWindow } from './rate-window.js';
import { cmsRoutes } from './routes/cms.js';
import { contactRoutes } from './routes/contacts.js';
import { crmRoutes } from './routes/crm.js';
import { ecomRoutes } from './routes/ecom.js';
import { ecomCancelRoutes } from './routes/ecom-cancel.js';
import { membersRoutes } from './routes/members.js';
import { storesProductRoutes } from './routes/stores-product.js';
import { contactWriteRoutes } from './routes/contacts-write.js';
import { eventsRoutes } from './routes/events.js';
import { cmsWriteRoutes } from './routes/cms-write.js';
import { storesRoutes } from './routes/stores.js';
import { storesSearchRoutes } from './routes/stores-search.js';
import { storesWriteRoutes } from './routes/stores-write.js';
import { ecomWriteRoutes } from './routes/ecom-write.js';
import { bookingsRoutes } from './routes/bookings.js';
import type { TokenStore } from './tokens.js';
import { WriteLog, type WriteEntry } from './write-log.js';

/** One request the emulator received. */
export interface RequestRecord {
  seq: number;
  /** Epoch ms of arrival. */
  time: number;
  method: string;
  path: string;
  /** The site, once the caller is authenticated. */
  instanceId: string | undefined;
  /** Answered status; 0 while pending or when the connection was dropped. */
  status: number;
  requestId: string;
  /** Value of our `idempotency-key` header (or `x-wix-idempotency-key`). */
  idempotencyKey: string | undefined;
  /** True for requests that change data (not GET, not a query or search, not the token endpoint). */
  write: boolean;
  /** Parsed JSON body of writes. */
  body?: unknown;
  durationMs: number;
}

export interface EmulatorAppOptions {
  data: EmulatorData;
  tokens: TokenStore;
  faults: Faults;
  rateWindow: RateWindow;
  appId: string;
  appSecret: string;
  apiKey: string | undefined;
  tokenTtlSeconds: number;
  rateLimitHeaders: RetryAfterStyle;
  now: () => number;
  maxLogEntries: number;
}

export interface EmulatorLogs {
  requests: RequestRecord[];
  writes: RequestRecord[];
  /** Every write with whether it took effect: what tests assert on. */
  writeLog: WriteLog;
  events: EventEmitter;
  /** Answers of applied writes held by `holdAnswers`, in arrival order; each sends its answer once. */
  held: (() => void)[];
}

function isWrite(method: string, path: string): boolean {
  return method !== 'GET' && path !== '/oauth2/token' && !/\/(query|search)$/.test(path);
}

/** Wix-style request id: epoch ms and random digits. */
function newRequestId(now: number): string {
  return `${now}.${randomBytes(8).readBigUInt64BE().toString().slice(0, 16)}`;
}

function push(list: RequestRecord[], record: RequestRecord, max: number): void {
  list.push(record);
  if (list.length > max) list.splice(0, list.length - max);
}

/**
 * Notes when the route applied the write (its own 2xx answer), then answers as `afterApply` says:
 * late, 5xx, a reset connection or a 200 without the fields a client reads: the faults after which a
 * client cannot know (or cannot read) what the write did.
 */
function recordApplied(res: Response, entry: WriteEntry, logs: EmulatorLogs, afterApply?: AfterApply): void {
  const log = logs.writeLog;
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    entry.routeStatus = res.statusCode;
    if (res.statusCode >= 300) return json(body);
    entry.applied = true;
    if (afterApply?.kind === 'held') {
      log.settle(entry, 'held');
      logs.held.push(() => {
        if (!res.destroyed) json(body);
      });
      return res;
    }
    if (afterApply?.kind === 'late') {
      log.settle(entry, 'late');
      setTimeout(() => {
        if (!res.destroyed) json(body);
      }, afterApply.delayMs).unref();
      return res;
    }
    if (afterApply?.kind === 'server-error') {
      log.settle(entry, 'server-error-after-apply');
      res.status(afterApply.status);
      return json(serverError(afterApply.status).body);
    }
    if (afterApply?.kind === 'reset') {
      log.settle(entry, 'reset-after-apply');
      res.socket?.destroy();
      return res;
    }
    if (afterApply?.kind === 'unreadable') {
      log.settle(entry, 'unreadable-after-apply');
      return json({});
    }
    return json(body);
  };
}

/** Sends every held answer (`holdAnswers`); returns how many. */
export function releaseHeld(logs: Pick<EmulatorLogs, 'held'>): number {
  const answers = logs.held.splice(0);
  for (const answer of answers) answer();
  return answers.length;
}

/** A fault sent as JSON over `POST /_emulator/faults`: a RegExp path travels as `pathPattern` (its source). */
function faultFromJson(body: Record<string, unknown>): WixFault {
  const { pathPattern, ...rest } = body;
  return {
    ...(rest as WixFault),
    ...(typeof pathPattern === 'string' ? { path: new RegExp(pathPattern) } : {}),
  };
}

/** The Express app speaking Wix's REST protocol. No listen(): see startWixEmulator. */
export function createEmulatorApp(options: EmulatorAppOptions): { app: express.Express; logs: EmulatorLogs } {
  const { data, tokens, faults, rateWindow, now } = options;
  const logs: EmulatorLogs = {
    requests: [],
    writes: [],
    writeLog: new WriteLog(options.maxLogEntries),
    events: new EventEmitter(),
    held: [],
  };
  logs.events.setMaxListeners(0);
  const ctx: RouteContext = { data, now, isoNow: () => new Date(now()).toISOString() };
  let seq = 0;

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  // Test controls for other processes: the write log and fault injection, outside Wix's API and its logs.
  app.get('/_emulator/writes', (_req, res) => {
    res.json({ writes: logs.writeLog.entries });
  });
  app.post('/_emulator/faults', express.json(), (req, res) => {
    faults.add(faultFromJson(req.body as Record<string, unknown>), now());
    res.json({ ok: true });
  });
  app.delete('/_emulator/faults', (_req, res) => {
    faults.clear();
    res.json({ ok: true });
  });
  app.post('/_emulator/release', (_req, res) => {
    res.json({ released: releaseHeld(logs) });
  });

  app.use((req, res, next) => {
    const started = now();
    const record: RequestRecord = {
      seq: ++seq,
      time: started,
      method: req.method,
      path: req.path,
      instanceId: undefined,
      status: 0,
      requestId: newRequestId(started),
      idempotencyKey: req.get('idempotency-key') ?? req.get('x-wix-idempotency-key'),
      write: isWrite(req.method, req.path),
      durationMs: 0,
    };
    res.locals.record = record;
    res.setHeader('x-wix-request-id', record.requestId);
    push(logs.requests, record, options.maxLogEntries);
    if (record.write) {
      push(logs.writes, record, options.maxLogEntries);
      const entry: WriteEntry = {
        seq: record.seq,
        time: started,
        method: req.method,
        path: req.path,
        instanceId: undefined,
        requestId: record.requestId,
        body: undefined,
        applied: false,
        routeStatus: 0,
        answer: 'pending',
      };
      logs.writeLog.add(entry);
      res.locals.writeEntry = entry;
    }
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      record.status = res.writableFinished ? res.statusCode : 0;
      record.durationMs = now() - started;
      const entry = res.locals.writeEntry as WriteEntry | undefined;
      if (entry) {
        entry.instanceId = record.instanceId;
        logs.writeLog.settle(entry, entry.applied ? 'answered' : 'refused');
      }
      logs.events.emit('request', record);
    };
    res.on('finish', finish);
    res.on('close', finish);
    next();
  });

  app.use(express.json({ limit: '1mb' }));
  app.use((req, res, next) => {
    const record = res.locals.record as RequestRecord;
    if (record.write) record.body = req.body;
    const entry = res.locals.writeEntry as WriteEntry | undefined;
    if (entry) entry.body = req.body;
    next();
  });

  app.post('/oauth2/token', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.grant_type !== 'client_credentials') {
      res.status(400).json({
        error: 'unsupported_grant_type',
        error_description: 'grant_type must be client_credentials',
      });
      return;
    }
    if (body.client_id !== options.appId || body.client_secret !== options.appSecret) {
      res
        .status(401)
        .json({ error: 'invalid_client', error_description: 'unknown client_id or wrong client_secret' });
      return;
    }
    const instanceId = typeof body.instance_id === 'string' ? body.instance_id : '';
    if (!data.site(instanceId)) {
      res
        .status(400)
        .json({ error: 'invalid_request', error_description: 'the app is not installed on this instance' });
      return;
    }
    (res.locals.record as RequestRecord).instanceId = instanceId;
    const access_token = tokens.issue(instanceId, options.tokenTtlSeconds, now());
    res.json({ access_token, token_type: 'Bearer', expires_in: options.tokenTtlSeconds });
  });

  // Authentication: bare OAuth token, or API key + wix-site-id (the emulator's site ids are instance ids).
  app.use((req, res, next) => {
    const authorization = req.get('authorization') ?? '';
    let instanceId: string | undefined;
    if (options.apiKey && authorization === options.apiKey) {
      instanceId = req.get('wix-site-id');
    } else {
      const issued = tokens.resolve(authorization, now());
      if (issued?.expired) throw applicationError(401, 'EXPIRED_TOKEN', 'The access token has expired');
      instanceId = issued?.instanceId;
    }
    const site = instanceId ? data.site(instanceId) : undefined;
    if (!site) throw applicationError(401, 'UNAUTHENTICATED', 'Missing or invalid authorization');
    res.locals.site = site;
    (res.locals.record as RequestRecord).instanceId = site.instanceId;
    next();
  });

  // Rate limit and injected faults, in the order a gateway would apply them.
  app.use(async (req, res, next) => {
    const instanceId = (res.locals.record as RequestRecord).instanceId as string;
    const at = now();
    const overMs = rateWindow.hit(instanceId, at);
    const entry = res.locals.writeEntry as WriteEntry | undefined;
    const { latencyMs, action, afterApply } = faults.decide(instanceId, req.path, at, entry !== undefined);
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (action?.kind === 'storm') {
      rateWindow.rejected(instanceId);
      const error = applicationError(429, 'TOO_MANY_REQUESTS', 'Too many requests');
      throw new WixHttpError(429, error.body, retryHeaders(action.retryAfter, action.untilMs - at, at));
    }
    if (overMs !== undefined) {
      rateWindow.rejected(instanceId);
      const error = applicationError(429, 'TOO_MANY_REQUESTS', 'Rate limit exceeded for this app instance');
      throw new WixHttpError(429, error.body, retryHeaders(options.rateLimitHeaders, overMs, at));
    }
    if (action?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (action?.kind === 'server-error') throw serverError(action.status);
    if (entry) recordApplied(res, entry, logs, afterApply);
    next();
  });

  app.use(ecomRoutes(ctx));
  app.use(contactRoutes(ctx));
  app.use(crmRoutes(ctx));
  app.use(storesRoutes());
  app.use(cmsRoutes());
  app.use(ecomCancelRoutes(ctx));
  app.use(membersRoutes());
  app.use(storesProductRoutes());
  app.use(contactWriteRoutes(ctx));
  app.use(eventsRoutes());
  app.use(cmsWriteRoutes(ctx));
  app.use(storesSearchRoutes());
  app.use(storesWriteRoutes(ctx));
  app.use(ecomWriteRoutes(ctx));
  app.use(bookingsRoutes(ctx));

  app.use(() => {
    throw applicationError(404, 'NOT_FOUND', 'No such endpoint');
  });

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    if (error instanceof WixHttpError) {
      res.status(error.status).set(error.headers).json(error.body);
      return;
    }
    const parseFailure = error as { type?: string; status?: number };
    if (parseFailure.type === 'entity.parse.failed') {
      const bad = validationError([{ field: '(body)', description: 'invalid JSON', violatedRule: 'FORMAT' }]);
      res.status(400).json(bad.body);
      return;
    }
    if (parseFailure.type === 'entity.too.large') {
      res.status(413).json({ message: 'Payload too large', details: {} });
      return;
    }
    res.status(500).json(serverError(500).body);
  });

  return { app, logs };
}

/**
 * SANDBOX STAND-IN for the Wix REST API (https://www.wixapis.com), for tests and the demo. It speaks
 * Wix's protocol (OAuth client_credentials, bare-token auth, the `{message, details}` error envelope,
 * `x-wix-request-id`, 429 per app instance) for the endpoints our tools use, over seeded sites.
 * It is not Wix: behaviour Wix does not document is marked as an assumption where it is emulated.
 */
import type { AddressInfo } from 'node:net';
import { createEmulatorApp, releaseHeld, type RequestRecord } from './wix-emulator/app.js';
import { EMULATOR_APP_ID, EmulatorData } from './wix-emulator/data.js';
import { Faults, type RetryAfterStyle, type WixFault } from './wix-emulator/faults.js';
import { RateWindow, type RateLimitRule, type RateStats } from './wix-emulator/rate-window.js';
import { seedDefaultSites } from './wix-emulator/seed.js';
import { TokenStore } from './wix-emulator/tokens.js';
import type { WriteLog } from './wix-emulator/write-log.js';

export type { RequestRecord } from './wix-emulator/app.js';
export * from './wix-emulator/data.js';
export type { RetryAfterStyle, WixFault } from './wix-emulator/faults.js';
export type { WriteAnswer, WriteEntry, WriteLog } from './wix-emulator/write-log.js';
export type { RateLimitRule, RateStats } from './wix-emulator/rate-window.js';
export { EMULATOR_INSTANCES, SEED_IDS, seedDefaultSites } from './wix-emulator/seed.js';

/** Default OAuth client secret of the emulator (the client id is `EMULATOR_APP_ID`). */
export const EMULATOR_APP_SECRET = 'wix-emulator-secret';

export interface WixEmulatorOptions {
  /** Port; 0 (default) picks a free one. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Requests per minute per site. Default 200 (Wix's documented limit). Ignored when `rateLimit` is set. */
  rateLimitPerMinute?: number;
  /** Limit per site as `{limit, windowMs}` (tests scale time down), or false for none. */
  rateLimit?: RateLimitRule | false;
  /** Header on the limiter's 429s. Default `none`: Wix documents no Retry-After. */
  rateLimitHeaders?: RetryAfterStyle;
  /** OAuth client id. Default `EMULATOR_APP_ID`. */
  appId?: string;
  /** OAuth client secret. Default `EMULATOR_APP_SECRET`. */
  appSecret?: string;
  /** Accept this API key (with `wix-site-id: <instance id>`). Default: API keys refused. */
  apiKey?: string;
  /** Lifetime of issued tokens. Default 14_400 (4 hours, as Wix). */
  tokenTtlSeconds?: number;
  /** Fills the data; also run by `reset()`. Default `seedDefaultSites` (three sites). */
  seed?: (data: EmulatorData) => void;
  /** Time source. Default Date.now. */
  now?: () => number;
  /** Entries kept in each request log. Default 50_000. */
  maxLogEntries?: number;
}

export interface WixEmulator {
  /** Base URL, to use as `WIX_API_BASE_URL`. */
  url: string;
  appId: string;
  appSecret: string;
  /** The sites and their data; add entities with its helpers (addContact, addOrder, ...). */
  data: EmulatorData;
  /** Every request received, in arrival order. */
  requests: RequestRecord[];
  /** Every write request received (method, path, body, instanceId, idempotency key, time, status). */
  writes: RequestRecord[];
  /**
   * Every write with whether it took effect (`applied`), whatever answer the client got. Also served at
   * `GET <url>/_emulator/writes`; faults can be set over HTTP with `POST <url>/_emulator/faults`.
   */
  writeLog: WriteLog;
  /** Injects trouble; faults add up until `clearFaults()`. */
  setFault(fault: WixFault): void;
  /**
   * Sends the answers held by `holdAnswers` faults (also `POST <url>/_emulator/release`); returns how
   * many were held.
   */
  releaseHeld(): number;
  clearFaults(): void;
  /** Makes every token issued so far expired (for one site, or all); the next call with one gets 401. */
  expireTokens(instanceId?: string): number;
  /** What the emulator observed for one site: requests, 429s, most requests in any window. */
  rate(instanceId: string): RateStats;
  /** Calls the listener when a request has been answered (or dropped). Returns an unsubscribe. */
  onRequest(listener: (record: RequestRecord) => void): () => void;
  /** Resolves with the first answered request matching the predicate (already answered ones count). */
  waitForRequest(
    predicate: (record: RequestRecord) => boolean,
    options?: { timeoutMs?: number },
  ): Promise<RequestRecord>;
  /** Clears logs, faults and rate windows and seeds the data again. Issued tokens stay valid. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts the emulator on its own HTTP server. */
export async function startWixEmulator(options: WixEmulatorOptions = {}): Promise<WixEmulator> {
  const now = options.now ?? Date.now;
  const seed = options.seed ?? seedDefaultSites;
  const rule =
    options.rateLimit === false
      ? undefined
      : (options.rateLimit ?? { limit: options.rateLimitPerMinute ?? 200, windowMs: 60_000 });
  const data = new EmulatorData(now);
  seed(data);
  const tokens = new TokenStore();
  const faults = new Faults();
  const rateWindow = new RateWindow(rule);
  const appId = options.appId ?? EMULATOR_APP_ID;
  const appSecret = options.appSecret ?? EMULATOR_APP_SECRET;
  const { app, logs } = createEmulatorApp({
    data,
    tokens,
    faults,
    rateWindow,
    appId,
    appSecret,
    apiKey: options.apiKey,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 14_400,
    rateLimitHeaders: options.rateLimitHeaders ?? 'none',
    now,
    maxLogEntries: options.maxLogEntries ?? 50_000,
  });

  const server = app.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { address, port } = server.address() as AddressInfo;

  return {
    url: `http://${address}:${port}`,
    appId,
    appSecret,
    data,
    requests: logs.requests,
    writes: logs.writes,
    writeLog: logs.writeLog,
    setFault: (fault) => faults.add(fault, now()),
    clearFaults: () => faults.clear(),
    releaseHeld: () => releaseHeld(logs),
    expireTokens: (instanceId) => tokens.expire(instanceId, now()),
    rate: (instanceId) => rateWindow.stats(instanceId),
    onRequest(listener) {
      logs.events.on('request', listener);
      return () => logs.events.off('request', listener);
    },
    waitForRequest(predicate, { timeoutMs = 10_000 } = {}) {
      const done = logs.requests.find((r) => r.status !== 0 && predicate(r));
      if (done) return Promise.resolve(done);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          logs.events.off('request', listener);
          reject(new Error(`no matching request within ${timeoutMs} ms`));
        }, timeoutMs);
        const listener = (record: RequestRecord) => {
          if (!predicate(record)) return;
          clearTimeout(timer);
          logs.events.off('request', listener);
          resolve(record);
        };
        logs.events.on('request', listener);
      });
    },
    reset() {
      logs.requests.length = 0;
      logs.writes.length = 0;
      logs.writeLog.clear();
      faults.clear();
      releaseHeld(logs);
      rateWindow.reset();
      data.sites.clear();
      seed(data);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

import { afterEach, describe, expect, it } from 'vitest';
import { EMULATOR_INSTANCES, SEED_IDS } from '../../src/sandbox/wix-emulator.js';
import type { WixRequest } from '../../src/wix/client.js';
import { WixApiError, WixOutcomeUnknownError } from '../../src/wix/errors.js';
import { startHarness, type Harness } from './support.js';
import { waitFor } from '../support/wait.js';

const site = EMULATOR_INSTANCES.coffee;
const orderId = SEED_IDS.coffee.orders.priyaNew;
const getOrder: WixRequest = { method: 'GET', path: `/ecom/v1/orders/${orderId}`, instanceId: site };
const addNote = (extra: Partial<WixRequest> = {}): WixRequest => ({
  method: 'POST',
  path: `/ecom/v1/orders/${orderId}/activities/add`,
  body: { orderActivities: [{ activityType: 'MERCHANT_COMMENT', merchantComment: { message: 'hello' } }] },
  instanceId: site,
  ...extra,
});

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const apiRequests = (path: string) => h.emulator.requests.filter((r) => r.path === path);
const tokenRequests = () => h.emulator.requests.filter((r) => r.path === '/oauth2/token');

describe('WixClient errors', () => {
  it('turns a 400 into a VALIDATION_ERROR with field violations and the request id', async () => {
    h = await startHarness();
    const error = await h.client
      .request({ method: 'POST', path: '/crm/tasks/v2/tasks', body: { task: {} }, instanceId: site })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WixApiError);
    const wix = error as WixApiError;
    expect(wix).toMatchObject({ status: 400, code: 'VALIDATION_ERROR', retryable: false });
    expect(wix.fieldViolations).toContainEqual(
      expect.objectContaining({ field: 'task.title', violatedRule: 'REQUIRED_FIELD' }),
    );
    expect(wix.requestId).toBe(apiRequests('/crm/tasks/v2/tasks')[0]?.requestId);
    expect(wix.requestId).toMatch(/^\d+\.\d+$/);
  });

  it('takes the code of an application error (404, 409, 428) and does not retry it', async () => {
    h = await startHarness();
    const notFound = await h.client
      .request({ ...getOrder, path: '/ecom/v1/orders/missing' })
      .catch((e: unknown) => e);
    expect(notFound).toMatchObject({ status: 404, code: 'ORDER_NOT_FOUND', retryable: false });
    const conflict = await h.client
      .request({
        method: 'POST',
        path: '/contacts/v4/labels',
        body: { displayName: 'VIP!' },
        instanceId: site,
      })
      .catch((e: unknown) => e);
    expect(conflict).toMatchObject({
      status: 409,
      code: 'LABEL_ALREADY_EXISTS',
      retryable: false,
      data: { key: 'custom.vip' },
    });
    const wrongCatalog = await h.client
      .request({
        method: 'POST',
        path: '/stores/v3/products/query',
        body: {},
        read: true,
        instanceId: EMULATOR_INSTANCES.bakery,
      })
      .catch((e: unknown) => e);
    expect(wrongCatalog).toMatchObject({ status: 428, code: 'CATALOG_V1_SITE_CALLING_CATALOG_V3_API' });
    expect(apiRequests('/ecom/v1/orders/missing')).toHaveLength(1);
  });
});

describe('WixClient retries', () => {
  it('retries reads (GET and POST read: true) after 5xx and succeeds', async () => {
    h = await startHarness();
    h.emulator.setFault({ path: getOrder.path, serverErrors: 2 });
    const got = await h.client.request<{ order: { id: string } }>(getOrder);
    expect(got.data.order.id).toBe(orderId);
    expect(got.attempts).toBe(3);
    expect(apiRequests(getOrder.path).map((r) => r.status)).toEqual([503, 503, 200]);

    h.emulator.setFault({ path: '/ecom/v1/orders/search', serverErrors: 1, serverErrorStatus: 500 });
    const searched = await h.client.request({
      method: 'POST',
      path: '/ecom/v1/orders/search',
      body: {},
      read: true,
      instanceId: site,
    });
    expect(searched.attempts).toBe(2);
    expect(await h.registry.getSingleMetricAsString('wix_api_retries_total')).toContain(
      'reason="server_error"} 3',
    );
  });

  it('never re-sends a write after a 5xx: its outcome is unknown (Wix honours no idempotency key)', async () => {
    h = await startHarness();
    const path = addNote().path;
    h.emulator.setFault({ path, serverErrors: 1 });
    const error = await h.client.request(addNote()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WixOutcomeUnknownError);
    expect(error).toMatchObject({ status: 503, code: 'WRITE_OUTCOME_UNKNOWN', retryable: false });
    expect((error as WixOutcomeUnknownError).requestId).toBe(apiRequests(path)[0]?.requestId);
    expect(apiRequests(path)).toHaveLength(1);
    expect(apiRequests(path)[0]?.idempotencyKey).toBeUndefined();
  });

  it('gives up after maxRetries', async () => {
    h = await startHarness({ client: { retry: { maxRetries: 2, baseMs: 1, maxMs: 5 } } });
    h.emulator.setFault({ path: getOrder.path, serverErrors: 10 });
    await expect(h.client.request(getOrder)).rejects.toMatchObject({ status: 503, retryable: true });
    expect(apiRequests(getOrder.path)).toHaveLength(3);
  });

  it('retries a read after a dropped connection; a write whose connection dropped has an unknown outcome', async () => {
    h = await startHarness();
    h.emulator.setFault({ path: getOrder.path, dropConnections: 1 });
    await expect(h.client.request(getOrder)).resolves.toMatchObject({ status: 200, attempts: 2 });
    h.emulator.setFault({ path: addNote().path, dropConnections: 1 });
    await expect(h.client.request(addNote())).rejects.toMatchObject({
      status: 0,
      code: 'WRITE_OUTCOME_UNKNOWN',
      retryable: false,
    });
    expect(apiRequests(addNote().path)).toHaveLength(1);
  });

  it('re-sends a write whose connection was refused (it never left)', async () => {
    h = await startHarness();
    let calls = 0;
    const refusing: typeof fetch = (input, init) => {
      calls += 1;
      if (calls === 1) {
        return Promise.reject(
          new TypeError('fetch failed', {
            cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
          }),
        );
      }
      return fetch(input, init);
    };
    h = await startHarness({ client: { fetch: refusing } });
    await expect(h.client.request(addNote())).resolves.toMatchObject({ status: 200, attempts: 2 });
    expect(h.emulator.writeLog.applied()).toHaveLength(1);
  });

  it('an attempt slower than timeoutMs is a retryable TIMEOUT', async () => {
    h = await startHarness({ client: { timeoutMs: 100, retry: { maxRetries: 0 } } });
    h.emulator.setFault({ path: getOrder.path, latencyMs: 400 });
    await expect(h.client.request(getOrder)).rejects.toMatchObject({
      status: 0,
      code: 'TIMEOUT',
      retryable: true,
    });
  });
});

describe('WixClient auth', () => {
  it('sends the bare token; concurrent callers share one token request', async () => {
    h = await startHarness();
    await Promise.all(Array.from({ length: 10 }, () => h.client.request(getOrder)));
    expect(tokenRequests()).toHaveLength(1);
    expect(apiRequests(getOrder.path).every((r) => r.status === 200)).toBe(true);
  });

  it('a 401 (expired token) renews the token once and sends the request again', async () => {
    h = await startHarness();
    await h.client.request(getOrder);
    expect(h.emulator.expireTokens(site)).toBe(1);
    const result = await h.client.request(getOrder);
    expect(result.status).toBe(200);
    expect(apiRequests(getOrder.path).map((r) => r.status)).toEqual([200, 401, 200]);
    expect(tokenRequests()).toHaveLength(2);
  });

  it('a second 401 in a row is final and not retryable', async () => {
    h = await startHarness({ emulator: { tokenTtlSeconds: 0 } });
    await expect(h.client.request(getOrder)).rejects.toMatchObject({
      status: 401,
      code: 'EXPIRED_TOKEN',
      retryable: false,
    });
    expect(apiRequests(getOrder.path)).toHaveLength(2);
    expect(tokenRequests()).toHaveLength(2);
  });
});

describe('WixClient 429, deadline, abort', () => {
  it.each(['seconds', 'http-date', 'ratelimit-reset'] as const)(
    'honours the wait a 429 names (%s) before sending again',
    async (style) => {
      h = await startHarness();
      h.emulator.setFault({ instanceId: site, rateLimitStormMs: 1000, retryAfter: style });
      const result = await h.client.request(getOrder);
      expect(result.status).toBe(200);
      const [first, second] = apiRequests(getOrder.path);
      expect(first?.status).toBe(429);
      expect(second!.time - first!.time).toBeGreaterThanOrEqual(990);
    },
  );

  it('fails at once with a retryable DEADLINE when a 429 wait would pass the deadline', async () => {
    h = await startHarness();
    h.emulator.setFault({ instanceId: site, rateLimitStormMs: 5000, retryAfter: 'seconds' });
    const started = Date.now();
    const error = await h.client
      .request({ ...getOrder, deadline: Date.now() + 1000 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DEADLINE', retryable: true });
    expect((error as WixApiError).retryAfterMs).toBeGreaterThan(1000);
    expect((error as WixApiError).status).not.toBe(429);
    expect(Date.now() - started).toBeLessThan(500);
    expect(apiRequests(getOrder.path)).toHaveLength(1);
  });

  it('fails at once with DEADLINE when the limiter wait would pass the deadline; nothing is sent', async () => {
    h = await startHarness();
    await h.limiter.penalize(site, 5000);
    const started = Date.now();
    await expect(h.client.request({ ...getOrder, deadline: Date.now() + 500 })).rejects.toMatchObject({
      code: 'DEADLINE',
    });
    expect(Date.now() - started).toBeLessThan(200);
    expect(apiRequests(getOrder.path)).toHaveLength(0);
  });

  it('a 429 naming a wait beyond maxRetryAfterMs fails at once, retryable, with retryAfterMs', async () => {
    h = await startHarness({ client: { retry: { maxRetryAfterMs: 1000 } } });
    h.emulator.setFault({ instanceId: site, rateLimitStormMs: 10_000, retryAfter: 'seconds' });
    await expect(h.client.request(getOrder)).rejects.toMatchObject({
      status: 429,
      retryable: true,
      retryAfterMs: 10_000,
    });
  });

  it('a limiter failure is a retryable WixApiError; nothing is sent', async () => {
    h = await startHarness();
    await h.limiter.close();
    const error = await h.client.request(getOrder).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WixApiError);
    expect(error).toMatchObject({ code: 'LIMITER_CLOSED', retryable: true, status: 0 });
    expect(apiRequests(getOrder.path)).toHaveLength(0);
  });

  it('aborting the signal mid-request ends a read with its reason, and a write as outcome unknown', async () => {
    h = await startHarness({ client: { timeoutMs: 5000, retry: { maxRetries: 0 } } });
    h.emulator.setFault({ path: getOrder.path, latencyMs: 2000 });
    const reading = new AbortController();
    const read = h.client.request({ ...getOrder, signal: reading.signal });
    await waitFor(() => apiRequests(getOrder.path).length > 0 || undefined);
    const reason = new Error('shutdown');
    reading.abort(reason);
    await expect(read).rejects.toBe(reason);

    const note = addNote();
    h.emulator.setFault({ path: note.path, latencyMs: 2000 });
    const writing = new AbortController();
    const write = h.client.request({ ...note, signal: writing.signal });
    await waitFor(() => apiRequests(note.path).length > 0 || undefined);
    writing.abort(reason);
    const error = await write.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WixOutcomeUnknownError);
    expect((error as Error).message).toMatch(/the call was aborted after the write was sent/);
    expect((error as Error).cause).toBe(reason);
  });

  it('aborting the signal rejects a waiting call with its reason', async () => {
    h = await startHarness();
    await h.limiter.penalize(site, 5000);
    const controller = new AbortController();
    const call = h.client.request({ ...getOrder, signal: controller.signal });
    const reason = new Error('shutdown');
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    expect(apiRequests(getOrder.path)).toHaveLength(0);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import {
  EMULATOR_INSTANCES,
  SEED_IDS,
  startWixEmulator,
  type WixEmulator,
} from '../../src/sandbox/wix-emulator.js';

let emulator: WixEmulator;
afterEach(async () => {
  await emulator?.close();
});

async function token(instanceId: string = EMULATOR_INSTANCES.coffee): Promise<string> {
  const response = await fetch(`${emulator.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: emulator.appId,
      client_secret: emulator.appSecret,
      instance_id: instanceId,
    }),
  });
  const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
  expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 14_400 });
  return body.access_token;
}

async function call(path: string, init: { method?: string; token?: string; body?: unknown } = {}) {
  const response = await fetch(`${emulator.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.token ? { authorization: init.token } : {}), 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('Wix emulator protocol', () => {
  it('issues tokens only for the right client and a known instance; every answer has x-wix-request-id', async () => {
    emulator = await startWixEmulator({ rateLimit: false });
    const bad = await call('/oauth2/token', {
      method: 'POST',
      body: {
        grant_type: 'client_credentials',
        client_id: emulator.appId,
        client_secret: 'nope',
        instance_id: EMULATOR_INSTANCES.coffee,
      },
    });
    expect(bad).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(bad.headers.get('x-wix-request-id')).toMatch(/^\d+\.\d+$/);
    const unknown = await call('/oauth2/token', {
      method: 'POST',
      body: {
        grant_type: 'client_credentials',
        client_id: emulator.appId,
        client_secret: emulator.appSecret,
        instance_id: 'other',
      },
    });
    expect(unknown.status).toBe(400);

    const anonymous = await call(`/ecom/v1/orders/${SEED_IDS.coffee.orders.priyaNew}`);
    expect(anonymous).toMatchObject({
      status: 401,
      body: { details: { applicationError: { code: 'UNAUTHENTICATED' } } },
    });
    const bearer = await call(`/ecom/v1/orders/${SEED_IDS.coffee.orders.priyaNew}`, {
      token: `Bearer ${await token()}`,
    });
    expect(bearer.status).toBe(401);
    const ok = await call(`/ecom/v1/orders/${SEED_IDS.coffee.orders.priyaNew}`, { token: await token() });
    expect(ok.status).toBe(200);
    expect(new Set(emulator.requests.map((r) => r.requestId)).size).toBe(emulator.requests.length);
  });

  it("answers in Wix's envelopes: application error, validation error, empty 5xx", async () => {
    emulator = await startWixEmulator({ rateLimit: false });
    const t = await token();
    expect(await call('/contacts/v4/contacts/missing', { token: t })).toMatchObject({
      status: 404,
      body: {
        message: expect.any(String),
        details: { applicationError: { code: 'CONTACT_NOT_FOUND', description: expect.any(String) } },
      },
    });
    const invalid = await call('/ecom/v1/orders/search', {
      method: 'POST',
      token: t,
      body: { search: { cursorPaging: { limit: 500 } } },
    });
    expect(invalid).toMatchObject({
      status: 400,
      body: {
        details: {
          validationError: { fieldViolations: [{ field: 'search.cursorPaging.limit', violatedRule: 'MAX' }] },
        },
      },
    });
    emulator.setFault({ serverErrors: 1, serverErrorStatus: 504 });
    expect(await call('/stores/v3/provision/version', { token: t })).toEqual(
      expect.objectContaining({ status: 504, body: { message: '', details: {} } }),
    );
    expect(await call('/stores/v3/provision/version', { token: t })).toMatchObject({
      status: 200,
      body: { catalogVersion: 'V3_CATALOG' },
    });
    const bakery = await token(EMULATOR_INSTANCES.bakery);
    expect(await call('/stores/v3/provision/version', { token: bakery })).toMatchObject({
      body: { catalogVersion: 'V1_CATALOG' },
    });
    expect(
      await call('/stores/v3/products/query', { method: 'POST', token: bakery, body: {} }),
    ).toMatchObject({
      status: 428,
      body: { details: { applicationError: { code: 'CATALOG_V1_SITE_CALLING_CATALOG_V3_API' } } },
    });
  });

  it('limits each instance separately and records what it observed', async () => {
    emulator = await startWixEmulator({ rateLimit: { limit: 3, windowMs: 60_000 } });
    const [coffee, bakery] = [await token(), await token(EMULATOR_INSTANCES.bakery)];
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await call('/stores/v3/provision/version', { token: coffee })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = emulator.requests.at(-1)!;
    expect(limited).toMatchObject({ status: 429, instanceId: EMULATOR_INSTANCES.coffee });
    expect((await call('/stores/v3/provision/version', { token: bakery })).status).toBe(200);
    expect(emulator.rate(EMULATOR_INSTANCES.coffee)).toMatchObject({
      limit: 3,
      requests: 5,
      rejected: 2,
      maxInWindow: 5,
    });
    expect(emulator.rate(EMULATOR_INSTANCES.bakery)).toMatchObject({ requests: 1, rejected: 0 });
  });

  it('logs writes with body, instance and idempotency key; reset restores the seed', async () => {
    emulator = await startWixEmulator({ rateLimit: false });
    const t = await token();
    const response = await fetch(`${emulator.url}/contacts/v4/labels`, {
      method: 'POST',
      headers: { authorization: t, 'content-type': 'application/json', 'idempotency-key': 'k-1' },
      body: JSON.stringify({ displayName: 'Gift buyer' }),
    });
    expect(response.status).toBe(200);
    await call('/contacts/v4/contacts/query', { method: 'POST', token: t, body: {} });
    expect(emulator.writes).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/contacts/v4/labels',
        body: { displayName: 'Gift buyer' },
        instanceId: EMULATOR_INSTANCES.coffee,
        idempotencyKey: 'k-1',
        status: 200,
        time: expect.any(Number),
      }),
    ]);
    expect(emulator.data.site(EMULATOR_INSTANCES.coffee)?.labels.has('custom.gift-buyer')).toBe(true);
    emulator.reset();
    expect(emulator.writes).toHaveLength(0);
    expect(emulator.data.site(EMULATOR_INSTANCES.coffee)?.labels.has('custom.gift-buyer')).toBe(false);
    expect((await call('/contacts/v4/contacts/query', { method: 'POST', token: t, body: {} })).status).toBe(
      200,
    );
  });

  it('seed helpers add entities that the API then serves', async () => {
    emulator = await startWixEmulator({ rateLimit: false });
    const site = EMULATOR_INSTANCES.studio;
    const contact = emulator.data.addContact(site, { firstName: 'Ada', email: 'ada@example.com' });
    const [product] = emulator.data.site(site)!.products.values();
    const order = emulator.data.addOrder(site, {
      contactId: contact.id,
      items: [{ productId: product!.id, quantity: 2 }],
    });
    const t = await token(site);
    expect(await call(`/ecom/v1/orders/${order.id}`, { token: t })).toMatchObject({
      status: 200,
      body: {
        order: {
          buyerInfo: { contactId: contact.id, email: 'ada@example.com' },
          priceSummary: { total: { amount: '95.00' } },
        },
      },
    });
    const seen = emulator.waitForRequest((r) => r.path === `/ecom/v1/orders/${order.id}` && r.status === 200);
    await expect(seen).resolves.toMatchObject({ instanceId: site });
  });
});

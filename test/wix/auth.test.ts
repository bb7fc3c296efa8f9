import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  EMULATOR_INSTANCES,
  SEED_IDS,
  startWixEmulator,
  type WixEmulator,
} from '../../src/sandbox/wix-emulator.js';
import { createApiKeyAuth, createOAuthAuth } from '../../src/wix/auth.js';
import { WixClient } from '../../src/wix/client.js';
import { MemoryRateLimiter } from '../../src/wix/limiter/memory.js';

let emulator: WixEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});
const tokenRequests = () => emulator!.requests.filter((r) => r.path === '/oauth2/token');

describe('OAuth client_credentials', () => {
  it('caches a token per instance and renews it before it expires', async () => {
    emulator = await startWixEmulator({ rateLimit: false, tokenTtlSeconds: 3600 });
    let now = 1_000_000;
    const auth = createOAuthAuth({
      appId: emulator!.appId,
      appSecret: emulator!.appSecret,
      baseUrl: emulator!.url,
      refreshMarginMs: 300_000,
      clock: { now: () => now },
    });
    const first = await auth.authorize(EMULATOR_INSTANCES.coffee);
    expect(first.headers).toEqual({ authorization: first.token });
    expect(first.token).not.toMatch(/^Bearer /);
    expect((await auth.authorize(EMULATOR_INSTANCES.coffee)).token).toBe(first.token);
    const other = await auth.authorize(EMULATOR_INSTANCES.bakery);
    expect(other.token).not.toBe(first.token);
    expect(tokenRequests()).toHaveLength(2);
    expect(tokenRequests()[0]).toMatchObject({ instanceId: EMULATOR_INSTANCES.coffee, status: 200 });

    now += 3_300_000 - 1; // 1 ms before the 5-minute margin
    expect((await auth.authorize(EMULATOR_INSTANCES.coffee)).token).toBe(first.token);
    now += 1;
    expect((await auth.authorize(EMULATOR_INSTANCES.coffee)).token).not.toBe(first.token);
    expect(tokenRequests()).toHaveLength(3);
  });

  it('invalidate drops only the token the API refused', async () => {
    emulator = await startWixEmulator({ rateLimit: false });
    const auth = createOAuthAuth({
      appId: emulator!.appId,
      appSecret: emulator!.appSecret,
      baseUrl: emulator!.url,
    });
    const old = await auth.authorize(EMULATOR_INSTANCES.coffee);
    auth.invalidate(EMULATOR_INSTANCES.coffee, old);
    const fresh = await auth.authorize(EMULATOR_INSTANCES.coffee);
    auth.invalidate(EMULATOR_INSTANCES.coffee, old); // a late 401 of the old token
    expect((await auth.authorize(EMULATOR_INSTANCES.coffee)).token).toBe(fresh.token);
    expect(tokenRequests()).toHaveLength(2);
  });

  it('a wrong secret is a non-retryable TOKEN_REQUEST_FAILED, also through the client', async () => {
    emulator = await startWixEmulator({ rateLimit: false });
    const auth = createOAuthAuth({ appId: emulator!.appId, appSecret: 'wrong', baseUrl: emulator!.url });
    await expect(auth.authorize(EMULATOR_INSTANCES.coffee)).rejects.toMatchObject({
      code: 'TOKEN_REQUEST_FAILED',
      status: 401,
      retryable: false,
    });
    const client = new WixClient({ auth, limiter: new MemoryRateLimiter(), baseUrl: emulator!.url });
    await expect(
      client.request({
        method: 'GET',
        path: '/stores/v3/provision/version',
        instanceId: EMULATOR_INSTANCES.coffee,
      }),
    ).rejects.toMatchObject({ code: 'TOKEN_REQUEST_FAILED' });
    expect(emulator!.requests.filter((r) => r.path !== '/oauth2/token')).toHaveLength(0);
  });
  it('an answer cut off mid-body is a retryable TOKEN_REQUEST_FAILED', async () => {
    // A token endpoint that promises 200 bytes, sends 20 and drops the connection.
    const cut = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
        res.write('{"access_token":"ab');
        setTimeout(() => res.socket?.destroy(), 20);
      });
    });
    await new Promise<void>((resolve) => cut.listen(0, '127.0.0.1', resolve));
    try {
      const auth = createOAuthAuth({
        appId: 'app',
        appSecret: 'secret',
        baseUrl: `http://127.0.0.1:${(cut.address() as AddressInfo).port}`,
      });
      await expect(auth.authorize(EMULATOR_INSTANCES.coffee)).rejects.toMatchObject({
        code: 'TOKEN_REQUEST_FAILED',
        status: 0,
        retryable: true,
      });
    } finally {
      cut.closeAllConnections();
      await new Promise((resolve) => cut.close(resolve));
    }
  });
});

describe('API key', () => {
  it('sends the key and wix-site-id; a refused key is final', async () => {
    emulator = await startWixEmulator({ rateLimit: false, apiKey: 'IST.key-123' });
    const site = EMULATOR_INSTANCES.coffee;
    const call = (apiKey: string) =>
      new WixClient({
        auth: createApiKeyAuth({ apiKey, siteId: site }),
        limiter: new MemoryRateLimiter(),
        baseUrl: emulator!.url,
      }).request<{
        contact: { id: string };
      }>({ method: 'GET', path: `/contacts/v4/contacts/${SEED_IDS.coffee.contacts.jane}`, instanceId: site });
    expect((await call('IST.key-123')).data.contact.id).toBe(SEED_IDS.coffee.contacts.jane);
    await expect(call('IST.wrong')).rejects.toMatchObject({ status: 401, retryable: false });
    expect(emulator!.requests.map((r) => r.status)).toEqual([200, 401]);
    expect(tokenRequests()).toHaveLength(0);
  });
});

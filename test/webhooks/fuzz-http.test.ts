import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hs256Key, signWebhook } from '../../src/webhooks/sign.js';
import { hsKey, rsKey } from '../support/keys.js';
import { startTestService } from '../support/service.js';

/** JSON text of arrays/objects nested `depth` levels deep (too deep for JSON.stringify to produce). */
function nested(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array'
    ? `${'['.repeat(depth)}"leaf"${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}"leaf"${'}'.repeat(depth)}`;
}

describe('the HTTP endpoint under fuzzing (fast-check)', () => {
  let t: Awaited<ReturnType<typeof startTestService>>;
  beforeAll(async () => {
    t = await startTestService({ WEBHOOK_MAX_BYTES: String(256 * 1024) });
  });
  afterAll(async () => t.service.stop());

  const post = (body: string | Buffer, type = 'text/plain') =>
    request(t.service.app).post('/webhooks/wix').set('content-type', type).send(body);

  it('never answers 2xx or 5xx to forged input of any shape', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)),
          fc.string({ maxLength: 2000 }),
          fc.json(),
          fc.tuple(fc.base64String(), fc.base64String(), fc.base64String()).map((p) => p.join('.')),
        ),
        fc.constantFrom(
          'text/plain',
          'application/json',
          'application/octet-stream',
          'application/x-www-form-urlencoded',
        ),
        async (body, type) => {
          const res = await post(body, type);
          expect([400, 401, 413, 415]).toContain(res.status);
          expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/); // no stack traces
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses tokens signed with the wrong key or algorithm, whatever they carry', async () => {
    await fc.assert(
      fc.asyncProperty(fc.json(), fc.string({ minLength: 1, maxLength: 40 }), async (data, secret) => {
        const token = await signWebhook(
          { eventType: 'wix.ecom.v1.order_created', instanceId: 'i', data },
          hs256Key(`x${secret}`),
        );
        expect((await post(token)).status).toBe(401);
      }),
      { numRuns: 150 },
    );
  });

  it('survives deeply nested and enormous claims signed with the right key: 200 or 413, never a crash', async () => {
    for (const depth of [100, 10_000, 60_000]) {
      for (const kind of ['array', 'object'] as const) {
        const webhook = {
          eventType: 'wix.ecom.v1.order_created',
          instanceId: 'inst',
          // Layer 3 as text: the signer sends a string as is.
          data: `{"id":"deep-${depth}-${kind}","slug":"created","entityFqdn":"wix.ecom.v1.order","entityId":"o","eventTime":"2026-11-20T10:00:00Z","createdEvent":{"entity":{"id":"o","deep":${nested(depth, kind)}}}}`,
        };
        const res = await post(await signWebhook(webhook, hsKey));
        expect([200, 413], `${kind} ${depth}`).toContain(res.status);
        if (res.status === 200) expect(res.body.status).toBe('dead_lettered');
      }
    }
    const huge = {
      eventType: 'wix.contacts.v4.contact_created',
      instanceId: 'inst',
      data: 'x'.repeat(300 * 1024),
    };
    expect((await post(await signWebhook(huge, rsKey))).status).toBe(413);
    expect((await request(t.service.app).get('/healthz')).status).toBe(200);
  });

  it('answers oversized headers at the HTTP layer without reaching the app', async () => {
    const res = await fetch(`${t.url}/webhooks/wix`, {
      method: 'POST',
      headers: { 'x-junk': 'a'.repeat(64 * 1024) },
      body: 'x',
    }).catch((e: Error) => ({ status: e.name }));
    expect(res.status).not.toBe(200);
    expect((await request(t.service.app).get('/healthz')).status).toBe(200);
  });
});

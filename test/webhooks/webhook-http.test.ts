import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bus } from '../../src/bus/port.js';
import { createEmbeddedBus } from '../../src/bus/embedded.js';
import { loadFixtures, withFreshEventId } from '../../src/sandbox/fixtures.js';
import { hs256Key, signWebhook } from '../../src/webhooks/sign.js';
import { fixturesDir, hsKey, rsKey, testKeys } from '../support/keys.js';
import { startTestService } from '../support/service.js';

const fixtures = new Map(loadFixtures([fixturesDir]).map((f) => [f.name, f]));
const fixture = (name: string) => {
  const f = fixtures.get(name);
  if (!f) throw new Error(`no fixture ${name}`);
  return f.webhook;
};
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('POST /webhooks/wix on the real app', () => {
  let t: Awaited<ReturnType<typeof startTestService>>;
  const tokens: string[] = [];
  const sign = async (...args: Parameters<typeof signWebhook>) => {
    const token = await signWebhook(...args);
    tokens.push(token);
    return token;
  };
  // Through the listening server (its listener hands webhooks to the route before Express).
  const post = (body: string, type = 'text/plain') =>
    request(t.url).post('/webhooks/wix').set('content-type', type).send(body);
  const count = async (sql: string, params: unknown[] = []) =>
    Number(
      (await t.service.store.query<{ n: number }>(`SELECT count(*) AS n FROM ${sql}`, params)).rows[0]?.n,
    );
  const metric = async (outcome: string) => {
    const text = await t.service.registry.getSingleMetricAsString('wix_webhook_requests_total');
    const m = new RegExp(`outcome="${outcome}"} (\\d+)`).exec(text);
    return Number(m?.[1] ?? 0);
  };

  beforeAll(async () => {
    t = await startTestService({ WEBHOOK_MAX_BYTES: String(64 * 1024) });
  });
  afterAll(async () => {
    await t.service.stop();
  });

  it('answers webhooks on the Express app too (embedding it), as the server does', async () => {
    const { webhook } = withFreshEventId(fixtures.get('order-created.visitor')!);
    const eventId = (webhook.data as { id: string }).id;
    const token = await signWebhook(webhook, rsKey);
    const viaApp = await request(t.service.app)
      .post('/webhooks/wix')
      .set('content-type', 'text/plain')
      .send(token);
    expect(viaApp.status).toBe(200);
    expect(viaApp.body).toEqual({ status: 'published', eventId });
    expect(await count('bus_events WHERE event_id = $1', [eventId])).toBe(1);
    expect((await request(t.url).get('/webhooks/wix')).status).toBe(404);
    expect((await request(t.url).get('/healthz')).body).toEqual({ status: 'ok' });
  });

  it('publishes a verified order_created (RS256) and answers 200 only once it is in the bus', async () => {
    const webhook = fixture('order-created.multi-item');
    const res = await post(await sign(webhook, rsKey));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'published', eventId: (webhook.data as { id: string }).id });
    const { rows } = await t.service.store.query<{
      payload: Record<string, unknown>;
      key: string;
      topic: string;
    }>('SELECT payload, key, topic FROM bus_events WHERE event_id = $1', [res.body.eventId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ key: webhook.instanceId, topic: 'wix.order_created' });
    expect(rows[0]?.payload).toMatchObject({
      v: 1,
      type: 'order_created',
      instanceId: webhook.instanceId,
      slug: 'created',
    });
  });

  it('publishes a contact_created signed with HS256 (explicit WIX_WEBHOOK_HS256_SECRET), whatever the content type', async () => {
    for (const [name, type] of [
      ['contact-created.wix-forms', 'application/json'],
      ['contact-created.import', 'application/octet-stream'],
      ['contact-created.checkout', 'text/plain; charset=utf-8'],
    ] as const) {
      const res = await post(await sign(fixture(name), hsKey), type);
      expect(res.status, name).toBe(200);
      expect(res.body.status).toBe('published');
    }
  });

  it('answers 200 to a redelivery without publishing it twice', async () => {
    const webhook = fixture('order-created.pickup');
    const id = (webhook.data as { id: string }).id;
    expect((await post(await sign(webhook, rsKey))).body.status).toBe('published');
    const again = await post(await sign(webhook, rsKey));
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('duplicate');
    expect(await count('bus_events WHERE event_id = $1', [id])).toBe(1);
    expect(await metric('duplicate')).toBe(1);
  });

  it('accepts and counts verified events of other types without publishing them', async () => {
    const before = await count('bus_events');
    for (const name of ['order-updated.ignored', 'contact-deleted.ignored', 'app-installed.legacy']) {
      const res = await post(await sign(fixture(name), rsKey));
      expect(res.status, name).toBe(200);
      expect(res.body.status).toBe('ignored');
    }
    expect(await count('bus_events')).toBe(before);
    expect(await metric('ignored')).toBe(3);
    expect(await t.service.registry.getSingleMetricAsString('wix_webhook_ignored_total')).toContain(
      'event_type="AppInstalled"',
    );
  });

  it('dead-letters a correctly signed but invalid envelope with the reason, and answers 200', async () => {
    const before = await count('bus_events');
    for (const name of [
      'order-created.invalid-missing-id-and-time',
      'order-created.invalid-created-and-deleted',
      'contact-created.invalid-entity-as-json',
    ]) {
      const res = await post(await sign(fixture(name), rsKey));
      expect(res.status, name).toBe(200);
      expect(res.body.status).toBe('dead_lettered');
    }
    expect(await count('bus_events')).toBe(before);
    const letters = await t.service.bus.listDeadLetters();
    expect(letters.map((l) => l.reason)).toEqual([
      'invalid_envelope',
      'invalid_envelope',
      'invalid_envelope',
    ]);
    expect(letters.map((l) => l.error).join('\n')).toMatch(/data\.id/);
    expect(letters.every((l) => l.payload && typeof l.payload === 'object')).toBe(true);
  });

  it('refuses forged, altered, expired and malformed tokens with 401 and a short reason, changing nothing', async () => {
    const webhook = fixture('order-created.visitor');
    const before = await count('bus_events');
    const lettersBefore = (await t.service.bus.listDeadLetters()).length;
    const [h, , s] = (await sign(webhook, rsKey)).split('.');
    const cases: [string, string][] = [
      ['altered', `${h}.${b64({ data: JSON.stringify({ ...webhook, instanceId: 'x' }) })}.${s}`],
      ['none', `${b64({ alg: 'none' })}.${b64({ data: JSON.stringify(webhook) })}.`],
      ['expired', await sign(webhook, rsKey, { now: new Date(Date.now() - 3_600_000) })],
      ['garbage', 'definitely not a jwt'],
      ['empty', ''],
      ['json', JSON.stringify(webhook)],
    ];
    for (const [label, body] of cases) {
      const res = await post(body);
      expect(res.status, label).toBe(401);
      expect(res.body.error).toBe('unauthorized');
      expect(typeof res.body.reason).toBe('string');
      expect(res.body.reason.length).toBeLessThan(80);
    }
    expect(await count('bus_events')).toBe(before);
    expect((await t.service.bus.listDeadLetters()).length).toBe(lettersBefore);
    expect(await metric('unauthorized')).toBe(cases.length);
  });

  it('answers 413 to a body over WEBHOOK_MAX_BYTES', async () => {
    const res = await post('x'.repeat(64 * 1024 + 1));
    expect(res.status).toBe(413);
    expect(await metric('too_large')).toBe(1);
  });

  it('serves health, readiness, metrics and 404s', async () => {
    expect((await request(t.service.app).get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await request(t.service.app).get('/readyz')).status).toBe(200);
    const metrics = await request(t.service.app).get('/metrics');
    expect(metrics.text).toContain('wix_webhook_requests_total{outcome="published"}');
    expect(metrics.text).toContain('wix_webhook_duration_seconds_bucket');
    const missing = await request(t.service.app).get('/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'not found' });
  });

  it('never writes a token, key or secret to the log', () => {
    const log = t.logs.lines.join('\n');
    expect(tokens.length).toBeGreaterThan(10);
    for (const token of tokens) {
      for (const part of token.split('.').filter((p) => p.length > 20)) expect(log).not.toContain(part);
    }
    expect(log).not.toContain(testKeys.secret);
    expect(log).not.toContain(testKeys.publicPem.split('\n')[1]);
    const records = t.logs.records();
    expect(records.some((r) => r.outcome === 'unauthorized' && typeof r.reason === 'string')).toBe(true);
    expect(records.some((r) => r.outcome === 'published' && r.eventId && r.instanceId && r.reqId)).toBe(true);
  });
});

describe('when the bus cannot accept the event', () => {
  it('answers 503 with Retry-After when publishing does not finish within the window', async () => {
    const t = await startTestService(
      { WEBHOOK_PUBLISH_TIMEOUT_MS: '100' },
      {
        bus: ({ store, topics }) => {
          const real = createEmbeddedBus({ store, topics });
          const slow: Bus = {
            ...real,
            publish: (e, o) => new Promise((r) => setTimeout(r, 400)).then(() => real.publish(e, o)),
          };
          return slow;
        },
      },
    );
    try {
      const res = await request(t.service.app)
        .post('/webhooks/wix')
        .send(await signWebhook(fixture('order-created.shipping'), rsKey));
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(await t.service.registry.getSingleMetricAsString('wix_webhook_requests_total')).toContain(
        'outcome="unavailable"} 1',
      );
    } finally {
      await t.service.stop();
    }
  });

  it('answers 503 when the store is down, and /readyz says not ready', async () => {
    const t = await startTestService();
    await t.service.store.close();
    const res = await request(t.service.app)
      .post('/webhooks/wix')
      .send(await signWebhook(fixture('order-created.shipping'), rsKey));
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect((await request(t.service.app).get('/readyz')).status).toBe(503);
    await t.service.bus.close();
  });

  it('answers a generic 500 for an unexpected failure, with the cause only in the log', async () => {
    const t = await startTestService(
      {},
      {
        bus: ({ store, topics }) => ({
          ...createEmbeddedBus({ store, topics }),
          publish: async () => {
            throw new TypeError('internal detail: cannot read properties of undefined');
          },
        }),
      },
    );
    try {
      const res = await request(t.service.app)
        .post('/webhooks/wix')
        .send(await signWebhook(fixture('order-created.shipping'), rsKey));
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: 'internal error' });
      expect(res.text).not.toContain('internal detail');
      expect(t.logs.lines.join('\n')).toContain('internal detail');
    } finally {
      await t.service.stop();
    }
  });
});

describe('with no webhook key configured', () => {
  it('refuses every webhook with 401 and says so at startup', async () => {
    const t = await startTestService({ WIX_PUBLIC_KEY: undefined, WIX_WEBHOOK_HS256_SECRET: undefined });
    try {
      const res = await request(t.service.app)
        .post('/webhooks/wix')
        .send(await signWebhook(fixture('order-created.visitor'), rsKey));
      expect(res.status).toBe(401);
      expect(res.body.reason).toContain('WIX_PUBLIC_KEY');
      expect(
        t.logs.records().some((r) => r.level === 'warn' && String(r.msg).includes('WIX_PUBLIC_KEY')),
      ).toBe(true);
    } finally {
      await t.service.stop();
    }
  });
});

describe('webhook algorithm policy: RS256 only unless HS256 is explicitly enabled', () => {
  it(
    'with WIX_PUBLIC_KEY, WIX_APP_ID and WIX_APP_SECRET set, an HS256 token signed with the app secret gets 401',
    { timeout: 90_000 },
    async () => {
      // The usual production setup: the OAuth app secret is configured, WIX_WEBHOOK_HS256_SECRET is not.
      const appSecret = testKeys.secret;
      const t = await startTestService({
        WIX_PUBLIC_KEY: testKeys.publicPem,
        WIX_APP_ID: 'app-id',
        WIX_APP_SECRET: appSecret,
        WIX_WEBHOOK_HS256_SECRET: undefined,
      });
      try {
        const forged = await signWebhook(fixture('order-created.visitor'), hs256Key(appSecret));
        const res = await fetch(t.webhookUrl, {
          method: 'POST',
          body: forged,
          headers: { 'content-type': 'text/plain' },
        });
        expect(res.status).toBe(401);
        expect(await res.json()).toEqual({ error: 'unauthorized', reason: 'algorithm not accepted' });
        const published = await t.service.store.query<{ n: number }>('SELECT count(*) AS n FROM bus_events');
        expect(Number(published.rows[0]?.n)).toBe(0);
        expect(await t.service.registry.getSingleMetricAsString('wix_webhook_requests_total')).toContain(
          'outcome="unauthorized"} 1',
        );
        // An RS256 token still goes through, and the startup log names the accepted algorithms.
        const real = await fetch(t.webhookUrl, {
          method: 'POST',
          body: await signWebhook(fixture('order-created.visitor'), rsKey),
        });
        expect(real.status).toBe(200);
        const ready = t.logs.records().find((r) => String(r.msg).startsWith('webhook verification ready'));
        expect(ready?.algorithms).toEqual(['RS256']);
      } finally {
        await t.service.stop();
      }
    },
  );

  it(
    'accepts HS256 only with WIX_WEBHOOK_HS256_SECRET, and logs both algorithms',
    { timeout: 90_000 },
    async () => {
      const t = await startTestService({ WIX_WEBHOOK_HS256_SECRET: testKeys.secret });
      try {
        const res = await fetch(t.webhookUrl, {
          method: 'POST',
          body: await signWebhook(fixture('order-created.visitor'), hsKey),
        });
        expect(res.status).toBe(200);
        const ready = t.logs.records().find((r) => String(r.msg).startsWith('webhook verification ready'));
        expect(ready?.algorithms).toEqual(['RS256', 'HS256']);
      } finally {
        await t.service.stop();
      }
    },
  );
});

describe('order approved routing', () => {
  it(
    'publishes wix.ecom.v1.order_approved as its own event type with the order from actionEvent.body.order',
    { timeout: 90_000 },
    async () => {
      const t = await startTestService();
      try {
        const webhook = fixture('order-approved.shipping');
        const res = await fetch(t.webhookUrl, { method: 'POST', body: await signWebhook(webhook, rsKey) });
        expect(res.status).toBe(200);
        const body = (await res.json()) as { status: string; eventId: string };
        expect(body.status).toBe('published');
        const { rows } = await t.service.store.query<{ payload: Record<string, unknown>; topic: string }>(
          'SELECT payload, topic FROM bus_events WHERE event_id = $1',
          [body.eventId],
        );
        const order = (webhook.data as { actionEvent: { body: { order: { id: string } } } }).actionEvent.body
          .order;
        expect(rows[0]?.topic).toBe('wix.order_approved');
        expect(rows[0]?.payload).toMatchObject({
          type: 'order_approved',
          eventType: 'wix.ecom.v1.order_approved',
          slug: 'approved',
          entity: { id: order.id },
        });
        const invalid = await fetch(t.webhookUrl, {
          method: 'POST',
          body: await signWebhook(fixture('order-approved.invalid-no-order'), rsKey),
        });
        expect(((await invalid.json()) as { status: string }).status).toBe('dead_lettered');
        const [letter] = await t.service.bus.listDeadLetters();
        expect(letter?.error).toMatch(/order.*actionEvent/);
      } finally {
        await t.service.stop();
      }
    },
  );
});

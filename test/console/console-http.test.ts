/** The console over plain HTTP: off without ADMIN_TOKEN, the sign-in and CSRF rules, the arrivals log. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixtures } from '../../src/sandbox/fixtures.js';
import { signWebhook } from '../../src/webhooks/sign.js';
import { fixturesDir, rsKey } from '../support/keys.js';
import { startTestService } from '../support/service.js';
import { waitFor } from '../support/wait.js';

const fixtures = new Map(loadFixtures([fixturesDir]).map((f) => [f.name, f.webhook]));
const webhook = (name: string) => fixtures.get(name)!;
const TOKEN = 'console-http-test-token';
/** True when the page lists an arrival with this outcome (its tag, not the filter's option). */
const listed = (page: string, outcome: string) =>
  page.includes(`<span class="tag tag-`) && new RegExp(`class="tag tag-\\w+">${outcome}<`).test(page);

describe('console off', () => {
  it('answers 404 with how to turn it on when ADMIN_TOKEN is not set, and records no arrivals', async () => {
    const t = await startTestService({}, { handlers: [] });
    try {
      const res = await fetch(`${t.url}/console/events`);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('ADMIN_TOKEN');
      expect((await fetch(t.webhookUrl, { method: 'POST', body: 'not a jwt' })).status).toBe(401);
      const { rows } = await t.service.store.query<{ n: number }>(
        'SELECT count(*) AS n FROM webhook_arrivals',
      );
      expect(Number(rows[0]!.n)).toBe(0);
    } finally {
      await t.service.stop();
    }
  }, 60_000);
});

describe('console on', () => {
  let t: Awaited<ReturnType<typeof startTestService>>;
  let cookie = '';
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${t.url}${path}`, { headers: { cookie, ...headers }, redirect: 'manual' });
  const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${t.url}${path}`, {
      method: 'POST',
      body: new URLSearchParams(form),
      headers: { cookie, ...headers },
      redirect: 'manual',
    });
  const csrf = async () => /data-csrf="([^"]+)"/.exec(await (await get('/console/events')).text())![1]!;

  beforeAll(async () => {
    t = await startTestService({ ADMIN_TOKEN: TOKEN }, { handlers: [] });
  }, 60_000);
  afterAll(async () => {
    await t.service.stop();
  });

  it('sends a signed-out visitor to the sign-in page, with strict security headers', async () => {
    const res = await get('/console/events');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/login');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const js = await get('/console/assets/console.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect((await get('/console/assets/..%2F..%2Fmain.js')).status).not.toBe(200);
  });

  it('refuses a sign-in form without a same-origin Origin, then signs in with one', async () => {
    expect((await post('/console/login', { token: TOKEN })).status).toBe(403);
    expect((await post('/console/login', { token: TOKEN }, { origin: 'http://evil.example' })).status).toBe(
      403,
    );
    const proxied = await post(
      '/console/login',
      { token: TOKEN },
      {
        origin: 'https://ops.example.com',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'ops.example.com',
      },
    );
    expect(proxied.status).toBe(303); // behind a proxy: the origin the browser used
    expect(proxied.headers.get('set-cookie')).toMatch(/; Secure/);
    const res = await post('/console/login', { token: TOKEN }, { origin: t.url });
    expect(res.status).toBe(303);
    const set = res.headers.get('set-cookie')!;
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    expect(set).not.toContain(TOKEN);
    cookie = set.split(';')[0]!;
    expect((await get('/console/events')).status).toBe(200);
  });

  it('logs every webhook answered, with its outcome, in the events page (filterable)', async () => {
    expect((await fetch(t.webhookUrl, { method: 'POST', body: 'not a jwt' })).status).toBe(401);
    const ignored = await signWebhook(webhook('order-updated.ignored'), rsKey);
    expect((await fetch(t.webhookUrl, { method: 'POST', body: ignored })).status).toBe(200);
    const invalid = await signWebhook(webhook('order-created.invalid-missing-id-and-time'), rsKey);
    expect((await fetch(t.webhookUrl, { method: 'POST', body: invalid })).status).toBe(200);
    const published = await signWebhook(webhook('order-created.shipping'), rsKey);
    expect((await fetch(t.webhookUrl, { method: 'POST', body: published })).status).toBe(200);

    const page = await waitFor(
      async () => {
        const text = await (await get('/console/events')).text();
        return ['unauthorized', 'ignored', 'dead lettered', 'published'].every((o) => listed(text, o))
          ? text
          : undefined;
      },
      { message: 'all four outcomes listed' },
    );
    expect(page).toContain('wix.ecom.v1.order_updated');
    const onlyIgnored = await (await get('/console/events?outcome=ignored')).text();
    expect(listed(onlyIgnored, 'ignored')).toBe(true);
    expect(listed(onlyIgnored, 'published')).toBe(false);

    const unauthorized = await (await get('/console/events?outcome=unauthorized')).text();
    const refusedId = /href="\/console\/events\/(\d+)">arrival/.exec(unauthorized)?.[1];
    const refused = await (await get(`/console/events/${refusedId}`)).text();
    expect(refused).toContain('the signature did not verify');
  });

  it('refuses state changes without the session’s CSRF token or from another origin', async () => {
    const token = await csrf();
    expect((await post('/console/dead-letters/redrive', { kind: 'x' }, { origin: t.url })).status).toBe(403);
    expect(
      (
        await post(
          '/console/dead-letters/redrive',
          { kind: 'x', _csrf: token },
          { origin: 'http://127.0.0.1:1' },
        )
      ).status,
    ).toBe(403);
    const ok = await post('/console/dead-letters/redrive', { kind: 'x', _csrf: token }, { origin: t.url });
    expect(ok.status).toBe(303);
    const viaScript = await post(
      '/console/dead-letters/redrive',
      { kind: 'x' },
      { origin: t.url, 'x-csrf-token': token, 'x-console-fetch': '1' },
    );
    expect(await viaScript.json()).toEqual({ message: '0 events put back on the bus.' });
  });

  it('signs out: the cookie is cleared', async () => {
    const res = await post('/console/logout', { _csrf: await csrf() }, { origin: t.url });
    expect(res.status).toBe(303);
    expect(res.headers.get('set-cookie')).toMatch(/wea_console=;.*Max-Age=0/);
  });

  it('slows down guessing: after 10 wrong tokens a minute, sign-in answers 429', async () => {
    cookie = '';
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await post('/console/login', { token: `wrong-${i}` }, { origin: t.url })).status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
  });
});

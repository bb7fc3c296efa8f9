import { createSecretKey } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { signWebhook } from '../../src/webhooks/sign.js';
import { importWebhookKeys, verifyWixWebhook } from '../../src/webhooks/verify.js';
import { hsKey, rsKey, testKeys } from '../support/keys.js';

const webhook = { eventType: 'wix.ecom.v1.order_created', instanceId: 'inst-1', data: { id: 'e1' } };
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const opts = { clockToleranceSec: 60 };

const both = await importWebhookKeys({ publicKeyPem: testKeys.publicPem, hs256Secret: testKeys.secret });
const rsOnly = await importWebhookKeys({ publicKeyPem: testKeys.publicPem });
const hsOnly = await importWebhookKeys({ hs256Secret: testKeys.secret });

describe('verifyWixWebhook', () => {
  it('accepts an RS256 token signed with the app key, as Wix signs', async () => {
    const result = await verifyWixWebhook(await signWebhook(webhook, rsKey), rsOnly, opts);
    expect(result.ok).toBe(true);
    if (result.ok)
      expect(JSON.parse(result.claims.data as string)).toMatchObject({ eventType: webhook.eventType });
  });

  it('accepts an HS256 token only with the explicit HS256 secret', async () => {
    expect((await verifyWixWebhook(await signWebhook(webhook, hsKey), hsOnly, opts)).ok).toBe(true);
  });

  it('accepts only the algorithms whose key is configured', async () => {
    expect(await verifyWixWebhook(await signWebhook(webhook, rsKey), hsOnly, opts)).toEqual({
      ok: false,
      reason: 'algorithm not accepted',
    });
    expect(await verifyWixWebhook(await signWebhook(webhook, hsKey), rsOnly, opts)).toEqual({
      ok: false,
      reason: 'algorithm not accepted',
    });
  });

  it('refuses everything, naming the variables, when no key is configured', async () => {
    const result = await verifyWixWebhook(await signWebhook(webhook, rsKey), {}, opts);
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('WIX_PUBLIC_KEY') });
  });

  it('never accepts alg none', async () => {
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ data: JSON.stringify(webhook) })}.`;
    for (const keys of [both, rsOnly, hsOnly]) {
      expect(await verifyWixWebhook(token, keys, opts)).toEqual({
        ok: false,
        reason: 'algorithm not accepted',
      });
    }
  });

  it('refuses algorithm confusion: an HS256 token whose secret is the public key', async () => {
    const forged = await new SignJWT({ data: JSON.stringify(webhook) })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(createSecretKey(Buffer.from(testKeys.publicPem)));
    expect((await verifyWixWebhook(forged, rsOnly, opts)).ok).toBe(false);
    expect(await verifyWixWebhook(forged, both, opts)).toEqual({ ok: false, reason: 'bad signature' });
  });

  it('refuses a token whose payload was altered after signing', async () => {
    const [h, , s] = (await signWebhook(webhook, rsKey)).split('.');
    const tampered = `${h}.${b64({ data: JSON.stringify({ ...webhook, instanceId: 'other' }) })}.${s}`;
    expect(await verifyWixWebhook(tampered, both, opts)).toEqual({ ok: false, reason: 'bad signature' });
  });

  it('refuses an expired token, but allows the configured clock skew', async () => {
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    const expired = await signWebhook(webhook, rsKey, { now: tenMinutesAgo, expiresInSec: 300 });
    expect(await verifyWixWebhook(expired, both, opts)).toEqual({ ok: false, reason: 'token expired' });
    const justExpired = await signWebhook(webhook, rsKey, {
      now: new Date(Date.now() - 330_000),
      expiresInSec: 300,
    });
    expect((await verifyWixWebhook(justExpired, both, opts)).ok).toBe(true);
    expect((await verifyWixWebhook(justExpired, both, { clockToleranceSec: 0 })).ok).toBe(false);
  });

  it('refuses malformed bodies with a short reason', async () => {
    for (const body of ['', 'hello', 'a.b', '{"data":"x"}', 'x.y.z', `${b64({ alg: 'RS256' })}.%%%.abc`]) {
      const result = await verifyWixWebhook(body, both, opts);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason.length).toBeLessThan(80);
    }
  });

  it('answers "malformed token" for any part outside the base64url alphabet or a fourth part, even with a valid signature', async () => {
    const token = await signWebhook(webhook, rsKey);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const mid = payload.length >> 1;
    for (const body of [
      `${header}.${payload.slice(0, mid)}+${payload.slice(mid)}.${signature}`,
      `${header}.${payload.slice(0, mid)}=${payload.slice(mid)}.${signature}`,
      `${header}.${payload}.${signature}=`,
      `${header}.${payload}.${signature}.x`,
      `${header}.${payload}.x.${signature}`,
      `.${payload}.${signature}`,
      `${header}..${signature}`,
      `${header}!.${payload}.${signature}`,
    ]) {
      expect(await verifyWixWebhook(body, rsOnly, opts), body.slice(0, 40)).toEqual({
        ok: false,
        reason: 'malformed token',
      });
    }
  });

  it('tolerates surrounding whitespace (a trailing newline from some senders)', async () => {
    expect((await verifyWixWebhook(`${await signWebhook(webhook, rsKey)}\n`, both, opts)).ok).toBe(true);
  });

  it.each([
    ['a PEM', testKeys.publicPem],
    ['a PEM on one line with escaped \\n', testKeys.publicPem.replace(/\n/g, '\\n')],
    ['base64 of the PEM', Buffer.from(testKeys.publicPem).toString('base64')],
  ])('reads WIX_PUBLIC_KEY given as %s', async (_label, value) => {
    const config = loadConfig({ WIX_PUBLIC_KEY: value });
    const keys = await importWebhookKeys({ publicKeyPem: config.webhook.publicKeyPem });
    expect((await verifyWixWebhook(await signWebhook(webhook, rsKey), keys, opts)).ok).toBe(true);
  });
});

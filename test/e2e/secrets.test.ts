import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { hs256Key, signWebhook } from '../../src/webhooks/sign.js';
import { fixtures, handledFixtures, startEmulators } from '../support/agent-env.js';
import { rsKey, testKeys } from '../support/keys.js';
import { startTestService } from '../support/service.js';
import { waitFor } from '../support/wait.js';

/** Every email address and phone number in the fixtures: customer data that must never be logged. */
function customerContacts(): string[] {
  const found = new Set<string>();
  const visit = (value: unknown, key = ''): void => {
    if (typeof value === 'string') {
      if (/^(email|phone|e164Phone)$/.test(key)) found.add(value);
      if (value.startsWith('{')) {
        try {
          visit(JSON.parse(value));
        } catch {
          // not JSON
        }
      }
    } else if (Array.isArray(value)) value.forEach((v) => visit(v));
    else if (value && typeof value === 'object') Object.entries(value).forEach(([k, v]) => visit(v, k));
  };
  fixtures.forEach((f) => visit(f.webhook));
  return [...found];
}

describe('secrets and customer data never reach logs or metrics', () => {
  it('after the whole pipeline ran, at debug level, with refusals, approvals and errors', async () => {
    const emu = await startEmulators();
    const adminToken = 'admin-token-that-must-not-leak-0123456789';
    const t = await startTestService({
      ...emu.env,
      AGENT_MODE: 'approval',
      ADMIN_TOKEN: adminToken,
      LOG_LEVEL: 'debug',
    });
    const jwts: string[] = [];
    try {
      for (const f of fixtures) {
        const token = await signWebhook(f.webhook, rsKey);
        jwts.push(token);
        await fetch(t.webhookUrl, { method: 'POST', body: token });
      }
      const forged = await signWebhook(fixtures[0]!.webhook, hs256Key('not-the-secret'));
      jwts.push(forged);
      expect((await fetch(t.webhookUrl, { method: 'POST', body: forged })).status).toBe(401);
      emu.wix.expireTokens(); // forces a token refresh: new OAuth tokens flow through the client
      const published = handledFixtures.length;
      await waitFor(
        async () =>
          (await t.service.agents!.audit.listRuns({ limit: 100 })).filter((r) => r.status !== 'running')
            .length >= published,
        {
          timeoutMs: 30_000,
        },
      );
      const auth = { authorization: `Bearer ${adminToken}` };
      const [first] = (await request(t.service.app).get('/api/approvals').set(auth)).body.approvals as {
        id: string;
      }[];
      expect(
        (await request(t.service.app).post(`/api/approvals/${first!.id}/approve`).set(auth)).status,
      ).toBe(200);
      expect(
        (await request(t.service.app).get('/api/runs').set('authorization', 'Bearer wrong')).status,
      ).toBe(401);
      const error = await request(t.service.app).get('/api/runs/%E0%A4%A');
      expect(error.text).not.toMatch(/at .*\.(ts|js):\d+/);

      const metrics = (await request(t.service.app).get('/metrics')).text;
      const output = `${t.logs.lines.join('\n')}\n${metrics}`;
      expect(t.logs.lines.length).toBeGreaterThan(50);
      const leaks: string[] = [];
      const check = (what: string, value: string) => {
        if (value.length >= 6 && output.includes(value)) leaks.push(`${what}: ${value.slice(0, 12)}…`);
      };
      for (const jwt of jwts) for (const part of jwt.split('.')) if (part.length > 16) check('jwt', part);
      check('app secret', emu.wix.appSecret);
      check('hs256 secret', testKeys.secret);
      check('admin token', adminToken);
      check('public key', testKeys.publicPem.split('\n')[2]!);
      for (const contact of customerContacts()) check('customer contact', contact);
      const oauth = output.match(/OAUTH2\.[\w-]{10,}/g) ?? [];
      expect(oauth, 'an OAuth access token').toEqual([]);
      expect(customerContacts().length).toBeGreaterThan(10);
      expect(leaks).toEqual([]);
    } finally {
      await t.service.stop();
      await emu.close();
    }
  }, 90_000);
});

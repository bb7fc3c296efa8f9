import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSet, triggerEvent } from '../../src/sandbox/trigger.js';
import { runCli } from '../support/cli.js';
import { fixturesDir, testKeys } from '../support/keys.js';
import { startTestService } from '../support/service.js';

describe('trigger builds fresh events', () => {
  it('gives new ids every time and applies --set overrides to the entity', () => {
    const a = triggerEvent('order_approved', [
      'buyerNote=Gift wrap, please',
      'priceSummary.total.amount="250.00"',
    ]);
    const b = triggerEvent('wix.ecom.v1.order_approved');
    expect(a.eventId).not.toBe(b.eventId);
    expect(a.entity.id).not.toBe(b.entity.id);
    const order = (a.webhook.data as { actionEvent: { body: { order: Record<string, unknown> } } })
      .actionEvent.body.order;
    expect(order).toMatchObject({
      buyerNote: 'Gift wrap, please',
      priceSummary: { total: { amount: '250.00' } },
    });
    expect(() => triggerEvent('order_aproved')).toThrow(/no builder for "order_aproved"/);
    expect(parseSet('lineItems.0.quantity=3')).toEqual({ path: ['lineItems', '0', 'quantity'], value: 3 });
    expect(() => parseSet('__proto__.x=1')).toThrow(/not a settable path/);
  });
});

describe('trigger and replay --fresh-ids against a running service', () => {
  let t: Awaited<ReturnType<typeof startTestService>>;
  beforeAll(async () => {
    t = await startTestService({}, { definitions: [] });
  });
  afterAll(() => t?.service.stop());

  it('trigger posts a fresh HS256-signed event each time (WIX_WEBHOOK_HS256_SECRET): published twice', async () => {
    const env = { WIX_WEBHOOK_HS256_SECRET: testKeys.secret };
    const args = ['trigger', 'contact_created', '--set', 'info.name.first=Ada', '--url', t.webhookUrl];
    const [one, two] = [await runCli(args, { env }), await runCli(args, { env })];
    for (const r of [one, two]) {
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^200 wix\.contacts\.v4\.contact_created event=\S+ .*"published"/);
    }
    expect(/event=(\S+)/.exec(one.stdout)![1]).not.toBe(/event=(\S+)/.exec(two.stdout)![1]);
  }, 120_000);

  it('replay answers duplicate the second time, and published again with --fresh-ids', async () => {
    const file = `${fixturesDir}contact-created.import.json`;
    const args = ['replay', file, '--url', t.webhookUrl, '--secret', testKeys.secret];
    await runCli(args);
    expect((await runCli(args)).stdout).toContain('"duplicate"');
    const fresh = await runCli([...args, '--fresh-ids']);
    expect(fresh.stdout).toContain('"published"');
  }, 120_000);
});

describe('trigger with nothing listening at the URL', () => {
  it('says nothing is listening there and to start the service first, and exits 1', async () => {
    // A port that was free a moment ago: taken, then released, so the connection is refused.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const url = `http://127.0.0.1:${port}/webhooks/wix`;
    const env = { WIX_WEBHOOK_HS256_SECRET: testKeys.secret };
    const r = await runCli(['trigger', 'order_approved', '--url', url], { env });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /^ERR wix\.ecom\.v1\.order_approved event=\S+ instance=\S+ nothing is listening at http:\/\/127\.0\.0\.1:\d+\/webhooks\/wix: start the service first \(wix-event-agent serve \.\.\.\)/,
    );
    expect(r.stdout).toContain(url);
    expect(r.stdout).not.toContain('fetch failed');
  }, 60_000);
});

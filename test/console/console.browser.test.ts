/**
 * The operator console in a real browser (Debian's Chromium driven by playwright-core) against the real
 * service, the Wix emulator and the sandbox model over HTTP. One browser and one service for the file;
 * the tests run in order and build on each other (sign in → an event → its run → decide its writes).
 * Screenshots of each page land in test-output/console/.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signWebhook } from '../../src/webhooks/sign.js';
import { entityOf, fixture, startEmulators } from '../support/agent-env.js';
import { makeEvent } from '../support/events.js';
import { rsKey } from '../support/keys.js';
import { describeIfServer } from '../support/servers.js';
import { startTestService } from '../support/service.js';
import { waitFor } from '../support/wait.js';
import { findChromium, launchChromium, screenshotDir } from '../support/browser.js';

const chromiumPath = findChromium();
const describeBrowser = describeIfServer(
  Boolean(chromiumPath),
  'Chromium (apt-get install chromium, or set CHROMIUM_PATH)',
);

const TOKEN = `console-test-${randomUUID()}`;
/** A buyer note an attacker controls: it must be shown as text, never become markup or run. */
const HOSTILE_NOTE =
  '<script>window.__pwned = 1</script><img src="x" onerror="window.__pwned = 2"><b id="injected">bold?</b> Please gift wrap it.';

describeBrowser('console in a real browser', () => {
  let emulators: Awaited<ReturnType<typeof startEmulators>>;
  let svc: Awaited<ReturnType<typeof startTestService>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let attacker: Server | undefined;
  const shots = screenshotDir();
  const pageErrors: string[] = [];
  let orderEventId = '';

  const url = () => svc.url;
  const audit = () => svc.service.agents!.audit;
  const shot = (name: string, p: Page = page) => p.screenshot({ path: join(shots, name), fullPage: true });
  // A mark on the window survives in-place updates and disappears on any navigation or reload.
  const markDocument = () => page.evaluate('window.__same = true');
  const sameDocument = () => page.evaluate('window.__same === true');
  const nothingInjected = async () => {
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.locator('#injected').count()).toBe(0);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator('script:not([src])').count()).toBe(0);
  };

  async function sendOrder(note: string): Promise<string> {
    const f = structuredClone(fixture('order-approved.buyer-note'));
    const data = f.webhook.data as { id: string };
    data.id = randomUUID();
    entityOf(f).buyerNote = note;
    const response = await fetch(svc.webhookUrl, {
      method: 'POST',
      body: await signWebhook(f.webhook, rsKey),
    });
    expect(response.status).toBe(200);
    return data.id;
  }

  beforeAll(async () => {
    emulators = await startEmulators();
    svc = await startTestService({ ...emulators.env, ADMIN_TOKEN: TOKEN, AGENT_MODE: 'approval' });
    browser = await launchChromium(chromiumPath!);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('dialog', (dialog) => void dialog.accept());
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()));
    await svc?.service.stop();
    await emulators?.close();
  });

  it('refuses a wrong token: no session cookie, a clear message', async () => {
    await page.goto(`${url()}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/login');
    await page.fill('#token', 'not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That is not the admin token.').waitFor();
    expect((await context.cookies()).find((c) => c.name === 'wea_console')).toBeUndefined();
    await shot('01-login-wrong-token.png');
  });

  it('signs in with the admin token: an HttpOnly, SameSite=Strict cookie, the token never in a URL', async () => {
    await page.fill('#token', TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${url()}/console/events`);
    const cookie = (await context.cookies()).find((c) => c.name === 'wea_console');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console' });
    expect(cookie!.value).not.toContain(TOKEN);
    expect(page.url()).not.toContain(TOKEN);
    expect(await page.evaluate('document.cookie')).not.toContain('wea_console');
    await shot('02-events-empty.png');
  });

  it('shows a triggered event on its own, and its decoded event (customer text as text) on click', async () => {
    await markDocument();
    orderEventId = await sendOrder(HOSTILE_NOTE);
    const link = page.getByRole('link', { name: orderEventId });
    await link.waitFor({ timeout: 15_000 });
    expect(await sameDocument()).toBe(true); // arrived through the live refresh, not a reload
    const row = page.locator('tr', { has: link });
    expect(await row.innerText()).toContain('published');
    expect(await row.innerText()).toContain('order_approved');
    await shot('03-events.png');

    await link.click();
    await page.getByRole('heading', { name: 'Decoded event' }).waitFor();
    expect(await page.locator('pre.json').innerText()).toContain(
      '<script>window.__pwned = 1</script><img src=\\"x\\"',
    );
    await nothingInjected();
    await shot('04-event-decoded.png');
  });

  it('opens the event’s run and reads the plain-English timeline, raw arguments one click away', async () => {
    await waitFor(
      async () => (await audit().listRuns({ eventId: orderEventId })).find((r) => r.status !== 'running'),
      { timeoutMs: 30_000, message: 'the order run finished' },
    );
    const runLink = page.locator('table.runs a').first();
    await runLink.waitFor({ timeout: 10_000 }); // the event page refreshes itself when the run appears
    await runLink.click();
    const timeline = page.locator('ol.timeline');
    await timeline.waitFor();
    await page.getByText('finished: succeeded').waitFor({ timeout: 10_000 });
    const text = await timeline.innerText();
    expect(text).toContain("looked up the buyer's contact");
    expect(text).toContain("searched the orders of the buyer's contact");
    expect(text).toMatch(
      /wants to label the buyer's contact “(first-order|repeat-customer|vip)”: awaiting approval/,
    );
    expect(text).toMatch(
      /wants to create the task “Follow up on order #10318: buyer request” for the buyer's contact/,
    );
    expect(await page.locator('.facts').first().innerText()).toMatch(/Model\s+sandbox/);

    const first = timeline.locator('details').first();
    await first.locator('summary').click();
    expect(await first.locator('pre').first().innerText()).toContain('"contactId"');
    await nothingInjected();
    await shot('05-run-timeline.png');
  });

  it('approves a pending write from the keyboard; it executes in the Wix emulator and shows without a reload', async () => {
    await page.goto(`${url()}/console/approvals`);
    const card = page.locator('article.approval', { hasText: "label the buyer's contact" });
    await card.waitFor();
    await shot('06-approvals.png');
    const id = (await card.getAttribute('data-row'))!;
    const call = (await audit().getCall(id))!;
    const label = (call.arguments as { labels: string[] }).labels[0]!;
    await markDocument();

    await card.getByRole('button', { name: 'Approve' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('#announce', { hasText: 'Approved: the write was executed.' }).waitFor();
    await page.locator(`article[data-row="${id}"] .tag`, { hasText: 'executed' }).waitFor();
    expect(await sameDocument()).toBe(true);
    await shot('07-approved.png');

    const write = emulators.wix.writes.find((w) =>
      w.path.endsWith(
        `/contacts/v4/contacts/${call.arguments && (call.arguments as { contactId: string }).contactId}/labels`,
      ),
    );
    expect(write?.status).toBe(200);
    expect(JSON.stringify(write?.body)).toContain(label);
    const executed = (await audit().getCall(id))!;
    expect(executed).toMatchObject({ status: 'executed', decidedBy: 'console' });

    await page.goto(`${url()}/console/runs/${call.runId}`);
    expect(await page.locator('ol.timeline').innerText()).toContain(
      `labelled the buyer's contact “${label}” (executed, approved by console, Wix request id ${executed.wixRequestId}`,
    );
  });

  it('rejects a pending write: nothing reaches Wix', async () => {
    await page.goto(`${url()}/console/approvals`);
    const card = page.locator('article.approval', { hasText: 'add an internal note to this order' });
    await card.waitFor();
    const id = (await card.getAttribute('data-row'))!;
    const writes = emulators.wix.writes.length;
    await card.getByRole('button', { name: 'Reject' }).click();
    await page.locator('#announce', { hasText: 'Rejected: nothing was written.' }).waitFor();
    expect((await audit().getCall(id))!.status).toBe('rejected');
    expect(emulators.wix.writes.slice(writes).filter((w) => w.path.includes('/activities'))).toEqual([]);
    await shot('08-rejected.png');
  });

  it('shows a buyer note with <script> and HTML as text in the approval, never as markup', async () => {
    await page.goto(`${url()}/console/approvals`);
    const card = page.locator('article.approval', { hasText: 'Follow up on order #10318' });
    await card.waitFor();
    await card.locator('summary').click();
    expect(await card.locator('pre').first().innerText()).toContain(
      '<script>window.__pwned = 1</script><img src=\\"x\\" onerror=\\"window.__pwned = 2\\"><b id=\\"injected\\">bold?</b>',
    );
    await nothingInjected();
    await shot('09-hostile-note-as-text.png');
  });

  it('redrives a dead letter: it leaves the list and the event is handled', async () => {
    const contact = fixture('contact-created.checkout').webhook as {
      instanceId: string;
      data: { createdEvent: { entity: { id: string } } };
    };
    const entity = contact.data.createdEvent.entity;
    const event = makeEvent({
      type: 'contact_created',
      instanceId: contact.instanceId,
      entityId: entity.id,
      entity,
    });
    await svc.service.bus.deadLetter({
      reason: 'max_attempts',
      error: 'Wix answered 503 on every attempt',
      attempts: 5,
      eventId: event.id,
      type: event.type,
      instanceId: event.instanceId,
      payload: event,
    });
    await page.goto(`${url()}/console/dead-letters`);
    const card = page.locator('article.letter', { hasText: event.id });
    await card.waitFor();
    expect(await card.innerText()).toContain('5 attempts');
    await shot('10-dead-letters.png');

    await card.getByRole('button', { name: 'Redrive' }).click();
    await page.locator('#announce', { hasText: '1 event put back on the bus.' }).waitFor();
    await card.waitFor({ state: 'detached', timeout: 10_000 });
    await waitFor(async () => (await audit().listRuns({ eventId: event.id })).length > 0, {
      timeoutMs: 30_000,
      message: 'the redriven event was handled',
    });
    await shot('11-dead-letters-redriven.png');
  });

  it('refuses a cross-site POST (another origin’s form, and a request without the CSRF token)', async () => {
    const pending = (await audit().listCalls({ status: 'pending' }))[0]!;
    const target = `${url()}/console/approvals/${pending.id}/approve`;
    attacker = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(
        `<form id="f" method="post" action="${target}"><input name="_csrf" value="guessed"></form>` +
          `<script>document.getElementById('f').submit()</script>`,
      );
    });
    await new Promise<void>((resolve) => attacker!.listen(0, '127.0.0.1', resolve));
    const attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;

    const refused = page.waitForResponse((r) => r.url() === target);
    await page.goto(attackerUrl);
    expect((await refused).status()).toBe(403);
    await page.getByText('Refused: this request did not come from the console itself.').waitFor();
    await shot('12-cross-site-refused.png');

    // Same origin, signed in, but no CSRF token: refused too.
    const noToken = await context.request.post(target, {
      headers: { origin: url() },
      form: { nothing: '1' },
    });
    expect(noToken.status()).toBe(403);
    expect((await audit().getCall(pending.id))!.status).toBe('pending');
  });

  it('shows health: each dependency ready, the bus backlog, the limiter per site', async () => {
    await page.goto(`${url()}/console/health`);
    const checks = await page.locator('ul.checks').innerText();
    expect(checks).toMatch(/ready\s+store \(sqlite\)/);
    expect(checks).toMatch(/ready\s+bus \(embedded\)/);
    expect(await page.getByText(/waiting on the embedded bus/).count()).toBe(1);
    const orderSite = fixture('order-approved.buyer-note').webhook.instanceId;
    expect(await page.locator('section', { hasText: 'rate limiter' }).innerText()).toContain(orderSite);
    await shot('13-health.png');
  });

  it('is readable on a phone: no sideways scrolling on the approvals page', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    try {
      await phone.addCookies(await context.cookies());
      const p = await phone.newPage();
      await p.goto(`${url()}/console/approvals`);
      await p.locator('article.approval').first().waitFor();
      expect(await p.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await shot('14-approvals-phone.png', p);
    } finally {
      await phone.close();
    }
    expect(pageErrors).toEqual([]);
  });
});

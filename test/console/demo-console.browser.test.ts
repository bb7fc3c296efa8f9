/**
 * `npm run demo -- --keep-running`: the demo prints the console's address and admin token, and the
 * console shows the demo's events, runs and approvals, in a real browser.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runDemo } from '../../src/app/demo.js';
import { describeIfServer } from '../support/servers.js';
import { findChromium, launchChromium, screenshotDir } from '../support/browser.js';

const chromiumPath = findChromium();
const describeBrowser = describeIfServer(
  Boolean(chromiumPath),
  'Chromium (apt-get install chromium, or set CHROMIUM_PATH)',
);

describeBrowser('the demo’s console', () => {
  let demo: { stop(): Promise<void> } | undefined;
  let browser: Browser;
  const lines: string[] = [];

  beforeAll(async () => {
    demo = await runDemo({ keepRunning: true, mode: 'live', port: 0, out: (l) => lines.push(l) });
    browser = await launchChromium(chromiumPath!);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it('prints the console address and token; the console lists the demo’s events, runs and approvals', async () => {
    const printed = lines
      .map((l) => /console: (http:\/\/\S+\/console) \(admin token: (\S+)\)/.exec(l))
      .find(Boolean);
    expect(printed, lines.join('\n')).toBeTruthy();
    const [, consoleUrl, token] = printed!;
    const shots = screenshotDir();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });

    await page.goto(consoleUrl!);
    await page.fill('#token', token!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/console\/events$/);
    const outcomes = await page.locator('table.events tbody tr td:nth-child(2)').allInnerTexts();
    const replayed = lines.map((l) => /Replaying (\d+) fixture webhooks/.exec(l)).find(Boolean);
    expect(replayed, lines.join('\n')).toBeTruthy();
    expect(outcomes.length).toBe(Number(replayed![1])); // every fixture the demo replayed
    expect(new Set(outcomes)).toEqual(new Set(['published', 'ignored', 'dead lettered']));
    await page.screenshot({ path: join(shots, 'demo-events.png'), fullPage: true });

    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    // At least one run per event a handler takes, as many as the demo said it waited for.
    const handled = lines.map((l) => /Waiting for the agents to handle (\d+) events/.exec(l)).find(Boolean);
    expect(handled, lines.join('\n')).toBeTruthy();
    expect(Number(handled![1])).toBeGreaterThan(0);
    expect(await page.locator('table.runs tbody tr').count()).toBeGreaterThanOrEqual(Number(handled![1]));
    await page.screenshot({ path: join(shots, 'demo-runs.png'), fullPage: true });

    await page.getByRole('link', { name: /^Approvals/ }).click();
    const cards = page.locator('article.approval');
    expect(await cards.count()).toBeGreaterThan(0);
    expect(await cards.first().innerText()).toContain('contact-intake wants to');
    await page.screenshot({ path: join(shots, 'demo-approvals.png'), fullPage: true });
  });
});

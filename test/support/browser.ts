import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

/** The browser named by CHROMIUM_PATH when set, else Debian's Chromium (`apt-get install chromium`). */
export function findChromium(): string | undefined {
  const candidates = process.env.CHROMIUM_PATH
    ? [process.env.CHROMIUM_PATH]
    : ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((p) => existsSync(p));
}

/** Launches the installed Chromium headless (no browser download: playwright-core drives it over CDP). */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Where screenshots go (gitignored): test-output/console/. */
export function screenshotDir(): string {
  const dir = fileURLToPath(new URL('../../test-output/console/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  return dir;
}

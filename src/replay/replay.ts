import { signWebhook, type SigningKey } from '../webhooks/sign.js';
import type { Fixture } from './fixtures.js';

export interface ReplayResult {
  fixture: Fixture;
  status: number;
  /** The service's answer (`status`, `eventId`, or `error`/`reason`). */
  body: unknown;
  ms: number;
  error?: string;
}

/** Signs each fixture exactly as Wix does and POSTs it to `url`, one after the other. */
export async function replayFixtures(
  fixtures: readonly Fixture[],
  options: {
    url: string;
    key: SigningKey;
    fetch?: typeof fetch;
    onResult?: (result: ReplayResult, index: number, total: number) => void;
    timeoutMs?: number;
  },
): Promise<ReplayResult[]> {
  const doFetch = options.fetch ?? fetch;
  const results: ReplayResult[] = [];
  for (const [index, fixture] of fixtures.entries()) {
    const started = performance.now();
    let result: ReplayResult;
    try {
      const token = await signWebhook(fixture.webhook, options.key);
      const response = await doFetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: token,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      result = { fixture, status: response.status, body, ms: performance.now() - started };
    } catch (error) {
      result = {
        fixture,
        status: 0,
        body: null,
        ms: performance.now() - started,
        error: (error as Error).message,
      };
    }
    results.push(result);
    options.onResult?.(result, index, fixtures.length);
  }
  return results;
}

import { signWebhook, type SigningKey } from '../webhooks/sign.js';
import type { Fixture } from './fixtures.js';

export interface ReplayResult {
  fixture: Fixture;
  status: number;
  /** The service's answer (`status`, `eventId`, or `error`/`reason`). */
  body: unknown;
  ms: number;
  /** Why no answer came: the network error (for a refused connection, what to do about it). */
  error?: string;
}

/**
 * The message for a request that got no answer. A refused connection (the error's `cause.code` is
 * `ECONNREFUSED`, or every address's when the host resolved to several) says nothing listens at `url`;
 * anything else keeps its own message (`fetch failed: <cause>` when fetch wraps one).
 */
export function describeRequestError(error: unknown, url: string): string {
  const cause = (error as { cause?: { code?: unknown; errors?: Array<{ code?: unknown }> } }).cause;
  const refused =
    cause?.code === 'ECONNREFUSED' ||
    (Array.isArray(cause?.errors) &&
      cause.errors.length > 0 &&
      cause.errors.every((e) => e?.code === 'ECONNREFUSED'));
  if (refused) return `nothing is listening at ${url}: start the service first (wix-event-agent serve ...)`;
  const message = (error as Error).message;
  const detail = (cause as Error | undefined)?.message;
  return detail && detail !== message ? `${message}: ${detail}` : message;
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
        error: describeRequestError(error, options.url),
      };
    }
    results.push(result);
    options.onResult?.(result, index, fixtures.length);
  }
  return results;
}

import { Registry } from 'prom-client';
import {
  startWixEmulator,
  type WixEmulator,
  type WixEmulatorOptions,
} from '../../src/sandbox/wix-emulator.js';
import { createOAuthAuth, type WixAuth } from '../../src/wix/auth.js';
import { WixClient, type WixClientOptions } from '../../src/wix/client.js';
import { MemoryRateLimiter } from '../../src/wix/limiter/memory.js';
import type { RateLimiter, RateLimitOptions } from '../../src/wix/limiter/port.js';
import { createWixMetrics, type WixMetrics } from '../../src/wix/metrics.js';
import type { ToolContext } from '../../src/wix/tools/index.js';

export interface Harness {
  emulator: WixEmulator;
  client: WixClient;
  limiter: RateLimiter;
  auth: WixAuth;
  registry: Registry;
  metrics: WixMetrics;
  ctx(instanceId: string, extra?: Partial<ToolContext>): ToolContext;
  close(): Promise<void>;
}

/** Emulator on a random port + a real client (OAuth, limiter, retries) pointed at it. */
export async function startHarness(
  options: {
    emulator?: WixEmulatorOptions;
    limiter?: RateLimitOptions;
    makeLimiter?: () => RateLimiter;
    client?: Partial<WixClientOptions>;
  } = {},
): Promise<Harness> {
  const emulator = await startWixEmulator({ rateLimit: false, ...options.emulator });
  const registry = new Registry();
  const metrics = createWixMetrics(registry);
  const auth = createOAuthAuth({
    appId: emulator.appId,
    appSecret: emulator.appSecret,
    baseUrl: emulator.url,
    metrics,
  });
  const limiter =
    options.makeLimiter?.() ?? new MemoryRateLimiter(options.limiter ?? { limit: 1000, windowMs: 1000 });
  const client = new WixClient({
    auth,
    limiter,
    baseUrl: emulator.url,
    metrics,
    retry: { baseMs: 5, maxMs: 20, rateLimitBaseMs: 20, rateLimitMaxMs: 100 },
    ...options.client,
  });
  return {
    emulator,
    client,
    limiter,
    auth,
    registry,
    metrics,
    ctx: (instanceId, extra = {}) => ({ client, instanceId, ...extra }),
    async close() {
      await limiter.close();
      await emulator.close();
    },
  };
}

/** Most timestamps found in any window of `windowMs` (closed window: both ends count). */
export function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while ((sorted[j] as number) - (sorted[i] as number) > windowMs) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

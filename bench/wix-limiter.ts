/**
 * Drives tool calls for one site at the Wix emulator through the real client and limiter, and
 * reports the rate achieved against the emulator's limit.
 *
 *   node --import tsx bench/wix-limiter.ts [--limit 20] [--window-ms 1000] [--calls 300]
 *     [--concurrency 25] [--burst 1] [--limiter memory|redis] [--redis-url redis://127.0.0.1:6379]
 *
 * Prints a small table, then one JSON object with the figures as the last line.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { EMULATOR_INSTANCES, SEED_IDS, startWixEmulator } from '../src/sandbox/wix-emulator.js';
import { createOAuthAuth } from '../src/wix/auth.js';
import { WixClient } from '../src/wix/client.js';
import { MemoryRateLimiter } from '../src/wix/limiter/memory.js';
import type { RateLimiter } from '../src/wix/limiter/port.js';
import { RedisRateLimiter } from '../src/wix/limiter/redis.js';
import { createWixMetrics } from '../src/wix/metrics.js';
import { getContactTool, getOrderTool, runTool } from '../src/wix/tools/index.js';
import { Registry } from 'prom-client';

const { values } = parseArgs({
  options: {
    limit: { type: 'string', default: '20' },
    'window-ms': { type: 'string', default: '1000' },
    calls: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '25' },
    burst: { type: 'string' },
    limiter: { type: 'string', default: 'memory' },
    'redis-url': { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
  },
});
const limit = Number(values.limit);
const windowMs = Number(values['window-ms']);
const calls = Number(values.calls);
const concurrency = Number(values.concurrency);
const burst = values.burst === undefined ? undefined : Number(values.burst);
const rate = { limit, windowMs, burst };

const emulator = await startWixEmulator({ rateLimit: { limit, windowMs } });
let redis: Redis | undefined;
let limiter: RateLimiter;
if (values.limiter === 'redis') {
  redis = new Redis(values['redis-url'] as string);
  limiter = new RedisRateLimiter({ ...rate, redis, keyPrefix: `bench-${randomUUID()}` });
} else {
  limiter = new MemoryRateLimiter(rate);
}
const registry = new Registry();
const metrics = createWixMetrics(registry);
const auth = createOAuthAuth({ appId: emulator.appId, appSecret: emulator.appSecret, baseUrl: emulator.url });
const client = new WixClient({ auth, limiter, baseUrl: emulator.url, metrics });
const instanceId = EMULATOR_INSTANCES.coffee;
await auth.authorize(instanceId);

const started = performance.now();
let next = 0;
let failures = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < calls) {
      const i = next++;
      const ctx = { client, instanceId };
      try {
        if (i % 2 === 0) await runTool(getOrderTool, ctx, { orderId: SEED_IDS.coffee.orders.priyaNew });
        else await runTool(getContactTool, ctx, { contactId: SEED_IDS.coffee.contacts.jane });
      } catch {
        failures += 1;
      }
    }
  }),
);
const durationMs = performance.now() - started;
const stats = emulator.rate(instanceId);
const spanSeconds = ((stats.lastAt ?? 0) - (stats.firstAt ?? 0)) / 1000;
const achievedPerSecond = spanSeconds > 0 ? (stats.requests - 1) / spanSeconds : 0;
const limitPerSecond = limit / (windowMs / 1000);
const waits = (await metrics.limiterWait.get()).values.find(
  (v) => v.metricName === 'wix_limiter_wait_seconds_sum',
);

await limiter.close();
await redis?.quit();
await emulator.close();

const result = {
  limiter: values.limiter,
  limit,
  windowMs,
  burst: burst ?? null,
  calls,
  concurrency,
  failures,
  requests: stats.requests,
  rateLimited429: stats.rejected,
  maxInWindow: stats.maxInWindow,
  achievedPerSecond: Number(achievedPerSecond.toFixed(3)),
  limitPerSecond,
  achievedRatio: Number((achievedPerSecond / limitPerSecond).toFixed(3)),
  limiterWaitSecondsTotal: Number((waits?.value ?? 0).toFixed(3)),
  durationMs: Math.round(durationMs),
};

const rows: [string, string][] = [
  ['limiter', String(result.limiter)],
  ['limit', `${limit} / ${windowMs} ms (${limitPerSecond.toFixed(2)}/s)`],
  ['calls (failed)', `${calls} (${failures})`],
  ['429 answers', String(result.rateLimited429)],
  ['max in any window', `${result.maxInWindow} of ${limit}`],
  ['achieved', `${result.achievedPerSecond}/s (${(result.achievedRatio * 100).toFixed(1)}% of limit)`],
  ['duration', `${(durationMs / 1000).toFixed(1)} s`],
];
const width = Math.max(...rows.map(([k]) => k.length));
for (const [key, value] of rows) console.log(`${key.padEnd(width)}  ${value}`);
console.log(JSON.stringify(result));

/**
 * Child process of redis-processes.test.ts: tool calls for one site through a client whose limiter
 * lives in Redis. Prints `ready`, waits for `go` on stdin, runs, prints one JSON line, exits.
 */
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { createOAuthAuth } from '../../src/wix/auth.js';
import { WixClient } from '../../src/wix/client.js';
import { RedisRateLimiter } from '../../src/wix/limiter/redis.js';
import { getContactTool, runTool } from '../../src/wix/tools/index.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} missing`);
  return value;
};

const redis = new Redis(env('REDIS_URL'));
const limiter = new RedisRateLimiter({
  redis,
  keyPrefix: env('KEY_PREFIX'),
  limit: Number(env('LIMIT')),
  windowMs: Number(env('WINDOW_MS')),
  burst: Number(env('BURST')),
});
const auth = createOAuthAuth({
  appId: env('APP_ID'),
  appSecret: env('APP_SECRET'),
  baseUrl: env('EMULATOR_URL'),
});
const client = new WixClient({
  auth,
  limiter,
  baseUrl: env('EMULATOR_URL'),
});
const instanceId = env('INSTANCE_ID');
const contactId = env('CONTACT_ID');
const calls = Number(env('CALLS'));

await auth.authorize(instanceId); // the token request is not an API call
console.log('ready');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line === 'go') break;

let next = 0;
let ok = 0;
const failures: string[] = [];
await Promise.all(
  Array.from({ length: 10 }, async () => {
    while (next < calls) {
      next += 1;
      try {
        await runTool(getContactTool, { client, instanceId }, { contactId });
        ok += 1;
      } catch (error) {
        failures.push(String(error));
      }
    }
  }),
);
console.log(JSON.stringify({ ok, failures }));
await limiter.close();
await redis.quit();
process.exit(0);

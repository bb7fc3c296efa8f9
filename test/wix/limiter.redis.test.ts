import { Redis } from 'ioredis';
import { afterAll, describe, it } from 'vitest';
import { RedisRateLimiter } from '../../src/wix/limiter/redis.js';
import { limiterContract } from './limiter.contract.js';
import { REDIS_URL, redisAvailable, redisMissingMessage } from './redis.js';

const available = await redisAvailable();

if (available) {
  const redis = new Redis(REDIS_URL);
  afterAll(async () => {
    await redis.quit();
  });
  limiterContract('redis', (options) => new RedisRateLimiter({ ...options, redis }), {
    penaltyGranularityMs: 1000,
  });
} else if (process.env.CI === 'true') {
  describe('RateLimiter contract: redis', () => {
    it('needs Redis', () => {
      throw new Error(redisMissingMessage());
    });
  });
} else {
  console.warn(`redis suite skipped: ${redisMissingMessage()}`);
  describe.skip(`RateLimiter contract: redis — ${redisMissingMessage()}`, () => {
    it('runs against Redis', () => {});
  });
}

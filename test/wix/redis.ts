import { Redis } from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** True when a Redis server answers PING at REDIS_URL within a second. */
export async function redisAvailable(url = REDIS_URL): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    retryStrategy: () => null,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** How a suite that needs Redis behaves without it: skipped locally, failed when CI=true. */
export function redisMissingMessage(): string {
  return `no Redis at ${REDIS_URL}${process.env.CI === 'true' ? ' (CI=true: Redis is required)' : ' (skipped; start one or set REDIS_URL)'}`;
}

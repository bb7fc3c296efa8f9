/** Public surface of the Wix client and tools. Adapters (memory, Redis limiters) are exported for the composition root. */
export { createApiKeyAuth, createOAuthAuth, type WixAuth, type WixAuthorization } from './auth.js';
export { WixClient, createWixClient, type WixClientOptions } from './client.js';
export { observeRequests, type ObservedRequest } from './observe.js';
export { wixPath, type WixMethod, type WixRequest, type WixRequester, type WixResponse } from './request.js';
export { WixApiError, type WixErrorCode, type WixFieldViolation } from './errors.js';
export { defaultRetryPolicy, type RetryPolicy } from './retry.js';
export { createWixMetrics, type WixMetrics } from './metrics.js';
export {
  LimiterClosedError,
  LimiterUnavailableError,
  LimiterWaitTooLongError,
  type AcquireOptions,
  type RateLimiter,
  type RateLimitOptions,
} from './limiter/port.js';
export { MemoryRateLimiter, type MemoryLimiterOptions } from './limiter/memory.js';
export { RedisRateLimiter, type RedisLimiterOptions } from './limiter/redis.js';
export * from './tools/index.js';
export * from './entities/order.js';
export * from './entities/contact.js';
export { wixEndpoints, endpointRequest, type WixEndpoint, type WixEndpointName } from './endpoints.js';
export { wixLimits, type WixLimit } from './limits.js';

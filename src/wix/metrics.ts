import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * Metrics of the Wix client, registered on the registry passed in. Labels never carry the site's
 * instance id (unbounded cardinality); logs do.
 */
export function createWixMetrics(registry: Registry) {
  return {
    /** Every answer (or failure to get one): status is the HTTP status, `network` or `timeout`. */
    responses: new Counter({
      name: 'wix_api_responses_total',
      help: 'Wix REST API responses, by method and status (network, timeout when there was no answer)',
      labelNames: ['method', 'status'],
      registers: [registry],
    }),
    requestDuration: new Histogram({
      name: 'wix_api_request_duration_seconds',
      help: 'Time of one HTTP attempt to the Wix REST API, by method',
      labelNames: ['method'],
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    limiterWait: new Histogram({
      name: 'wix_limiter_wait_seconds',
      help: 'Time a Wix request waited for its site rate limiter before being sent',
      buckets: [0, 0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'wix_api_rate_limited_total',
      help: 'HTTP 429 answers from the Wix REST API',
      registers: [registry],
    }),
    retries: new Counter({
      name: 'wix_api_retries_total',
      help: 'Wix requests sent again, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    deadlineExceeded: new Counter({
      name: 'wix_api_deadline_exceeded_total',
      help: 'Wix calls given up because waiting (limiter or 429) would pass their deadline',
      registers: [registry],
    }),
    tokenRequests: new Counter({
      name: 'wix_oauth_token_requests_total',
      help: 'OAuth access token requests, by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}
export type WixMetrics = ReturnType<typeof createWixMetrics>;

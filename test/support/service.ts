import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/load.js';
import { createService, type ServiceOptions } from '../../src/app/service.js';
import { eventLog } from './service-events.js';
import { createLogger } from '../../src/observability/logger.js';
import { createRegistry } from '../../src/observability/metrics.js';
import { testKeys } from './keys.js';

/** Collects pino's JSON lines so tests can read (and scan) the logs. */
export function logSink() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, destination, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/**
 * The real service, built by the real composition root, on an in-memory embedded store unless `env`
 * says otherwise. Both test keys are configured by default: RS256 (`WIX_PUBLIC_KEY`) and the explicit
 * HS256 opt-in (`WIX_WEBHOOK_HS256_SECRET` = `fixtures/keys/test-hs256.secret`).
 */
export async function startTestService(
  env: Record<string, string | undefined> = {},
  options: ServiceOptions = {},
) {
  const sink = logSink();
  const fullEnv = {
    DATA_DIR: 'memory://',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'debug',
    WIX_PUBLIC_KEY: testKeys.publicPem,
    WIX_WEBHOOK_HS256_SECRET: testKeys.secret,
    RETRY_BASE_MS: '10',
    RETRY_MAX_MS: '50',
    ...env,
  };
  const config = loadConfig(fullEnv);
  const service = await createService(config, {
    env: fullEnv,
    logger: createLogger({ level: 'debug', destination: sink.destination }),
    registry: createRegistry({ defaultMetrics: false }),
    pollIntervalMs: 20,
    ...options,
  });
  // Recorded from before the first webhook: tests wait on these (see service-events.ts).
  const runs = eventLog(service.events, 'run');
  const settled = eventLog(service.events, 'settled');
  const { url } = await service.start();
  return { service, url: url!, webhookUrl: `${url}/webhooks/wix`, logs: sink, runs, settled };
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { webhookRoute } from '../../src/webhooks/route.js';
import { createLogger } from '../../src/observability/logger.js';
import { createCoreMetrics, createRegistry } from '../../src/observability/metrics.js';
import type { IngestResult } from '../../src/webhooks/ingest.js';
import { logSink } from '../support/service.js';

const SECRET = 'configured-secret-value-1234';

/** The route on a real HTTP server, ingesting every body as `result`; returns its URL and log lines. */
async function serve(result: IngestResult) {
  const sink = logSink();
  const route = webhookRoute({
    ingest: async () => result,
    logger: createLogger({ level: 'info', destination: sink.destination, secrets: [SECRET] }),
    metrics: createCoreMetrics(createRegistry({ defaultMetrics: false })),
    maxBytes: 1024,
  });
  const server = createServer((req, res) => void route(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/wix`, sink };
}
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe('the line logged for each webhook taken', () => {
  it('carries the outcome and ids, with configured secret values scrubbed', async () => {
    const { url, sink } = await serve({
      outcome: 'published',
      eventId: `evt-${SECRET}`,
      eventType: 'wix.ecom.v1.order_created',
      type: 'order_created',
      instanceId: 'site-1',
      event: { id: `evt-${SECRET}`, entity: { buyerNote: 'CUSTOMER-TEXT' } } as never,
      publishSeconds: 0.001,
    });
    const res = await fetch(url, { method: 'POST', body: 'x', headers: { 'x-request-id': 'req-1' } });
    expect(res.status).toBe(200);
    const line = sink.records().find((r) => r.msg === 'webhook accepted');
    expect(line).toMatchObject({
      level: 'info',
      reqId: 'req-1',
      outcome: 'published',
      eventId: 'evt-[redacted]',
      type: 'order_created',
      instanceId: 'site-1',
      status: 200,
    });
    expect(sink.lines.join('\n')).not.toContain(SECRET);
    // The event the result carries (customer content) is announced to the service, never logged.
    expect(sink.lines.join('\n')).not.toContain('CUSTOMER-TEXT');
    expect(line).not.toHaveProperty('event');
    expect(line).not.toHaveProperty('publishSeconds');
  });

  it('a refusal goes through the redacting logger: its reason is logged, a secret in it scrubbed', async () => {
    const { url, sink } = await serve({ outcome: 'unauthorized', reason: `bad signature near ${SECRET}` });
    expect((await fetch(url, { method: 'POST', body: 'x' })).status).toBe(401);
    const line = sink.records().find((r) => r.msg === 'webhook refused');
    expect(line).toMatchObject({
      level: 'warn',
      outcome: 'unauthorized',
      reason: 'bad signature near [redacted]',
    });
  });
});

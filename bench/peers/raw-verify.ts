/**
 * Peer (b): a bare `node:http` server running the project's own webhook pipeline without a bus:
 * RS256 verify (key imported once, `verifyWixWebhook`), unwrap and validate (`parseOuter`, `routeFor`,
 * `parseEvent`), build the bus event (`toBusEvent`) and its Kafka record value (`eventRecord`), then
 * answer 200. Shows what verification and parsing cost on their own. Prints `READY <webhook url>`.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventRecord } from '../../src/bus/kafka-records.js';
import { eventTypes } from '../../src/domain/events.js';
import { topicsFor } from '../../src/domain/topics.js';
import { parseEvent, parseOuter } from '../../src/webhooks/envelope.js';
import { routeFor } from '../../src/webhooks/routes.js';
import { toBusEvent } from '../../src/webhooks/to-event.js';
import { importWebhookKeys, verifyWixWebhook } from '../../src/webhooks/verify.js';
import { testKeyPaths } from '../lib/common.js';

const keys = await importWebhookKeys({ publicKeyPem: readFileSync(testKeyPaths.publicPem, 'utf8') });
const topics = topicsFor('wix.', eventTypes);

async function handle(body: string): Promise<[number, string]> {
  const verified = await verifyWixWebhook(body, keys, { clockToleranceSec: 60 });
  if (!verified.ok) return [401, JSON.stringify({ error: 'unauthorized', reason: verified.reason })];
  const outer = parseOuter(verified.claims);
  if (!outer.ok) return [200, JSON.stringify({ status: 'dead_lettered', error: outer.error })];
  const route = routeFor(outer.value.eventType);
  if (!route) return [200, '{"status":"ignored"}'];
  const event = parseEvent(outer.value.data);
  if (!event.ok) return [200, JSON.stringify({ status: 'dead_lettered', error: event.error })];
  const bus = toBusEvent(outer.value, event.value, route, new Date());
  if (!bus.ok) return [200, JSON.stringify({ status: 'dead_lettered', error: bus.error })];
  const record = eventRecord(bus.value, topics);
  return [200, JSON.stringify({ status: 'verified', eventId: bus.value.id, bytes: record.value.length })];
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    handle(Buffer.concat(chunks).toString('utf8')).then(
      ([status, json]) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(json);
      },
      () => {
        res.writeHead(500);
        res.end();
      },
    );
  });
});
server.keepAliveTimeout = 5000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`READY http://127.0.0.1:${port}/webhooks/wix\n`);
});
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});

/**
 * Peer (c): the implementation people typically write from Wix's docs ("handle events with webhooks",
 * self-hosted): Express, `express.text({ type: '*\/*' })`, the official `@wix/sdk` client with
 * `AppStrategy({ appId, publicKey })`, an order-created handler registered on the client, and
 * `client.webhooks.process(body)` in the route; the handler does one kafkajs `producer.send` per event
 * (acks -1) and the route answers 200 after `process` (and so the send) resolved.
 *
 * What differs from the docs, exactly: `@wix/ecom` (whose `orders.onOrderCreated` event definition
 * people import) is not installed here. Its definition is `EventDefinition('wix.ecom.v1.order_created',
 * true, <REST→SDK field renames>)()` from `@wix/sdk-types` (installed as a dependency of `@wix/sdk`);
 * this peer builds the same definition without the renaming transformation (isDomainEvent = true, so
 * the SDK unwraps `createdEvent.entity` as it does for the real module). Everything else is the
 * installed SDK's code: verification (`AppStrategy.decodeJWT`: jose `importSPKI` + `jwtVerify`, per
 * request), the envelope parsing and the handler dispatch.
 *
 * Env: KAFKA_BROKERS, TOPIC, WIX_PUBLIC_KEY (PEM), WIX_APP_ID. Prints `READY <webhook url>`.
 */
import { AppStrategy, createClient } from '@wix/sdk';
import { EventDefinition } from '@wix/sdk-types';
import express from 'express';
import { Kafka, logLevel } from 'kafkajs';
import type { AddressInfo } from 'node:net';

interface OrderCreatedEnvelope {
  entity: { id?: string; [k: string]: unknown };
  metadata: { id?: string; instanceId?: string; [k: string]: unknown };
}

// What `import { orders } from '@wix/ecom'` provides as `orders.onOrderCreated` (minus field renames).
const onOrderCreated = EventDefinition('wix.ecom.v1.order_created', true)<OrderCreatedEnvelope>();

const topic = process.env.TOPIC ?? 'orders';
const kafka = new Kafka({
  clientId: 'typical-wix-webhooks',
  brokers: (process.env.KAFKA_BROKERS ?? '').split(','),
  logLevel: logLevel.ERROR,
});
const producer = kafka.producer({ allowAutoTopicCreation: true });
await producer.connect();

const client = createClient({
  auth: AppStrategy({
    appId: process.env.WIX_APP_ID ?? 'bench-app-id',
    publicKey: process.env.WIX_PUBLIC_KEY ?? '',
  }),
  modules: { orders: { onOrderCreated } },
});

client.orders.onOrderCreated(async (event) => {
  await producer.send({
    topic,
    acks: -1,
    messages: [
      {
        key: event.metadata.instanceId ?? null,
        value: JSON.stringify(event),
        headers: { 'wix-event-id': String(event.metadata.id ?? '') },
      },
    ],
  });
});

const app = express();
app.post('/webhooks/wix', express.text({ type: '*/*' }), async (req, res) => {
  try {
    await client.webhooks.process(req.body as string);
    res.status(200).send();
  } catch (error) {
    console.error(error);
    res.status(500).send();
  }
});

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`READY http://127.0.0.1:${port}/webhooks/wix\n`);
});
process.once('SIGTERM', () => {
  server.close(() => void producer.disconnect().finally(() => process.exit(0)));
  server.closeAllConnections();
});

/**
 * SANDBOX ONLY: `serve --sandbox`. The service runs against the Wix emulator and the sandbox model,
 * verifying webhooks with the published TEST key (fixtures/keys, never for production), and every event
 * it publishes is first put into the emulator, as if Wix had just created the order or contact. With it,
 * `trigger --sandbox <event>` exercises your handlers end to end on one machine.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Bus } from '../bus/port.js';
import type { BusEvent } from '../domain/events.js';
import { seedFromFixtures } from './fixture-seed.js';
import { startWixEmulator, type WixEmulator } from './wix-emulator.js';

/** The published test keys (fixtures/keys): RS256 key pair and HS256 secret. Never for production. */
export function testKeyFiles() {
  const dir = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));
  return {
    privateKey: `${dir}test-private.pem`,
    publicKey: `${dir}test-public.pem`,
    hs256Secret: `${dir}test-hs256.secret`,
  };
}

/** Puts the entity of a bus event into the emulator (its site, the order with buyer and products, or the contact). */
export function seedFromBusEvent(wix: WixEmulator, event: BusEvent): void {
  seedFromFixtures(wix.data, [
    {
      file: 'sandbox',
      name: event.id,
      expect: { outcome: 'published' },
      webhook: {
        eventType: event.eventType,
        instanceId: event.instanceId,
        data: { createdEvent: { entity: event.entity } },
      },
    },
  ]);
}

export interface Sandbox {
  wix: WixEmulator;
  /** Environment for the service: the emulator, the sandbox model, the test public key. */
  env: Record<string, string>;
  /** Wraps the bus: each published event seeds the emulator first. */
  wrapBus(bus: Bus): Bus;
  close(): Promise<void>;
}

export async function startSandbox(options: { port?: number } = {}): Promise<Sandbox> {
  const wix = await startWixEmulator({ port: options.port ?? 0 });
  const keys = testKeyFiles();
  return {
    wix,
    env: {
      WIX_API_BASE_URL: wix.url,
      WIX_APP_ID: wix.appId,
      WIX_APP_SECRET: wix.appSecret,
      LLM_PROVIDER: 'sandbox',
      WIX_PUBLIC_KEY: readFileSync(keys.publicKey, 'utf8'),
    },
    wrapBus: (bus) =>
      Object.assign(Object.create(bus) as Bus, {
        publish: (event: BusEvent, publishOptions?: { signal?: AbortSignal }) => {
          seedFromBusEvent(wix, event);
          return bus.publish(event, publishOptions);
        },
      }),
    close: () => wix.close(),
  };
}

/**
 * SANDBOX ONLY: `serve --sandbox`. The service runs against the Wix emulator and the sandbox model,
 * verifying webhooks with a local SANDBOX key pair (see `sandboxKeyFiles`, never for production), and every event
 * it publishes is first put into the emulator, as if Wix had just created the order or contact. With it,
 * `trigger --sandbox <event>` exercises your handlers end to end on one machine.
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BusEvent } from '../domain/events.js';
import { seedFromFixtures } from '../sandbox/fixture-seed.js';
import { startWixEmulator, type WixEmulator } from '../sandbox/wix-emulator.js';

// The testing kit starts its emulator through here (the stand-ins are wired in src/app/ only).
export { startWixEmulator, type RequestRecord, type WixEmulator } from '../sandbox/wix-emulator.js';
import type { ServiceEvents } from './events.js';

/**
 * The sandbox's RS256 key pair, shared by `serve --sandbox` and `trigger --sandbox` run from the same
 * folder: `<dir>/.wix-event-agent/sandbox-{private,public}.pem`, made on first use (private key mode 0600).
 * The package ships no private key; this one is local and only ever for the sandbox.
 *
 * @param dir the folder holding `.wix-event-agent/`; default the working directory.
 * @returns the two files' paths.
 */
export function sandboxKeyFiles(dir: string = process.cwd()): { privateKey: string; publicKey: string } {
  const folder = resolve(dir, '.wix-event-agent');
  const files = {
    privateKey: join(folder, 'sandbox-private.pem'),
    publicKey: join(folder, 'sandbox-public.pem'),
  };
  if (!existsSync(files.privateKey) || !existsSync(files.publicKey)) {
    mkdirSync(folder, { recursive: true });
    const keys = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    writeFileSync(files.privateKey, keys.privateKey, { mode: 0o600 });
    writeFileSync(files.publicKey, keys.publicKey);
  }
  return files;
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

/**
 * The sandbox's environment recipe, in one place for `serve --sandbox`, the demo and the testing kit:
 * the Wix emulator's URL and app credentials, the sandbox model (at `llmBaseUrl` when one runs
 * elsewhere), and the public key webhooks are verified with.
 */
export function sandboxEnv(
  wix: Pick<WixEmulator, 'url' | 'appId' | 'appSecret'>,
  publicKeyPem: string,
  options: { llmBaseUrl?: string } = {},
): Record<string, string> {
  return {
    WIX_API_BASE_URL: wix.url,
    WIX_APP_ID: wix.appId,
    WIX_APP_SECRET: wix.appSecret,
    LLM_PROVIDER: 'sandbox',
    ...(options.llmBaseUrl ? { LLM_BASE_URL: options.llmBaseUrl } : {}),
    WIX_PUBLIC_KEY: publicKeyPem,
  };
}

export interface Sandbox {
  wix: WixEmulator;
  /** Environment for the service: the emulator, the sandbox model, the sandbox public key. */
  env: Record<string, string>;
  /**
   * Listens to the service: each event it publishes is put into the emulator as it is accepted, in
   * the same turn, before any run of it can reach the emulator (a run's first Wix call is I/O later).
   */
  attach(events: Pick<ServiceEvents, 'on'>): void;
  close(): Promise<void>;
}

export async function startSandbox(options: { port?: number } = {}): Promise<Sandbox> {
  const wix = await startWixEmulator({ port: options.port ?? 0 });
  const keys = sandboxKeyFiles();
  return {
    wix,
    env: sandboxEnv(wix, readFileSync(keys.publicKey, 'utf8')),
    attach: (events) => {
      events.on('published', (event) => seedFromBusEvent(wix, event));
    },
    close: () => wix.close(),
  };
}

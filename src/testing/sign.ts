import { generateKeyPairSync } from 'node:crypto';
import { hs256Key, rs256Key, signWebhook, type SigningKey } from '../webhooks/sign.js';
import type { TestEvent } from '../sandbox/builders.js';

/**
 * A signing key for tests: RS256 with a fresh key pair (give `publicKeyPem` to the service as
 * `WIX_PUBLIC_KEY`), or HS256 with `secret` (the service's `WIX_WEBHOOK_HS256_SECRET`).
 */
export function testSigningKey(options: { secret?: string } = {}): {
  key: SigningKey;
  publicKeyPem?: string;
} {
  if (options.secret !== undefined) return { key: hs256Key(options.secret) };
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    key: rs256Key(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** The webhook body Wix would POST for this event: a compact JWT signed with `key`. */
export function signEvent(event: Pick<TestEvent<unknown>, 'webhook'>, key: SigningKey): Promise<string> {
  return signWebhook(event.webhook, key);
}

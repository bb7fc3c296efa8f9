import { createPrivateKey, createSecretKey, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';

/** The decoded form of a webhook, as kept in `fixtures/wix/*.json` (layers 2 and 3 as objects). */
export interface DecodedWebhook {
  eventType: string;
  instanceId: string;
  identity?: unknown;
  /** Layer 3: an object (stringified here), or a string sent as is (to test malformed data). */
  data: unknown;
  [extra: string]: unknown;
}

export type SigningKey = { alg: 'RS256'; privateKey: KeyObject } | { alg: 'HS256'; secret: KeyObject };

export function rs256Key(privateKeyPem: string): SigningKey {
  return { alg: 'RS256', privateKey: createPrivateKey(privateKeyPem) };
}
export function hs256Key(secret: string): SigningKey {
  return { alg: 'HS256', secret: createSecretKey(Buffer.from(secret, 'utf8')) };
}

/**
 * Builds the webhook body exactly as Wix does: a compact JWT whose `data` claim is the JSON string of
 * `{eventType, instanceId, data: JSON string, identity: JSON string}`, with iat and exp.
 */
export async function signWebhook(
  webhook: DecodedWebhook,
  key: SigningKey,
  options: { now?: Date; expiresInSec?: number } = {},
): Promise<string> {
  const { data, identity, ...rest } = webhook;
  const outer = {
    ...rest,
    data: typeof data === 'string' ? data : JSON.stringify(data),
    ...(identity === undefined
      ? {}
      : { identity: typeof identity === 'string' ? identity : JSON.stringify(identity) }),
  };
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ data: JSON.stringify(outer) })
    .setProtectedHeader({ alg: key.alg, typ: 'JWT' })
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.expiresInSec ?? 300))
    .sign(key.alg === 'RS256' ? key.privateKey : key.secret);
}

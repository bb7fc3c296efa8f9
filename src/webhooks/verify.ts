import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';

/**
 * The keys webhooks may be signed with. Only the algorithms whose key is present are accepted.
 *
 * Wix signs webhooks with RS256 and the app's public key, and only that: `@wix/sdk`'s `AppStrategy`
 * verifies with the SPKI key and `RS256`; the app secret plays no part. HS256 is a separate, explicit
 * opt-in (`WIX_WEBHOOK_HS256_SECRET`) for setups and tests that sign with a shared secret — never the
 * OAuth `WIX_APP_SECRET`, whose holder could otherwise forge webhooks for every site.
 */
export interface WebhookKeys {
  /** The app's RSA public key (`WIX_PUBLIC_KEY`). */
  rs256?: KeyObject;
  /** The shared HS256 secret (`WIX_WEBHOOK_HS256_SECRET`), only when explicitly configured. */
  hs256?: KeyObject;
}

/**
 * Imports the configured keys once, at start.
 * @param options.publicKeyPem PEM of the app's RSA public key (SPKI or PKCS#1); enables RS256.
 * @param options.hs256Secret the explicit HS256 opt-in (`WIX_WEBHOOK_HS256_SECRET`); absent = HS256 refused.
 * @throws Error when the public key is not RSA.
 */
export async function importWebhookKeys(options: {
  publicKeyPem?: string | undefined;
  hs256Secret?: string | undefined;
}): Promise<WebhookKeys> {
  const keys: WebhookKeys = {};
  if (options.publicKeyPem) {
    // node:crypto reads SPKI ("PUBLIC KEY") and PKCS#1 ("RSA PUBLIC KEY") PEMs alike.
    const key = createPublicKey(options.publicKeyPem);
    if (key.asymmetricKeyType !== 'rsa') throw new Error('WIX_PUBLIC_KEY: not an RSA public key');
    keys.rs256 = key;
  }
  if (options.hs256Secret) keys.hs256 = createSecretKey(Buffer.from(options.hs256Secret, 'utf8'));
  return keys;
}

/** The JWS algorithms the keys accept, e.g. `['RS256']` (the log names them at start). */
export function acceptedAlgorithms(keys: WebhookKeys): string[] {
  return [...(keys.rs256 ? ['RS256'] : []), ...(keys.hs256 ? ['HS256'] : [])];
}

export type VerifyResult = { ok: true; claims: JWTPayload } | { ok: false; reason: string };

/** A compact JWS: three base64url parts. Anything else is not worth decoding. */
const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Verifies a webhook body (a compact JWT) and returns its claims, or a short reason it is refused.
 * The algorithm is chosen by which keys are configured, never by the token: an HS256 token is checked
 * only against the explicit HS256 secret (and refused with "algorithm not accepted" when none is
 * configured), so a token "signed" with the public key or the OAuth app secret fails, and `none` is
 * never accepted. `exp`/`nbf` are checked with `clockToleranceSec` of skew.
 */
export async function verifyWixWebhook(
  rawBody: string,
  keys: WebhookKeys,
  options: { clockToleranceSec: number; currentDate?: Date },
): Promise<VerifyResult> {
  const token = rawBody.trim();
  if (token.length === 0) return { ok: false, reason: 'empty body' };
  if (!compactJws.test(token)) return { ok: false, reason: 'malformed token' };
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    return { ok: false, reason: 'malformed token' };
  }
  const key = alg === 'RS256' ? keys.rs256 : alg === 'HS256' ? keys.hs256 : undefined;
  if (!key) {
    const accepted = acceptedAlgorithms(keys);
    return {
      ok: false,
      reason:
        accepted.length === 0 ? 'no webhook key configured (set WIX_PUBLIC_KEY)' : 'algorithm not accepted',
    };
  }
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [alg as string],
      clockTolerance: options.clockToleranceSec,
      ...(options.currentDate ? { currentDate: options.currentDate } : {}),
    });
    return { ok: true, claims: payload };
  } catch (error) {
    return { ok: false, reason: reasonFor(error) };
  }
}

function reasonFor(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (error instanceof errors.JWTClaimValidationFailed) return `claim ${error.claim} invalid`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm not accepted';
  return 'malformed token';
}

import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { createVerifier, TokenError } from 'fast-jwt';
import { decodeProtectedHeader, type JWTPayload } from 'jose';

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

const base64url = /^[A-Za-z0-9_-]+$/;

/**
 * A compact JWS: three base64url parts. Anything else is not worth decoding. The header and signature
 * are checked here; the payload (nearly all of a 14 KB webhook) is left to fast-jwt, whose decoder checks
 * it with the same alphabet before decoding it (scanning it twice cost ~8 µs per webhook).
 */
function looksLikeCompactJws(token: string): boolean {
  const first = token.indexOf('.');
  const last = token.lastIndexOf('.');
  if (first <= 0 || last <= first + 1 || token.indexOf('.', first + 1) !== last) return false;
  const signature = token.slice(last + 1);
  return base64url.test(token.slice(0, first)) && (signature === '' || base64url.test(signature));
}

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
  if (!looksLikeCompactJws(token)) return { ok: false, reason: 'malformed token' };
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
    const verify = verifierFor(key, alg as 'RS256' | 'HS256', options);
    return { ok: true, claims: verify(token) as JWTPayload };
  } catch (error) {
    return { ok: false, reason: reasonFor(error) };
  }
}

type Verify = (token: string) => unknown;
/** Verifiers built once per key, algorithm and clock tolerance (building one parses the key). */
const verifiers = new WeakMap<KeyObject, Map<string, Verify>>();

/**
 * The signature and `exp`/`nbf` check, by fast-jwt on node:crypto (synchronous, ~30 µs for RS256 with
 * a 2048-bit key, where jose's WebCrypto path costs ~100 µs and a trip to the thread pool). Only
 * `alg`, the one algorithm the key was chosen for, is allowed.
 */
function verifierFor(
  key: KeyObject,
  alg: 'RS256' | 'HS256',
  options: { clockToleranceSec: number; currentDate?: Date },
): Verify {
  const build = () =>
    createVerifier({
      // fast-jwt takes the key as PEM (public) or bytes (secret) and makes its own KeyObject from it.
      key: alg === 'RS256' ? (key.export({ type: 'spki', format: 'pem' }) as string) : key.export(),
      algorithms: [alg],
      clockTolerance: options.clockToleranceSec * 1000,
      ...(options.currentDate ? { clockTimestamp: options.currentDate.getTime() } : {}),
    });
  if (options.currentDate) return build();
  let byKey = verifiers.get(key);
  if (!byKey) verifiers.set(key, (byKey = new Map()));
  const id = `${alg}:${options.clockToleranceSec}`;
  let verify = byKey.get(id);
  if (!verify) byKey.set(id, (verify = build()));
  return verify;
}

function reasonFor(error: unknown): string {
  if (!(error instanceof TokenError)) return 'malformed token';
  switch (error.code) {
    case TokenError.codes.expired:
      return 'token expired';
    case TokenError.codes.invalidSignature:
    case TokenError.codes.missingSignature:
      return 'bad signature';
    case TokenError.codes.inactive:
      return 'claim nbf invalid';
    case TokenError.codes.invalidClaimType:
    case TokenError.codes.invalidClaimValue:
      return 'claim invalid';
    case TokenError.codes.invalidAlgorithm:
      return 'algorithm not accepted';
    default:
      return 'malformed token';
  }
}

import { createPublicKey } from 'node:crypto';

/**
 * Accepts a PEM, a PEM whose newlines were escaped as `\n` (one env line), or base64 of the PEM
 * (what `@wix/sdk` accepts). Returns a PEM, or undefined when the value is none of these.
 */
export function normalizePublicKey(value: string): string | undefined {
  let text = value.trim();
  if (text.includes('\\n')) text = text.replace(/\\r/g, '').replace(/\\n/g, '\n');
  text = text.trim();
  if (!text.includes('-----BEGIN')) {
    if (!/^[A-Za-z0-9+/=\s]+$/.test(text)) return undefined;
    text = Buffer.from(text, 'base64').toString('utf8').trim();
  }
  return /^-----BEGIN (PUBLIC KEY|RSA PUBLIC KEY)-----[\s\S]+-----END \1-----$/.test(text)
    ? text + '\n'
    : undefined;
}

/** True when `pem` is a public key Node can read and its type is RSA. */
export function isRsaPublicKey(pem: string): boolean {
  try {
    return createPublicKey(pem).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hs256Key, rs256Key } from '../../src/webhooks/sign.js';

const dir = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));

/** Test-only keys from fixtures/keys (published in the repo; never for production). */
export const testKeys = {
  privatePem: readFileSync(`${dir}test-private.pem`, 'utf8'),
  publicPem: readFileSync(`${dir}test-public.pem`, 'utf8'),
  secret: readFileSync(`${dir}test-hs256.secret`, 'utf8').trim(),
};
export const rsKey = rs256Key(testKeys.privatePem);
export const hsKey = hs256Key(testKeys.secret);
export const fixturesDir = fileURLToPath(new URL('../../fixtures/wix/', import.meta.url));

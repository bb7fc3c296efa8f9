import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenStore, hashSecret, parseDuration } from '../../src/mcp/tokens.js';
import type { Store } from '../../src/store/port.js';
import { wixTools } from '../../src/wix/tools/index.js';
import { sqliteFactory } from '../support/stores.js';

let store: Store;
let now = Date.parse('2026-11-30T10:00:00Z');
beforeAll(async () => {
  store = await (await sqliteFactory()).open();
});
afterAll(async () => {
  await store?.close();
});
const tokens = () => createTokenStore(store, { catalog: wixTools, now: () => now });
const base = { methods: ['read'], tags: ['orders'], sites: ['site-1'] };

describe('MCP token store', () => {
  it('stores only the hash, shows the secret once, and checks expiry and revocation', async () => {
    const { token, secret } = await tokens().create({ ...base, name: 'triage', expiresIn: '2h' });
    expect(secret).toMatch(/^wea_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({ name: 'triage', mode: 'approval', expiresAt: '2026-11-30T12:00:00.000Z' });
    const { rows } = await store.query<Record<string, unknown>>(`SELECT * FROM mcp_tokens`);
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(rows[0]?.secret_hash).toBe(hashSecret(secret));

    expect(await tokens().authenticate(secret)).toMatchObject({ token: { id: token.id } });
    expect(await tokens().authenticate(`${secret}x`)).toEqual({ failure: 'unknown' });
    now += 2 * 3_600_000;
    expect(await tokens().authenticate(secret)).toEqual({ failure: 'expired' });
    now -= 2 * 3_600_000;
    await tokens().revoke('triage');
    expect(await tokens().authenticate(secret)).toEqual({ failure: 'revoked' });
    // A revoked name may be reused.
    await expect(tokens().create({ ...base, name: 'triage' })).resolves.toBeDefined();
  });

  it('refuses bad input with every problem named', async () => {
    await expect(tokens().create({ ...base, name: 'dup' })).resolves.toBeDefined();
    await expect(tokens().create({ ...base, name: 'dup' })).rejects.toMatchObject({ status: 409 });
    await expect(tokens().create({ ...base, name: 'x', expiresIn: '999d' })).rejects.toThrow(
      /at most 366 days/,
    );
    await expect(tokens().create({ ...base, name: 'x', expiresIn: 'soon' })).rejects.toThrow(
      /90m, 12h or 30d/,
    );
    await expect(tokens().create({ ...base, name: 'x', sites: [] })).rejects.toThrow(/at least one site/);
    await expect(tokens().create({ ...base, name: 'x', methods: ['delete'] })).rejects.toThrow(/methods/);
    await expect(tokens().create({ ...base, name: 'x', admin: true })).rejects.toThrow(/admin/);
    expect(parseDuration('90m')).toBe(5_400_000);
  });
});

import { describe, expect, it } from 'vitest';
import { sameOrigin, sessionKeys } from '../../src/console/session.js';

describe('console sessions', () => {
  const keys = sessionKeys('the-admin-token', { ttlMs: 60_000 });

  it('accepts only the admin token', () => {
    expect(keys.tokenMatches('the-admin-token')).toBe(true);
    expect(keys.tokenMatches('the-admin-token ')).toBe(false);
    expect(keys.tokenMatches('')).toBe(false);
  });

  it('verifies its own cookie until it expires; the cookie does not contain the token', () => {
    const s = keys.issue(1_000);
    expect(s.value).not.toContain('the-admin-token');
    expect(keys.verify(s.value, 1_000)).toBe(s.sid);
    expect(keys.verify(s.value, 60_999)).toBe(s.sid);
    expect(keys.verify(s.value, 61_000)).toBeUndefined();
  });

  it('refuses a tampered, forged or foreign cookie', () => {
    const s = keys.issue();
    const [sid, exp, sig] = s.value.split('.') as [string, string, string];
    expect(keys.verify(`${sid}.${(parseInt(exp, 36) + 1e9).toString(36)}.${sig}`)).toBeUndefined();
    expect(keys.verify(`x${sid}.${exp}.${sig}`)).toBeUndefined();
    expect(keys.verify(`${sid}.${exp}.${sig.slice(1)}`)).toBeUndefined();
    expect(sessionKeys('another-token').verify(s.value)).toBeUndefined();
    expect(keys.verify(undefined)).toBeUndefined();
    expect(keys.verify('a.b')).toBeUndefined();
  });

  it('derives a CSRF token per session', () => {
    const a = keys.issue();
    const b = keys.issue();
    expect(keys.csrfMatches(a.sid, keys.csrfFor(a.sid))).toBe(true);
    expect(keys.csrfMatches(a.sid, keys.csrfFor(b.sid))).toBe(false);
    expect(keys.csrfMatches(a.sid, undefined)).toBe(false);
  });

  it('checks the origin of state-changing requests', () => {
    const me = 'http://127.0.0.1:3000';
    expect(sameOrigin({ origin: me }, me)).toBe(true);
    expect(sameOrigin({ origin: 'http://127.0.0.1:4000' }, me)).toBe(false);
    expect(sameOrigin({ origin: 'null' }, me)).toBe(false);
    expect(sameOrigin({ secFetchSite: 'same-origin' }, me)).toBe(true);
    expect(sameOrigin({ secFetchSite: 'same-site' }, me)).toBe(false);
    expect(sameOrigin({ referer: `${me}/console/approvals` }, me)).toBe(true);
    expect(sameOrigin({ referer: 'http://evil.example/console' }, me)).toBe(false);
    expect(sameOrigin({}, me)).toBe(false);
  });
});

import { randomBytes } from 'node:crypto';

interface IssuedToken {
  instanceId: string;
  expiresAt: number;
}

/** OAuth access tokens the emulator issued, per app instance. */
export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();

  issue(instanceId: string, ttlSeconds: number, now: number): string {
    const token = `OAUTH2.${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, { instanceId, expiresAt: now + ttlSeconds * 1000 });
    return token;
  }

  /** The instance a token was issued for, and whether it has expired. */
  resolve(token: string, now: number): { instanceId: string; expired: boolean } | undefined {
    const issued = this.tokens.get(token);
    return issued && { instanceId: issued.instanceId, expired: now >= issued.expiresAt };
  }

  /** Makes every token issued so far (for one instance, or all) expired. Returns how many. */
  expire(instanceId: string | undefined, now: number): number {
    let count = 0;
    for (const issued of this.tokens.values()) {
      if (instanceId && issued.instanceId !== instanceId) continue;
      if (issued.expiresAt > now) count += 1;
      issued.expiresAt = Math.min(issued.expiresAt, now);
    }
    return count;
  }
}

import { connect } from 'node:net';
import { describe, it } from 'vitest';

/** True when something accepts TCP connections on host:port within `timeoutMs`. */
export function reachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * `describe` for a suite that needs a server. Unavailable on a user's machine: the suite is skipped with
 * one clear line. Unavailable in CI (`CI=true`): the suite fails, so a missing server is never green.
 */
export function describeIfServer(
  available: boolean,
  what: string,
): typeof describe | ((name: string, fn: () => void) => void) {
  if (available) return describe;
  if (process.env.CI === 'true') {
    return (name: string) =>
      describe(name, () => {
        it(`needs ${what}`, () => {
          throw new Error(`${what} is not reachable, and CI=true requires it`);
        });
      });
  }
  return (name: string, fn: () => void) => describe.skip(`${name} (skipped: ${what} not reachable)`, fn);
}

export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

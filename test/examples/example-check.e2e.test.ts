import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';

describe('the example app, on the packed package', () => {
  it('installs the tarball, passes its own tests (vitest and node:test), and runs serve --handlers on a triggered event', async () => {
    const result = await new Promise<{ code: number | null; out: string }>((resolve) => {
      execFile(
        process.execPath,
        ['scripts/example-check.mjs'],
        { cwd: repoRoot, timeout: 900_000, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) =>
          resolve({
            code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
            out: stdout + stderr,
          }),
      );
    });
    expect(result.out).toContain('example-check: ok');
    expect(result.code).toBe(0);
  }, 900_000);
});

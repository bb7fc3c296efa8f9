import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Runs tsc on fields.types.ts: every field our zod schemas read, and every field we send, must exist in
 * Wix's published typings (`@wix/auto_sdk_*`). On failure tsc names each unknown field's dotted path.
 */
describe('fields we read and send exist in Wix typings', () => {
  it('type-checks test/wix/conformance/fields.types.ts', { timeout: 180_000 }, () => {
    const tsc = spawnSync(
      process.execPath,
      [`${root}node_modules/typescript/bin/tsc`, '-p', 'test/wix/conformance/tsconfig.json'],
      { cwd: root, encoding: 'utf8' },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });
});

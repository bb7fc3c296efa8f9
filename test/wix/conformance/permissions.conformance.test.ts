import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { wixTools } from '../../../src/wix/tools/index.js';

const wixModules = fileURLToPath(new URL('../../../node_modules/@wix/', import.meta.url));

/** Every `@permissionId` in the typings of the `@wix/auto_sdk_*` packages installed as devDependencies. */
function publishedPermissionIds(): Set<string> {
  const ids = new Set<string>();
  for (const pkg of readdirSync(wixModules).filter((name) => name.startsWith('auto_sdk_'))) {
    const dir = join(wixModules, pkg, 'build/cjs');
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.d.ts'))) {
      for (const match of readFileSync(join(dir, file), 'utf8').matchAll(/@permissionId (\S+)/g)) {
        ids.add(match[1]!);
      }
    }
  }
  return ids;
}

/**
 * Each tool names the Wix permission of its main call (src/wix/tools/tool.ts `permission`): a permission
 * id Wix publishes in its package typings, or a name from Wix's REST reference where no typings give one.
 */
describe('tool permissions are Wix permissions', () => {
  const published = publishedPermissionIds();
  for (const tool of wixTools) {
    it(`${tool.name}: ${tool.permission ?? '(none)'}`, () => {
      expect(tool.permission, `${tool.name} declares no Wix permission`).toBeDefined();
      // Ids look like `ECOM.READ_ORDERS`; display names from the REST reference contain spaces.
      if (!/\s/.test(tool.permission!)) expect(published.has(tool.permission!)).toBe(true);
    });
  }
});

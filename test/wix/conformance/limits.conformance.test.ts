import { describe, expect, it } from 'vitest';
import { wixLimits, type WixLimit } from '../../../src/wix/limits.js';
import { fieldTag, packageVersion } from './wix-metadata.js';

/** Each limit in src/wix/limits.ts equals the JSDoc tag Wix publishes on that field in its typings. */
describe('Wix limits conform to the published typings', () => {
  for (const [name, limit] of Object.entries(wixLimits) as [string, WixLimit][]) {
    const { source } = limit;
    it(`${name} = ${limit.max} (${source.package} ${source.interface}.${source.field} @${source.tag})`, () => {
      const published = fieldTag(source.package, source.interface, source.field, source.tag);
      expect(
        published,
        `${source.package}@${packageVersion(source.package)} publishes no such tag`,
      ).toBeDefined();
      expect(limit.max).toBe(Number(published));
    });
  }
});

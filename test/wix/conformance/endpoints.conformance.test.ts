import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { wixEndpoints, type WixEndpoint } from '../../../src/wix/endpoints.js';
import { publishedEndpoint } from './wix-metadata.js';

/**
 * Every Wix request our resources build is declared in src/wix/endpoints.ts; this checks each one's HTTP
 * method and path template against the metadata Wix publishes in its SDK packages (devDependencies).
 */
describe('Wix endpoints conform to the published SDK metadata', () => {
  for (const [name, endpoint] of Object.entries(wixEndpoints) as [string, WixEndpoint][]) {
    const { source } = endpoint;
    if (source.kind === 'docs') {
      it(`${name}: ${endpoint.method} ${endpoint.path} (not in ${source.package}'s metadata: REST docs only)`, () => {
        expect(source.doc).toMatch(/^https:\/\/dev\.wix\.com\/docs\//);
        expect(source.types.length).toBeGreaterThan(0);
      });
      continue;
    }
    it(`${name}: ${endpoint.method} ${endpoint.path} = ${source.package} ${source.method}`, () => {
      const published = publishedEndpoint(source);
      expect(published, `${source.package} publishes no method ${source.method}`).toBeDefined();
      expect(published!.public, `${source.method} is not a public method of ${source.package}`).toBe(true);
      expect(endpoint.path, `path of ${name} (${source.package}@${published!.version})`).toBe(
        published!.path,
      );
      if (endpoint.restPostDoc && published!.method === 'GET') {
        // The SDK sends GET with the request in a `.r` query parameter; the REST reference documents POST.
        expect(endpoint.method, `method of ${name}`).toBe('POST');
        expect(endpoint.restPostDoc).toMatch(/^https:\/\/dev\.wix\.com\/docs\//);
      } else {
        expect(endpoint.method, `method of ${name} (${source.package}@${published!.version})`).toBe(
          published!.method,
        );
      }
    });
  }

  it('resources build their requests only through the declared endpoints', () => {
    const dir = new URL('../../../src/wix/resources/', import.meta.url);
    const offenders = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .filter((f) =>
        // A request's `path:` (not a zod field named path, e.g. Events' `eventPageUrl.path`).
        /\bpath:(?!\s*z\.)|wixPath`|method:\s*'(GET|POST|PUT|PATCH|DELETE)'/.test(
          readFileSync(new URL(f, dir), 'utf8'),
        ),
      );
    expect(offenders, 'use endpointRequest(name, params) from src/wix/endpoints.ts').toEqual([]);
  });
});

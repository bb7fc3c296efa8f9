import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { WixEndpointSource } from '../../../src/wix/endpoints.js';

/**
 * Reads Wix's published facts from the `@wix/*` SDK packages installed as devDependencies: the HTTP
 * method and path of a method (build metadata) and JSDoc tags of a field (typings).
 */
const require = createRequire(import.meta.url);
const host = 'www.wixapis.com';

export interface PublishedEndpoint {
  method: string;
  /** Path template on www.wixapis.com with `{name}` parameters. */
  path: string;
  /** Whether the method is exported by the package's public entry (not only its metadata). */
  public: boolean;
  version: string;
}

export function packageVersion(pkg: string): string {
  return (JSON.parse(readFileSync(packageJsonPath(pkg), 'utf8')) as { version: string }).version;
}

function packageJsonPath(pkg: string): string {
  return require.resolve(`${pkg}/package.json`);
}

/** `/ecom/v1/orders/:orderId` (getUrl's placeholders) → `/ecom/v1/orders/{orderId}`. */
const toTemplate = (url: string) => url.replace(/:(\w+)/g, '{$1}');

/** Method and path as the package publishes them; undefined when the package has no such method. */
export function publishedEndpoint(source: WixEndpointSource): PublishedEndpoint | undefined {
  const version = packageVersion(source.package);
  if (source.kind === 'meta') {
    const meta = require(`${source.package}/meta`) as Record<string, unknown>;
    const fn = meta[source.method];
    if (typeof fn !== 'function') return undefined;
    const info = (fn as () => { httpMethod: string; getUrl(c: { host: string }): string })();
    return {
      method: info.httpMethod,
      path: toTemplate(info.getUrl({ host })),
      public: publicExports(source.package).has(source.method),
      version,
    };
  }
  if (source.kind === 'data-items-client') {
    const client = require(`${source.package}/build/cjs/src/data-items-api-client.js`) as Record<
      string,
      unknown
    > & {
      reqOptions(o: unknown, payload: unknown): (c: { host: string }) => { method: string; url: string };
    };
    const options = client[`${source.method}RequestOptions`];
    if (!options) return undefined;
    const resolved = client.reqOptions(options, {})({ host });
    return { method: resolved.method, path: toTemplate(resolved.url), public: true, version };
  }
  return undefined;
}

/**
 * Names the package's public typings export (`build/cjs/index.d.ts`). Its metadata may still describe
 * methods Wix no longer publishes (e.g. the single-activity `addActivity` of eCommerce orders).
 */
function publicExports(pkg: string): Set<string> {
  const text = readFileSync(join(dirname(packageJsonPath(pkg)), 'build/cjs/index.d.ts'), 'utf8');
  const names = new Set<string>();
  for (const block of text.matchAll(/export \{([^}]*)\}/g)) {
    for (const part of block[1]!.split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop();
      if (name) names.add(name);
    }
  }
  return names;
}

/** The typings file holding a package's interfaces (`build/cjs/meta.d.ts`, or the data items types). */
function typingsOf(pkg: string): string {
  const dir = dirname(packageJsonPath(pkg));
  return readFileSync(join(dir, 'build/cjs/meta.d.ts'), 'utf8');
}

/**
 * The value of a JSDoc tag (e.g. `@maxLength`) on `field` of `interface name` in a package's typings.
 * @returns the tag's value, or undefined when the interface, field or tag is absent.
 */
export function fieldTag(pkg: string, name: string, field: string, tag: string): string | undefined {
  const text = typingsOf(pkg);
  const start = text.indexOf(`\ninterface ${name} `);
  if (start < 0) return undefined;
  const end = text.indexOf('\n}', start);
  const body = text.slice(start, end);
  const at = body.search(new RegExp(`\\n\\s+${field}\\??:`));
  if (at < 0) return undefined;
  const before = body.slice(0, at);
  const doc = before.slice(before.lastIndexOf('/**'));
  if (doc.includes('*/') && !doc.trimEnd().endsWith('*/')) return undefined;
  return new RegExp(`@${tag}\\s+(\\S+)`).exec(doc)?.[1];
}

/**
 * The rules that keep the house's shape (README "Layout"): rooms ranked along the flow, no import up
 * a rank or in a cycle (type-only and dynamic imports count), adapters and the shared parts built only
 * in the composition root (`src/app/`), and nothing inside `src/` importing the package face.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cycles, rankOf, readSourceGraph, upwardImports, type ImportEdge } from './support/import-graph.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const graph = readSourceGraph(root);
const inApp = (file: string) => file.startsWith('src/app/');

/** Adapter files: each may be imported from its own folder and from the composition root only. */
const adapters: readonly { pattern: RegExp; what: string }[] = [
  { pattern: /^src\/store\/(sqlite|postgres)[^/]*\.ts$/, what: 'a store adapter' },
  { pattern: /^src\/bus\/(kafka|embedded)[^/]*\.ts$/, what: 'a bus adapter' },
  { pattern: /^src\/wix\/limiter\/redis\.ts$/, what: 'the Redis limiter' },
  { pattern: /^src\/agents\/model\.ts$/, what: 'the model providers' },
  { pattern: /^src\/sandbox\/(wix-emulator|llm-)[^]*\.ts$/, what: 'a sandbox stand-in' },
];
/** Client packages of the adapters: imported only by adapter files (and app/). */
const adapterPackages = /^(kafkajs|pg|ioredis|libsql|@ai-sdk\/.*)$/;
/** The shared parts: built once, in app/ (a twin built elsewhere drifts: README "Layout"). */
const builtOnceInApp = [
  'createJournal',
  'createApprovals',
  'createAudit',
  'createTokenStore',
  'createWixClient',
  'openStore',
  'openBus',
];

const folderOf = (file: string) => file.slice(0, file.lastIndexOf('/'));
const where = (e: ImportEdge) => `${e.from}:${e.line} imports ${e.to}`;

describe('the house', () => {
  it('has no import up a rank and no room without a rank', () => {
    expect(upwardImports(graph)).toEqual([]);
  });

  it('has no import cycle (type-only and dynamic imports count)', () => {
    expect(cycles(graph).map((c) => `cycle of ${c.length} files: ${c.join(', ')}`)).toEqual([]);
  });

  it('imports adapters only from their own folder and from app/', () => {
    const found = graph.edges.flatMap((e) => {
      const adapter = adapters.find((a) => a.pattern.test(e.to));
      if (!adapter || inApp(e.from) || folderOf(e.from).startsWith(folderOf(e.to))) return [];
      if (adapter.what === 'a sandbox stand-in' && e.from.startsWith('src/sandbox/')) return [];
      return [`${where(e)}: ${adapter.what}, wired in src/app/ only`];
    });
    const packages = graph.packages.flatMap((e) =>
      adapterPackages.test(e.to) && !inApp(e.from) && !adapters.some((a) => a.pattern.test(e.from))
        ? [`${e.from}:${e.line} imports '${e.to}': adapter clients only in adapter files and src/app/`]
        : [],
    );
    expect([...found, ...packages]).toEqual([]);
  });

  it('uses import() only in app/, to load an adapter lazily', () => {
    const found = graph.edges
      .filter((e) => e.kind === 'dynamic' && !inApp(e.from))
      .map((e) => `${where(e)} with import(): only src/app/ loads lazily`);
    expect(found).toEqual([]);
  });

  it('builds the shared parts only in app/', () => {
    const found = graph.calls
      .filter((c) => builtOnceInApp.includes(c.name) && !inApp(c.file))
      .map((c) => `${c.file}:${c.line} calls ${c.name}: the shared parts are built in src/app/ only`);
    expect(found).toEqual([]);
  });

  it('never imports the package face (src/index.ts) from inside src/', () => {
    const found = graph.edges.filter((e) => e.to === 'src/index.ts').map(where);
    expect(found).toEqual([]);
  });
});

describe('the rank check', () => {
  // The rules above can fail: the same functions on a graph with one upward import and one cycle.
  const edge = (from: string, to: string, kind: ImportEdge['kind'] = 'static'): ImportEdge => ({
    from,
    to,
    line: 1,
    kind,
  });

  it('names an import up a rank, type-only or dynamic too', () => {
    const files = ['src/domain/events.ts', 'src/bus/port.ts', 'src/wix/client.ts'];
    expect(rankOf('src/domain/events.ts')).toBeLessThan(rankOf('src/bus/port.ts')!);
    expect(
      upwardImports({ files, edges: [edge('src/domain/events.ts', 'src/bus/port.ts', 'type')] }),
    ).toEqual([
      "src/domain/events.ts:1 imports src/bus/port.ts (type): 'bus' (rank 2) is above 'domain' (rank 0)",
    ]);
    expect(
      upwardImports({ files, edges: [edge('src/bus/port.ts', 'src/wix/client.ts', 'dynamic')] }),
    ).toEqual([]);
    expect(upwardImports({ files: ['src/elsewhere/x.ts'], edges: [] })).toEqual([
      "src/elsewhere/x.ts: room 'elsewhere' has no rank",
    ]);
  });

  it('names every file of a cycle, within one room too', () => {
    const edges = [
      edge('src/wix/a.ts', 'src/wix/b.ts'),
      edge('src/wix/b.ts', 'src/wix/c.ts', 'type'),
      edge('src/wix/c.ts', 'src/wix/a.ts', 'dynamic'),
      edge('src/wix/c.ts', 'src/domain/d.ts'),
    ];
    expect(cycles({ edges })).toEqual([['src/wix/a.ts', 'src/wix/b.ts', 'src/wix/c.ts']]);
    expect(cycles({ edges: edges.slice(0, 2) })).toEqual([]);
  });
});

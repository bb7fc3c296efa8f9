/**
 * The rules that keep the house's shape (README "Layout"): rooms ranked along the flow, no import up
 * a rank or in a cycle (type-only and dynamic imports count), adapters and the shared parts built only
 * in the composition root (`src/app/`), nothing inside `src/` importing the package face, and each
 * table named only in its room.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cycles, rankOf, readSourceGraph, upwardImports, type ImportEdge } from './support/import-graph.js';
import { misplacedTables, readTableMentions, tableMentions, type TableRooms } from './support/table-rooms.js';

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

/**
 * Tables belong to their room: only its files name them in SQL (another room asks it, through its port
 * or its functions). The store's migrations, retention and upgrade may name any table.
 */
const tables: TableRooms = {
  rooms: {
    bus_events: 'src/bus/',
    accepted_events: 'src/bus/',
    dead_letters: 'src/bus/',
    processed_events: 'src/consumers/',
    agent_runs: 'src/calls/',
    tool_calls: 'src/calls/',
    webhook_arrivals: 'src/console/',
    mcp_tokens: 'src/mcp/',
  },
  anyTable: [/^src\/store\/migrations\//, /^src\/store\/retention\.ts$/, /^src\/store\/upgrade\.ts$/],
  // The model's wire format: a finish reason, not the table.
  notSql: [
    { file: 'src/sandbox/llm-emulator.ts', literal: 'tool_calls' },
    { file: 'src/testing/scripted-model.ts', literal: 'tool_calls' },
  ],
};

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

  it('builds the journal, the approvals and the Wix client in exactly one place', () => {
    // Each was built in two or three places once (cli.ts, mcp/cli.ts, compose-agents.ts), one of them
    // without the logger and metrics the others had: one builder serves the service and the CLI alike.
    const sites = (name: string) =>
      graph.calls.filter((c) => c.name === name).map((c) => `${c.file}:${c.line}`);
    expect({
      createJournal: sites('createJournal'),
      createApprovals: sites('createApprovals'),
      createWixClient: sites('createWixClient'),
    }).toEqual({
      createJournal: [expect.stringMatching(/^src\/app\/calls\.ts:/)],
      createApprovals: [expect.stringMatching(/^src\/app\/calls\.ts:/)],
      createWixClient: [expect.stringMatching(/^src\/app\/wix\.ts:/)],
    });
  });

  it('never imports the package face (src/index.ts) from inside src/', () => {
    const found = graph.edges.filter((e) => e.to === 'src/index.ts').map(where);
    expect(found).toEqual([]);
  });

  it('names each table only in its room (string and template literals)', () => {
    const mentions = readTableMentions(root, Object.keys(tables.rooms));
    expect(mentions.length).toBeGreaterThan(0);
    expect(misplacedTables(mentions, tables)).toEqual([]);
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

describe('the table check', () => {
  // The rule above can fail: the same functions on a small file naming tables in and out of their rooms.
  const text = [
    "const list = 'SELECT event_id FROM bus_events';",
    '// a comment naming webhook_arrivals is not read',
    'const prune = `DELETE FROM processed_events_old WHERE ${cutoff}',
    '  AND id IN (SELECT id FROM webhook_arrivals)`;',
    "const reason = 'tool_calls';",
  ].join('\n');
  const names = Object.keys(tables.rooms);

  it('finds table names, whole words only, in string and template literals, with their lines', () => {
    expect(tableMentions('src/http/x.ts', text, names).map((m) => `${m.line} ${m.table}`)).toEqual([
      '1 bus_events',
      '4 webhook_arrivals',
      '5 tool_calls',
    ]);
  });

  it('names a table outside its room by file and line, and lets its room and the store name it', () => {
    expect(misplacedTables(tableMentions('src/http/x.ts', text, names), tables)).toEqual([
      'src/http/x.ts:1 names bus_events: the table belongs to src/bus/',
      'src/http/x.ts:4 names webhook_arrivals: the table belongs to src/console/',
      'src/http/x.ts:5 names tool_calls: the table belongs to src/calls/',
    ]);
    const inBus = misplacedTables(tableMentions('src/bus/x.ts', text, names), tables);
    expect(inBus.map((p) => /names (\w+)/.exec(p)?.[1])).toEqual(['webhook_arrivals', 'tool_calls']);
    expect(misplacedTables(tableMentions('src/store/retention.ts', text, names), tables)).toEqual([]);
    expect(misplacedTables(tableMentions('src/store/migrations/x.ts', text, names), tables)).toEqual([]);
    // A literal spelling a table that is known not to be SQL is left out, in its own file only.
    expect(misplacedTables(tableMentions('src/sandbox/llm-emulator.ts', text, names), tables)).toHaveLength(
      2,
    );
  });
});

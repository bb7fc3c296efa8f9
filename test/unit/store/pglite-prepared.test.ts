import { PGlite, protocol } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDataException } from '../../../src/lib/error-codes.js';
import { openPgliteStore } from '../../../src/store/pglite.js';
import { bindMessage, PreparedStatements } from '../../../src/store/pglite-prepared.js';
import type { Store } from '../../../src/store/port.js';

/** Statements prepared in the engine now (protocol-level ones included). */
const preparedInEngine = async (q: { query: Store['query'] }) =>
  Number(
    (
      await q.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'wea_%'`,
      )
    ).rows[0]!.n,
  );

describe('PGlite store: named prepared statements', () => {
  let store: Store;
  let plain: Store;
  beforeAll(async () => {
    [store, plain] = await Promise.all([
      openPgliteStore(undefined),
      openPgliteStore(undefined, { preparedStatements: 0 }),
    ]);
    for (const s of [store, plain])
      await s.exec(`CREATE TABLE t (id text PRIMARY KEY, n int8, at timestamptz, doc jsonb, tags text[], ok boolean,
                                    x numeric, b bytea, f float8)`);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([store?.close(), plain?.close()]);
  });

  it('returns the same rows, types and rowCount as query(): timestamptz, jsonb, int8, arrays, bytea', async () => {
    const row = [
      'a',
      2n ** 40n,
      new Date('2026-11-30T12:00:00.123Z'),
      JSON.stringify({ k: [1, 'two', null] }),
      ['x', 'y'],
      true,
      '12.50',
      new Uint8Array([0, 1, 255]),
      1.5,
    ];
    const results = [];
    for (const s of [store, plain]) {
      const insert = await s.query(
        'INSERT INTO t (id, n, at, doc, tags, ok, x, b, f) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        row,
      );
      const select = await s.query('SELECT * FROM t WHERE id = $1', ['a']);
      const none = await s.query('SELECT id FROM t WHERE id = $1', ['nope']);
      const update = await s.query('UPDATE t SET ok = NOT ok WHERE id = ANY($1::text[])', [['a', 'b']]);
      results.push({ insert, select, none, update });
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]!.insert.rowCount).toBe(1);
    expect(results[0]!.update.rowCount).toBe(1);
    expect(results[0]!.select.rows[0]).toMatchObject({
      at: new Date('2026-11-30T12:00:00.123Z'),
      doc: { k: [1, 'two', null] },
    });
    expect(await preparedInEngine(store)).toBeGreaterThan(0);
    expect(await preparedInEngine(plain)).toBe(0);
  });

  it('stores multi-byte text and a 1 MB JSON parameter as query() does', async () => {
    const note = 'café ☕ 😀 ü\u00a0 Ω'.repeat(3);
    const doc = JSON.stringify({ items: Array.from({ length: 4000 }, (_, i) => ({ i, note })) });
    const results = [];
    for (const s of [store, plain]) {
      await s.query('INSERT INTO t (id, doc, tags) VALUES ($1, $2, $3)', [note, doc, [note, 'b']]);
      results.push((await s.query('SELECT id, doc, tags FROM t WHERE id = $1', [note])).rows);
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]).toEqual([{ id: note, doc: JSON.parse(doc), tags: [note, 'b'] }]);
  });

  it('surfaces Postgres errors with their code, and the connection works after them', async () => {
    await store.query('INSERT INTO t (id) VALUES ($1)', ['dup']);
    const dup = await store.query('INSERT INTO t (id) VALUES ($1)', ['dup']).catch((e: unknown) => e);
    expect(dup).toMatchObject({ code: '23505', query: 'INSERT INTO t (id) VALUES ($1)' });
    // A data exception raised while binding the value (int8 refuses text that is not a number).
    const bad = ['dup', 'not a number'];
    const data = await store.query('UPDATE t SET n = $2 WHERE id = $1', bad).catch((e: unknown) => e);
    const before = await plain.query('UPDATE t SET n = $2 WHERE id = $1', bad).catch((e: unknown) => e);
    expect(data).toMatchObject({ code: '22P02', message: (before as Error).message });
    expect(isDataException(data)).toBe(true);
    const syntax = await store.query('SELECT FROM WHERE $1', [1]).catch((e: unknown) => e);
    expect(syntax).toMatchObject({ code: '42601' });
    expect((await store.query('SELECT id FROM t WHERE id = $1', ['dup'])).rows).toEqual([{ id: 'dup' }]);
  });

  it('rolls back a transaction whose prepared statement failed, and commits one that resolved', async () => {
    const failed = await store
      .transaction(async (tx) => {
        await tx.query('INSERT INTO t (id) VALUES ($1)', ['tx-1']);
        await tx.query('INSERT INTO t (id) VALUES ($1)', ['tx-1']);
      })
      .catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: '23505' });
    await store.transaction(async (tx) => {
      await tx.query('INSERT INTO t (id) VALUES ($1)', ['tx-2']);
    });
    const { rows } = await store.query<{ id: string }>(`SELECT id FROM t WHERE id LIKE 'tx-%' ORDER BY id`);
    expect(rows).toEqual([{ id: 'tx-2' }]);
  });

  it('never runs a statement from outside inside an open transaction', async () => {
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => (inside = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const tx = store
      .transaction(async (q) => {
        await q.query('INSERT INTO t (id) VALUES ($1)', ['rolled-back']);
        inside();
        await held;
        throw new Error('roll back');
      })
      .catch(() => {});
    await entered;
    const outside = store.query('INSERT INTO t (id) VALUES ($1)', ['outside']);
    release();
    await Promise.all([tx, outside]);
    const { rows } = await store.query<{ id: string }>(
      `SELECT id FROM t WHERE id IN ('rolled-back', 'outside')`,
    );
    expect(rows).toEqual([{ id: 'outside' }]);
  });

  it('sees a schema change made by exec (migrations): cached statements are dropped', async () => {
    await store.exec('CREATE TABLE m (id int)');
    await store.query('INSERT INTO m VALUES ($1)', [1]);
    expect((await store.query('SELECT * FROM m')).rows).toEqual([{ id: 1 }]);
    await store.exec('ALTER TABLE m ADD COLUMN extra text');
    expect((await store.query('SELECT * FROM m')).rows).toEqual([{ id: 1, extra: null }]);
    await store.query('ALTER TABLE m ADD COLUMN more int');
    expect((await store.query('SELECT * FROM m')).rows).toEqual([{ id: 1, extra: null, more: null }]);
  });
});

describe('PreparedStatements', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await PGlite.create();
    await db.exec('CREATE TABLE s (id int)');
    await db.exec('INSERT INTO s VALUES (1)');
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });
  const count = async () =>
    (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'wea_%'`,
      )
    ).rows[0]!.n;

  it('re-prepares once a statement whose result type changed behind its back', async () => {
    const prepared = new PreparedStatements(db);
    const run = (sql: string) => db.runExclusive(() => prepared.run(sql, [], false));
    expect((await run('SELECT * FROM s')).rows).toEqual([{ id: 1 }]);
    await db.exec('ALTER TABLE s ADD COLUMN note text'); // not through the store: the cache is not told
    expect((await run('SELECT * FROM s')).rows).toEqual([{ id: 1, note: null }]);
    await db.exec('DEALLOCATE ALL'); // the statement vanished from the engine
    expect((await run('SELECT * FROM s')).rows).toEqual([{ id: 1, note: null }]);
  });

  it('keeps at most max statements, closing the least recently used in the engine', async () => {
    await db.exec('DEALLOCATE ALL');
    const prepared = new PreparedStatements(db, 2);
    const run = (sql: string, p: unknown[]) => db.runExclusive(() => prepared.run(sql, p, false));
    for (let i = 0; i < 5; i++)
      expect((await run(`SELECT $1::int + ${i} AS v`, [1])).rows).toEqual([{ v: 1 + i }]);
    expect(prepared.size).toBe(2);
    // Evicted names are closed in front of the next prepare: the two kept, and the one this prepare evicted.
    expect(await count()).toBe(3);
    await run('SELECT $1::int AS v', [7]);
    expect(await count()).toBe(3);
    expect((await run('SELECT $1::int + 4 AS v', [1])).rows).toEqual([{ v: 5 }]);
  });

  it('writes the Bind message PGlite writes, byte for byte', () => {
    const cases: [string, (string | null)[]][] = [
      ['wea_1', []],
      ['wea_12', ['a']],
      ['wea_3', [null, '', 'é☕😀', '\u0000', null]],
      ['wea_99', ['x'.repeat(100_000) + 'ü', JSON.stringify([{ note: 'Ω 😀' }]), '42']],
    ];
    for (const [statement, values] of cases) {
      const ours = Buffer.from(bindMessage(statement, values));
      const theirs = Buffer.from(protocol.serialize.bind({ statement, values }));
      expect(ours.equals(theirs), `${statement} ${values.length} values`).toBe(true);
    }
  });

  it('prepares only statements that read or write rows', () => {
    for (const sql of [
      'SELECT 1',
      '  with x as (select 1) select * from x',
      '-- c\nINSERT INTO s VALUES (1)',
      '/* c */ UPDATE s SET id = 1',
      'DELETE FROM s',
      'VALUES (1)',
    ])
      expect(PreparedStatements.preparable(sql)).toBe(true);
    for (const sql of ['VACUUM s', 'CREATE TABLE x (id int)', 'SET search_path TO x', 'BEGIN', 'selectx'])
      expect(PreparedStatements.preparable(sql)).toBe(false);
  });
});

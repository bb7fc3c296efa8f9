import { parse, protocol, type messages, type PGlite } from '@electric-sql/pglite';

/**
 * Named prepared statements for the PGlite store, one per SQL text, through PGlite's public protocol API.
 *
 * PGlite's `query()` sends Parse (unnamed) → Describe → Bind → Describe → Execute → Sync for every call,
 * so Postgres parses and plans the statement again each time, on the event-loop thread (WASM). Here a
 * statement text is parsed once (Parse with a name + Describe, caching its parameter type OIDs and row
 * description); each call then sends Bind + Execute + Sync in one engine call. Values are serialised
 * with PGlite's own serializers for the parameter types, rows parsed with its `parseResults` and the
 * database's `parsers`: results and errors (a `DatabaseError` with its SQLSTATE `code`) are the same as
 * `query()`'s.
 *
 * Only statements starting with SELECT, INSERT, UPDATE, DELETE, WITH or VALUES are prepared; others
 * (DDL, VACUUM, SET…) go through `query()`, and after them, as after any `exec()` (migrations), every
 * cached statement is dropped (closed with the next prepare): a changed schema never meets an old
 * statement. A statement whose result type changed anyway ("cached plan must not change result type")
 * or that has vanished is re-prepared once, outside a transaction (in one, the transaction is already
 * aborted: the entry is dropped and the error thrown).
 *
 * The caller holds PGlite's query lock (`db.runExclusive`) around `run` and, outside a transaction, its
 * own gate against an open transaction (see pglite.ts).
 *
 * Relies on PGlite behaviour beyond its documentation, hence the exact version in package.json (0.5.16):
 * `execProtocolStream` runs every message of one buffer (Bind, Execute, Sync) and throws the first
 * `DatabaseError` only after the Sync, so the connection is ready again; `runExclusive` is the lock
 * `query()` and `tx.query()` take; `parse.parseResults` / `parseDescribeStatementResults` and
 * `protocol.serialize` (exported) are what `query()` uses. PGlite itself prepares only the unnamed
 * statement, so the `wea_` names cannot collide with its own.
 */
export class PreparedStatements {
  readonly #db: PGlite;
  readonly #max: number;
  /** By SQL text, least recently used first (a Map keeps insertion order; a hit is re-inserted). */
  readonly #entries = new Map<string, Entry>();
  /** Names of dropped statements still open in the engine: closed in front of the next prepare. */
  #toClose: string[] = [];
  #next = 0;

  /**
   * @param db the open database.
   * @param max statements kept prepared (default 200); the least recently used is closed past it.
   */
  constructor(db: PGlite, max = 200) {
    this.#db = db;
    this.#max = max;
  }

  /** True when `sql` is a statement this cache prepares (SELECT, INSERT, UPDATE, DELETE, WITH, VALUES). */
  static preparable(sql: string): boolean {
    return preparable.test(sql);
  }

  /** Statements currently prepared. */
  get size(): number {
    return this.#entries.size;
  }

  /** Drops every cached statement (after DDL): each is closed in the engine with the next prepare. */
  invalidate(): void {
    for (const entry of this.#entries.values()) this.#toClose.push(entry.name);
    this.#entries.clear();
  }

  /**
   * Runs `sql` with `params` (already storable) as a named prepared statement. The caller holds PGlite's
   * query lock. `inTransaction`: inside `db.transaction` (no file sync after the statement, no retry).
   * Returns the `parseResults` result (rows keyed by column name, `affectedRows`).
   * @throws DatabaseError (with `query` and `params` set, like `query()`'s) on a Postgres error.
   */
  async run(sql: string, params: readonly unknown[], inTransaction: boolean) {
    if (this.#db.closed) throw new Error('PGlite is closed');
    try {
      let entry = this.#entries.get(sql);
      if (entry) {
        this.#entries.delete(sql);
        this.#entries.set(sql, entry);
      } else entry = await this.#prepare(sql);
      try {
        return await this.#execute(entry, params, inTransaction);
      } catch (error) {
        if (!stale(error)) throw error;
        this.#drop(sql, entry);
        if (inTransaction) throw error;
        return await this.#execute(await this.#prepare(sql), params, inTransaction);
      }
    } catch (error) {
      if (error instanceof Error && 'code' in error) Object.assign(error, { query: sql, params });
      throw error;
    }
  }

  async #prepare(sql: string): Promise<Entry> {
    const name = `wea_${++this.#next}`;
    const closing = this.#toClose.map((n) => protocol.serialize.close({ type: 'S', name: n }));
    this.#toClose = [];
    const results = await this.#db.execProtocolStream(
      concat([
        ...closing,
        protocol.serialize.parse({ name, text: sql }),
        protocol.serialize.describe({ type: 'S', name }),
        protocol.serialize.sync(),
      ]),
      { syncToFs: false },
    );
    const entry: Entry = {
      name,
      paramTypes: parse.parseDescribeStatementResults(results),
      rowDescription: results.find((m): m is messages.RowDescriptionMessage => m.name === 'rowDescription'),
    };
    this.#entries.set(sql, entry);
    for (const [oldest, old] of this.#entries) {
      if (this.#entries.size <= this.#max) break;
      this.#drop(oldest, old);
    }
    return entry;
  }

  async #execute(entry: Entry, params: readonly unknown[], inTransaction: boolean) {
    const serializers = this.#db.serializers;
    const values = params.map((param, i) => {
      if (param === null || param === undefined) return null;
      const serialize = serializers[entry.paramTypes[i]!];
      return serialize ? serialize(param) : (param as { toString(): string }).toString();
    });
    const results = await this.#db.execProtocolStream(
      concat([
        protocol.serialize.bind({ statement: entry.name, values }),
        protocol.serialize.execute({}),
        protocol.serialize.sync(),
      ]),
      // PGlite's query() syncs the files after a statement outside a transaction.
      { syncToFs: !inTransaction },
    );
    // The row description was given once by Describe; Execute sends only the rows.
    const messages = entry.rowDescription ? [entry.rowDescription, ...results] : results;
    return parse.parseResults(messages, this.#db.parsers)[0]!;
  }

  #drop(sql: string, entry: Entry) {
    if (this.#entries.get(sql) === entry) this.#entries.delete(sql);
    this.#toClose.push(entry.name);
  }
}

interface Entry {
  name: string;
  /** Parameter type OIDs, in order (from ParameterDescription). */
  paramTypes: number[];
  /** Undefined for a statement that returns no rows (NoData). */
  rowDescription: messages.RowDescriptionMessage | undefined;
}

/** Leading whitespace and comments, then the statement's first keyword. */
const preparable =
  /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*(?:select|insert|update|delete|with|values)\b/i;

/** The statement no longer fits the schema (result type changed) or no longer exists in the engine. */
function stale(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    (e.code === '0A000' && /cached plan must not change result type/.test(e.message ?? '')) ||
    e.code === '26000' // invalid_sql_statement_name: prepared statement "…" does not exist
  );
}

function concat(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

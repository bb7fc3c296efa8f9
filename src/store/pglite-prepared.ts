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
        values.every((v) => v === null || typeof v === 'string')
          ? bindMessage(entry.name, values as (string | null)[])
          : protocol.serialize.bind({ statement: entry.name, values }),
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

/**
 * The Bind message (unnamed portal, `statement`, every parameter and result in text format) that
 * PGlite's `protocol.serialize.bind` writes for these values, byte for byte, written with Node's native
 * UTF-8 length and encoder. PGlite's serializer counts each string's UTF-8 length in JavaScript,
 * character by character: with group commit's one JSON parameter per batch (≈ 1.4 MB for 100 webhooks)
 * that was 9 % of the default's CPU under load (bench/README.md, issue 13).
 * Layout (PostgreSQL protocol, Bind): 'B', Int32 length, portal "\0", statement "\0", Int16 n formats,
 * n × Int16 0 (text), Int16 n values, each Int32 byte length (−1 for NULL) + bytes, Int16 0 result formats.
 */
export function bindMessage(statement: string, values: readonly (string | null)[]): Uint8Array {
  const lengths = values.map((v) => (v === null ? -1 : Buffer.byteLength(v)));
  const nameBytes = Buffer.byteLength(statement);
  let size = 4 + 1 + nameBytes + 1 + 2 + 2 * values.length + 2 + 2;
  for (const n of lengths) size += 4 + Math.max(n, 0);
  const out = Buffer.allocUnsafe(1 + size);
  let at = out.writeUInt8(0x42, 0);
  at = out.writeInt32BE(size, at);
  at = out.writeUInt8(0, at);
  at += out.write(statement, at, 'utf8');
  at = out.writeUInt8(0, at);
  at = out.writeUInt16BE(values.length, at);
  for (let i = 0; i < values.length; i++) at = out.writeInt16BE(0, at);
  at = out.writeUInt16BE(values.length, at);
  values.forEach((v, i) => {
    at = out.writeInt32BE(lengths[i]!, at);
    if (v !== null) at += out.write(v, at, 'utf8');
  });
  at = out.writeInt16BE(0, at);
  if (at !== out.length) throw new Error(`Bind message length ${at} ≠ ${out.length}`);
  return out;
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

import { SQLITE_NOW, sqliteInArray, sqliteNowPlusMs } from './dialects.js';

/**
 * The SQL a store speaks. `postgres`: a Postgres server (`DATABASE_URL`). `sqlite`: the embedded
 * default (SQLite through libsql, in `DATA_DIR`).
 */
export type Dialect = 'postgres' | 'sqlite';

/**
 * How a commit reaches the disk. By default a commit returns once it is durable: it survives a crash
 * of the process and, where the store syncs (SQLite with `SQLITE_SYNC=full`), a power cut.
 *
 * `asyncCommit: true` (Postgres's "asynchronous commit") lets it return before the sync. A power cut
 * may then lose it, but only together with everything committed after it and before the next synced
 * commit, which makes it durable too (SQLite's WAL and Postgres's log are written in commit order):
 * the store comes back as it was at an earlier instant, which is what a crash of the process at that
 * instant leaves, and the service already recovers from that (redelivery, idempotency by event id,
 * the write journal's lookup of a write in flight). So it is for commits no one outside learns of
 * before a later synced commit: a claim, a run's start and end, a write's outcome that no person
 * decided. Never for a commit whose result leaves the process before the next synced one (an HTTP
 * answer, a write sent to Wix, a Kafka offset).
 *
 * On the SQLite store an asynchronous commit is made durable by the next synced commit, or else by the
 * background checkpoint, which syncs the WAL first (normally within its 250 ms interval, see
 * `sqlite-checkpointer.ts`): the window a power cut can take back is short, not open-ended.
 *
 * Only the SQLite store acts on it (when `SQLITE_SYNC=full`); a Postgres server commits as it
 * always does. Inside a transaction a statement's option is ignored: the
 * transaction's own counts.
 */
export interface CommitOptions {
  asyncCommit?: boolean;
}

/** Something SQL can be run on: the store itself, or a transaction of it. */
export interface Queryable {
  readonly dialect: Dialect;
  /**
   * Runs one statement with `$1`-style parameters. Rows as each dialect's driver gives them, but for
   * what the SQLite adapter converts (see sqlite.ts): columns declared `timestamptz` come back as
   * `Date`, `jsonb` parsed; expressions (a count, a comparison) are numbers on SQLite (0/1 for a
   * boolean), so callers read them with `Number()` / `Boolean()`. `options`: see `CommitOptions`.
   */
  query<R = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    options?: CommitOptions,
  ): Promise<{ rows: R[]; rowCount: number }>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/**
 * The Store port: embedded SQLite in `DATA_DIR` (the default), or a Postgres server (`DATABASE_URL`).
 * Everything durable lives here: the embedded bus queue, processed events, dead letters, agent runs.
 */
export interface Store extends Queryable {
  /** `sqlite` is embedded: one process owns the data directory (see data-dir-lock.ts). */
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Runs `fn` in a transaction; commits when it resolves (as `options` says, see `CommitOptions`),
   * rolls back when it throws.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: CommitOptions): Promise<T>;
  close(): Promise<void>;
}

/** The statement for `db`'s dialect: for SQL the two dialects write differently. */
export function sqlFor(db: Pick<Queryable, 'dialect'>, variants: Record<Dialect, string>): string {
  return variants[db.dialect];
}

/** The current time in `db`'s dialect: `now()`, or SQLite's text timestamp (sqlite-sql.ts). */
export const nowSql = (db: Pick<Queryable, 'dialect'>): string =>
  db.dialect === 'sqlite' ? SQLITE_NOW : 'now()';

/**
 * `column` equals one element of the text-array parameter `param` (e.g. `$2`): `column = ANY($2::text[])`
 * on Postgres; on SQLite the array travels as JSON text (sqlite.ts) and is read with `json_each`.
 */
export const inArray = (db: Pick<Queryable, 'dialect'>, column: string, param: string): string =>
  db.dialect === 'sqlite' ? sqliteInArray(column, param) : `${column} = ANY(${param}::text[])`;

/**
 * Parameter `param` (e.g. `$3`) with the Postgres type it needs where Postgres cannot infer one
 * (`$3::text`); SQLite has no such casts, so there the parameter is left as it is.
 */
export const typed = (db: Pick<Queryable, 'dialect'>, param: string, postgresType: string): string =>
  db.dialect === 'postgres' ? `${param}::${postgresType}` : param;

/** `now()` moved by the milliseconds in parameter `param` (e.g. `$2`), forward or (`sign` -1) back. */
export const nowPlusMsSql = (db: Pick<Queryable, 'dialect'>, param: string, sign: 1 | -1 = 1): string =>
  db.dialect === 'sqlite'
    ? sqliteNowPlusMs(sign < 0 ? `-${param}` : param)
    : `(now() ${sign < 0 ? '-' : '+'} ${param}::double precision * interval '1 millisecond')`;

/**
 * A JSON value read from an expression (not a `jsonb` column, which both dialects return parsed):
 * Postgres gives it parsed, SQLite as JSON text.
 */
export const readJson = (db: Pick<Queryable, 'dialect'>, value: unknown): unknown =>
  db.dialect === 'sqlite' && typeof value === 'string' ? (JSON.parse(value) as unknown) : value;

/** True for a store only this process uses (embedded): it knows every change made to it. */
export const isEmbedded = (store: Store): boolean => store.kind !== 'postgres';

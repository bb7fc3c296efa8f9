/**
 * SQL snippets and facts of the SQLite store, apart from the adapter (sqlite.ts) so that statements
 * and the engine choice can use them without loading libsql.
 */

/** The database file inside `DATA_DIR` (WAL mode adds `-wal` and `-shm` files beside it). */
export const SQLITE_FILE = 'wix-event-agent.sqlite';

/**
 * The current time as the SQLite store keeps timestamps: ISO 8601 UTC text with milliseconds
 * (`2026-11-30T20:54:46.140Z`, what `Date.prototype.toISOString` writes), so that text order is time
 * order and times from JavaScript compare with it. What `now()` is in the Postgres statements.
 */
export const SQLITE_NOW = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

/** `SQLITE_NOW` moved by `msExpr` milliseconds (an SQL expression, e.g. `$2`; may be negative). */
export const sqliteNowPlusMs = (msExpr: string) =>
  `strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ((${msExpr}) / 1000.0) || ' seconds')`;

/** `column IN` the elements of a JSON array parameter: Postgres's `column = ANY($n::text[])`. */
export const sqliteInArray = (column: string, param: string) =>
  `${column} IN (SELECT value FROM json_each(${param}))`;

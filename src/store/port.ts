/** Something SQL can be run on: the store itself, or a transaction of it. One dialect: Postgres. */
export interface Queryable {
  /** Runs one statement with `$1`-style parameters. */
  query<R = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/**
 * The Store port: Postgres, embedded (PGlite in `DATA_DIR`) or a server (`DATABASE_URL`).
 * Everything durable lives here: the embedded bus queue, processed events, dead letters, agent runs.
 */
export interface Store extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in a transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

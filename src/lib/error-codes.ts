/**
 * Reads the machine-readable code of an error and its causes (`cause`, kafkajs's `originalError`,
 * an AggregateError's `errors`), so failures are classified by code, never by message text.
 */

interface Coded {
  code?: unknown;
  errno?: unknown;
  name?: unknown;
  cause?: unknown;
  originalError?: unknown;
  errors?: unknown;
  type?: unknown;
}

/** The error and every error it wraps, outermost first (at most 10 deep, no cycles). */
export function errorChain(error: unknown): unknown[] {
  const out: unknown[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && out.length < 10) {
    const e = queue.shift();
    if (e === undefined || e === null || out.includes(e)) continue;
    out.push(e);
    if (typeof e !== 'object') continue;
    const c = e as Coded;
    queue.push(c.cause, c.originalError);
    if (Array.isArray(c.errors)) queue.push(...(c.errors as unknown[]));
  }
  return out;
}

/** Every string `code` (e.g. `ECONNREFUSED`, Postgres SQLSTATE `28P01`) and error `name` in the chain. */
export function errorCodes(error: unknown): Set<string> {
  const codes = new Set<string>();
  for (const e of errorChain(error)) {
    if (!e || typeof e !== 'object') continue;
    const c = e as Coded;
    if (typeof c.code === 'string') codes.add(c.code);
    if (typeof c.name === 'string') codes.add(c.name);
    if (typeof c.type === 'string') codes.add(c.type);
    // Redis replies carry their error kind as the first word (`WRONGPASS ...`, `NOAUTH ...`).
    if (c.name === 'ReplyError' && e instanceof Error) {
      const kind = /^([A-Z][A-Z_]+)\b/.exec(e.message)?.[1];
      if (kind) codes.add(kind);
    }
  }
  return codes;
}

/** True when any of `codes` appears in the error's chain. */
export function hasCode(error: unknown, ...codes: string[]): boolean {
  const found = errorCodes(error);
  return codes.some((c) => found.has(c));
}

/**
 * A Postgres data exception (SQLSTATE class 22: invalid text, out-of-range values, bad JSON): the
 * server refused this content, it is reachable. Retrying the same content cannot succeed.
 */
export function isDataException(error: unknown): boolean {
  return [...errorCodes(error)].some((code) => /^22[0-9A-Z]{3}$/.test(code));
}

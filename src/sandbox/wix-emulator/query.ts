/**
 * The part of Wix's API Query Language the emulated endpoints need: filters with $eq $ne $in $nin
 * $hasSome $hasAll $gt $gte $lt $lte $exists $startsWith $contains, combined with $and $or $not;
 * dotted paths that reach into arrays; sort by fields.
 */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

type Operator = (values: unknown[], operand: unknown, field: string) => boolean;

const isoDate = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

function unwrap(value: unknown): unknown {
  if (value && typeof value === 'object' && '$date' in value) return (value as { $date: unknown }).$date;
  return value;
}

function compare(a: unknown, b: unknown): number | undefined {
  a = unwrap(a);
  b = unwrap(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') {
    if (isoDate.test(a) && isoDate.test(b)) return Date.parse(a) - Date.parse(b);
    // Numbers in strings (money amounts, order numbers) compare as numbers.
    if (/^-?\d+(\.\d+)?$/.test(a) && /^-?\d+(\.\d+)?$/.test(b)) return Number(a) - Number(b);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return undefined;
}

function equals(a: unknown, b: unknown): boolean {
  a = unwrap(a);
  b = unwrap(b);
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return compare(a, b) === 0 || a === b;
}

function list(operand: unknown, op: string, field: string): unknown[] {
  if (!Array.isArray(operand)) throw new QueryError(`${op} expects an array`, field);
  return operand;
}

function text(operand: unknown, op: string, field: string): string {
  if (typeof operand !== 'string') throw new QueryError(`${op} expects a string`, field);
  return operand.toLowerCase();
}

function ordered(test: (result: number) => boolean): Operator {
  return (values, x) =>
    values.some((v) => {
      const result = compare(v, x);
      return result !== undefined && test(result);
    });
}

const operators: Record<string, Operator> = {
  $eq: (values, x) => values.some((v) => equals(v, x)),
  $ne: (values, x) => !values.some((v) => equals(v, x)),
  $in: (values, x, f) => list(x, '$in', f).some((o) => values.some((v) => equals(v, o))),
  $hasSome: (values, x, f) => list(x, '$hasSome', f).some((o) => values.some((v) => equals(v, o))),
  $nin: (values, x, f) => !list(x, '$nin', f).some((o) => values.some((v) => equals(v, o))),
  $hasAll: (values, x, f) => list(x, '$hasAll', f).every((o) => values.some((v) => equals(v, o))),
  $gt: ordered((r) => r > 0),
  $gte: ordered((r) => r >= 0),
  $lt: ordered((r) => r < 0),
  $lte: ordered((r) => r <= 0),
  $exists: (values, x) => values.length > 0 === Boolean(x),
  $startsWith: (values, x, f) => {
    const prefix = text(x, '$startsWith', f);
    return values.some((v) => typeof v === 'string' && v.toLowerCase().startsWith(prefix));
  },
  $contains: (values, x, f) => {
    const part = text(x, '$contains', f);
    return values.some((v) => typeof v === 'string' && v.toLowerCase().includes(part));
  },
};

/**
 * Values at a dotted path; arrays on the way are flattened (any element may match). Wix filter
 * paths skip the `items` level of list fields: `info.emails.email` reads `info.emails.items[].email`.
 */
export function valuesAt(entity: unknown, path: string): unknown[] {
  let current: unknown[] = [entity];
  for (const key of path.split('.')) {
    const next: unknown[] = [];
    for (const value of current.flatMap(listItems)) {
      if (value && typeof value === 'object' && key in value)
        next.push((value as Record<string, unknown>)[key]);
    }
    current = next;
  }
  return current.flatMap(listItems).filter((v) => v !== undefined && v !== null);
}

/** An array, or a Wix list field `{items: [...]}`, as its elements; anything else as itself. */
function listItems(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object' && Array.isArray((value as { items?: unknown }).items)) {
    return (value as { items: unknown[] }).items;
  }
  return [value];
}

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0 &&
    Object.keys(value).every((k) => k.startsWith('$')) &&
    !('$date' in value)
  );
}

/** True when the entity matches the filter. Throws QueryError for operators it does not know. */
export function matches(entity: unknown, filter: unknown): boolean {
  if (filter === undefined || filter === null) return true;
  if (typeof filter !== 'object' || Array.isArray(filter))
    throw new QueryError('filter must be an object', 'filter');
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and') {
      if (!list(condition, '$and', key).every((f) => matches(entity, f))) return false;
    } else if (key === '$or') {
      if (!list(condition, '$or', key).some((f) => matches(entity, f))) return false;
    } else if (key === '$not') {
      if (matches(entity, condition)) return false;
    } else if (key.startsWith('$')) {
      throw new QueryError(`unknown operator ${key}`, key);
    } else {
      const values = valuesAt(entity, key);
      const conditions = isOperatorObject(condition) ? condition : { $eq: condition };
      for (const [op, operand] of Object.entries(conditions)) {
        const fn = operators[op];
        if (!fn) throw new QueryError(`unknown operator ${op}`, key);
        if (!fn(values, operand, key)) return false;
      }
    }
  }
  return true;
}

export interface SortSpec {
  fieldName: string;
  order?: 'ASC' | 'DESC';
}

export function sortBy<T>(items: T[], sort: SortSpec[]): T[] {
  return [...items].sort((a, b) => {
    for (const { fieldName, order } of sort) {
      const result = compare(valuesAt(a, fieldName)[0], valuesAt(b, fieldName)[0]) ?? 0;
      if (result !== 0) return order === 'DESC' ? -result : result;
    }
    return 0;
  });
}

/** Opaque cursor: where the next page starts, and what it was a page of. */
export function encodeCursor(value: { offset: number; filter: unknown; sort: unknown }): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor(cursor: string): { offset: number; filter: unknown; sort: unknown } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { offset?: unknown };
    if (typeof value.offset !== 'number') throw new Error('bad cursor');
    return value as { offset: number; filter: unknown; sort: unknown };
  } catch {
    throw new QueryError('invalid cursor', 'cursorPaging.cursor');
  }
}

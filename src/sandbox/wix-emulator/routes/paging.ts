import { QueryError, decodeCursor, encodeCursor, matches, sortBy, type SortSpec } from '../query.js';
import { validationError } from '../http.js';

/** Runs filter + sort + page; QueryError becomes Wix's 400. */
export function runQuery<T>(items: T[], filter: unknown, sort: SortSpec[]): T[] {
  return asValidationError(() =>
    sortBy(
      items.filter((item) => matches(item, filter)),
      sort,
    ),
  );
}

function asValidationError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof QueryError) {
      throw validationError([{ field: error.field, description: error.message, violatedRule: 'OTHER' }]);
    }
    throw error;
  }
}

/** Cursor paging: a cursor carries the filter and sort of the first page (Wix rejects both together). */
export function cursorPage<T>(
  items: (filter: unknown, sort: SortSpec[]) => T[],
  request: { filter?: unknown; sort?: SortSpec[]; limit: number; cursor?: string },
  defaults: { sort: SortSpec[] },
): { page: T[]; next: string | undefined; total: number } {
  let filter = request.filter;
  let sort = request.sort ?? defaults.sort;
  let offset = 0;
  if (request.cursor) {
    if (request.filter !== undefined || request.sort !== undefined) {
      throw validationError([
        {
          field: 'cursorPaging.cursor',
          description: 'a cursor cannot be combined with filter or sort',
          violatedRule: 'OTHER',
        },
      ]);
    }
    const cursor = request.cursor;
    const decoded = asValidationError(() => decodeCursor(cursor));
    filter = decoded.filter;
    sort = decoded.sort as SortSpec[];
    offset = decoded.offset;
  }
  const all = items(filter, sort);
  const page = all.slice(offset, offset + request.limit);
  const nextOffset = offset + page.length;
  const next = nextOffset < all.length ? encodeCursor({ offset: nextOffset, filter, sort }) : undefined;
  return { page, next, total: all.length };
}

/** The field names a filter names (below `$and`, `$or`, `$not`), e.g. `createdDate`, `contact.id`. */
function filterFields(filter: unknown): string[] {
  if (Array.isArray(filter)) return filter.flatMap(filterFields);
  if (!filter || typeof filter !== 'object') return [];
  return Object.entries(filter).flatMap(([key, value]) =>
    key.startsWith('$') ? filterFields(value) : [key],
  );
}

/**
 * Refuses (400, as Wix does) a filter or sort on a field the endpoint does not support, e.g. the SDK's
 * `_createdDate` sent to a REST endpoint whose field is `createdDate`.
 */
export function onlySupportedFields(
  request: { filter?: unknown; sort?: { fieldName: string }[] },
  supported: { filter: readonly string[]; sort: readonly string[] },
): void {
  const bad = [
    ...filterFields(request.filter)
      .filter((f) => !supported.filter.includes(f))
      .map((f) => ({ field: `query.filter.${f}`, description: `${f} is not a supported filter field` })),
    ...(request.sort ?? [])
      .filter((s) => !supported.sort.includes(s.fieldName))
      .map((s) => ({ field: 'query.sort.fieldName', description: `${s.fieldName} is not sortable` })),
  ];
  if (bad.length) throw validationError(bad.map((b) => ({ ...b, violatedRule: 'OTHER' as const })));
}

import { z } from 'zod';
import { ToolInputError } from './tool.js';

/**
 * Paging every catalog tool offers: `limit` (one page) and the `cursor` of the previous answer's
 * `nextCursor`. Offset-paged Wix APIs get an opaque cursor holding the offset.
 */
export const pageInput = (max: number, fallback: number) => ({
  limit: z
    .number()
    .int()
    .min(1)
    .max(max)
    .default(fallback)
    .describe(`Items per page, 1-${max} (default ${fallback}).`),
  cursor: z
    .string()
    .max(2000)
    .optional()
    .describe('nextCursor of the previous answer, for the next page (keep the other arguments the same).'),
});

/** The cursor of an offset-paged API. */
export function offsetCursor(offset: number | undefined): string | undefined {
  return offset === undefined ? undefined : `offset:${offset}`;
}

/** The offset a cursor holds (0 without one); a cursor that is not ours is a `ToolInputError` of `tool`. */
export function offsetOf(cursor: string | undefined, tool: string): number {
  if (cursor === undefined) return 0;
  const match = /^offset:(\d{1,7})$/.exec(cursor);
  if (!match) throw new ToolInputError(tool, [{ path: 'cursor', message: 'not a cursor of this tool' }]);
  return Number(match[1]);
}

/** Loose readers for JSON of unknown shape (Wix entities, model messages): never throw, default to empty. */
export type Json = Record<string, unknown>;

export const asObject = (v: unknown): Json =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
export const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

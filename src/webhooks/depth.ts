/** Nesting limit for anything we store or publish: Wix entities nest about ten levels deep. */
export const MAX_JSON_DEPTH = 64;

/**
 * True when `value` nests no deeper than `limit` (arrays and objects). The recursion stops at `limit`,
 * so hostile input nested a million levels deep costs at most `limit` stack frames here (JSON.stringify
 * would overflow the stack); nothing is allocated per node.
 */
export function withinDepth(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  return value === null || typeof value !== 'object' || childrenWithin(value, limit - 1);
}

/** True when every object or array child of `v` (itself an object or array) is within `left` levels. */
function childrenWithin(v: object, left: number): boolean {
  if (left < 0) return false;
  if (Array.isArray(v)) {
    for (const child of v as unknown[]) {
      if (child !== null && typeof child === 'object' && !childrenWithin(child, left - 1)) return false;
    }
    return true;
  }
  for (const key in v) {
    if (!Object.hasOwn(v, key)) continue;
    const child = (v as Record<string, unknown>)[key];
    if (child !== null && typeof child === 'object' && !childrenWithin(child, left - 1)) return false;
  }
  return true;
}

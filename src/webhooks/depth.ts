/** Nesting limit for anything we store or publish: Wix entities nest about ten levels deep. */
export const MAX_JSON_DEPTH = 64;

/**
 * True when `value` nests no deeper than `limit` (arrays and objects). Iterative, so hostile input
 * nested a million levels deep cannot overflow the stack here (JSON.stringify would).
 */
export function withinDepth(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limit) return false;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return true;
}

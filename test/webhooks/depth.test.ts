import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, withinDepth } from '../../src/webhooks/depth.js';

/** `levels` nested containers, alternating objects and arrays, with a scalar at the bottom. */
function nest(levels: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < levels; i++) v = i % 2 === 0 ? [1, v] : { a: 1, b: v };
  return v;
}

describe('withinDepth', () => {
  it('counts each object or array as one level, and scalars as none', () => {
    expect(withinDepth('x')).toBe(true);
    expect(withinDepth(null)).toBe(true);
    expect(withinDepth(undefined)).toBe(true);
    expect(withinDepth({}, 1)).toBe(true);
    expect(withinDepth({}, 0)).toBe(false);
    expect(withinDepth({ a: [] }, 1)).toBe(false);
    expect(withinDepth({ a: [] }, 2)).toBe(true);
    expect(withinDepth([{ a: 'deep' }, [[]]], 3)).toBe(true);
    expect(withinDepth([{ a: 'deep' }, [[[]]]], 3)).toBe(false);
  });

  it('accepts exactly MAX_JSON_DEPTH levels by default and refuses one more, in any branch', () => {
    expect(withinDepth(nest(MAX_JSON_DEPTH))).toBe(true);
    expect(withinDepth(nest(MAX_JSON_DEPTH + 1))).toBe(false);
    expect(withinDepth({ shallow: 1, list: [1, 2], deep: nest(MAX_JSON_DEPTH) })).toBe(false);
    expect(withinDepth({ shallow: 1, list: [1, 2], deep: nest(MAX_JSON_DEPTH - 1) })).toBe(true);
  });

  it('refuses hostile nesting a million levels deep without overflowing the stack', () => {
    const text = `${'{"a":'.repeat(500_000)}${'['.repeat(500_000)}1${']'.repeat(500_000)}${'}'.repeat(500_000)}`;
    expect(withinDepth(JSON.parse(text))).toBe(false);
  });
});

import { z } from 'zod';

/**
 * Field parsers for environment variables. Every one treats an absent, empty or all-blank value as
 * unset (so `.env.example` copied verbatim, Compose's `${VAR:-}` and `VAR=` all mean "use the default"),
 * and every message says what is expected. Values of secrets are never echoed: only fields built with
 * {@link text} can hold one, and it never fails.
 */

/** Trims; empty or blank → undefined. */
export const blankToUndefined = (v: string | undefined): string | undefined => {
  const t = v?.trim();
  return t ? t : undefined;
};

/** Free text; empty = unset. */
export const text = () => z.string().optional().transform(blankToUndefined);

/** Free text with a default when unset. */
export const textOr = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((v) => blankToUndefined(v) ?? fallback);

/**
 * A whole number in `[min, max]`, `fallback` when unset. `why` explains the bound in the message
 * (e.g. "the rate limiter needs at least 2").
 */
export const int = (fallback: number, min: number, max: number, why = '') =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const t = blankToUndefined(v);
      if (t === undefined) return fallback;
      const n = Number(t);
      if (/^[+-]?\d+$/.test(t) && Number.isSafeInteger(n) && n >= min && n <= max) return n;
      ctx.addIssue({
        code: 'custom',
        message: `expected a whole number from ${min} to ${max}${why ? ` (${why})` : ''}, got "${t.slice(0, 40)}"`,
      });
      return z.NEVER;
    });

/** `true/false`, `1/0`, `yes/no`, `on/off` (any case), `fallback` when unset. */
export const flag = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const t = blankToUndefined(v)?.toLowerCase();
      if (t === undefined) return fallback;
      if (['1', 'true', 'yes', 'on'].includes(t)) return true;
      if (['0', 'false', 'no', 'off'].includes(t)) return false;
      ctx.addIssue({ code: 'custom', message: `expected true or false, got "${t.slice(0, 40)}"` });
      return z.NEVER;
    });

/** One of `values` (any case); undefined when unset. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .optional()
    .transform((v, ctx): T[number] | undefined => {
      const t = blankToUndefined(v)?.toLowerCase();
      if (t === undefined) return undefined;
      if ((values as readonly string[]).includes(t)) return t as T[number];
      ctx.addIssue({
        code: 'custom',
        message: `expected one of ${values.join(' | ')}, got "${t.slice(0, 40)}"`,
      });
      return z.NEVER;
    });

/** One of `values` (any case), `fallback` when unset. */
export const oneOfOr = <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  oneOf(values).transform((v): T[number] => v ?? fallback);

/**
 * A URL whose scheme is one of `protocols` (e.g. `['http:', 'https:']`). The message names the
 * expected form, never the value (a URL may carry a password).
 */
export const urlOf = (protocols: readonly string[], example: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const t = blankToUndefined(v);
      if (t === undefined) return undefined;
      let parsed: URL | undefined;
      try {
        parsed = new URL(t);
      } catch {
        parsed = undefined;
      }
      if (parsed && protocols.includes(parsed.protocol) && parsed.host !== '') return t;
      ctx.addIssue({
        code: 'custom',
        message: `not a ${protocols.map((p) => p.replace(':', '')).join(' or ')} URL (e.g. ${example})`,
      });
      return z.NEVER;
    });

/** A comma-separated list; blanks dropped; undefined when empty. */
export const list = () =>
  z
    .string()
    .optional()
    .transform((v) => {
      const items = (v ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      return items.length > 0 ? items : undefined;
    });

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration with its unit — `500ms`, `45s`, `15m`, `12h`, `7d` — in milliseconds, `fallback` when
 * unset; bounds in ms. A bare number is refused (seconds or days? say which).
 */
export const duration = (fallback: number, minMs: number, maxMs: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const t = blankToUndefined(v)?.toLowerCase();
      if (t === undefined) return fallback;
      const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(t);
      const ms = m ? Number(m[1]) * units[m[2]!]! : NaN;
      if (Number.isFinite(ms) && ms >= minMs && ms <= maxMs) return Math.round(ms);
      ctx.addIssue({
        code: 'custom',
        message: `expected a duration like 90s, 15m, 12h or 7d, from ${minMs / 1000}s to ${maxMs / 86_400_000}d, got "${t.slice(0, 40)}"`,
      });
      return z.NEVER;
    });

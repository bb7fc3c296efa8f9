/**
 * Text Postgres can store. Postgres `text` refuses the NUL character (U+0000) and `jsonb` refuses both
 * `\u0000` and unpaired UTF-16 surrogates (U+D800–U+DFFF without their partner); JavaScript strings and
 * Wix payloads can hold either (a buyer note is whatever the customer typed). A correctly signed event
 * must never be refused for its content, so every value is made storable where it enters the store:
 *
 * - U+0000 (NUL) is **dropped** (it carries no visible meaning in any text Wix shows);
 * - a lone surrogate is **replaced by U+FFFD** (the Unicode replacement character, what a UTF-8 encoder
 *   writes for it anyway);
 * - every other character, including valid surrogate pairs (emoji), is kept as it is.
 *
 * So stored text equals the original except at those characters; nothing else is escaped or altered.
 * Applied by both store adapters to every query parameter, which covers bus events, dead letters, audit
 * arguments and results, and model output alike.
 */

/** Raw characters Postgres refuses: NUL, or any surrogate (paired ones are kept by `storableText`). */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const suspicious = /[\u0000\ud800-\udfff]/;
// eslint-disable-next-line no-control-regex -- NUL is exactly what this replaces
const rawFix = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** JSON escapes Postgres jsonb refuses: `\u0000` and `\udXXX` (checked for pairing). */
const escapeHint = /\\u(0000|[dD][89a-fA-F])/;
const escapeToken = /\\(?:\\|u([0-9a-fA-F]{4}))/g;

const isHigh = (hex: string) => /^d[89ab]/i.test(hex);
const isLow = (hex: string) => /^d[c-f]/i.test(hex);

/** `text` without NUL and with lone surrogates replaced by U+FFFD. Cheap when there is nothing to fix. */
export function storableText(text: string): string {
  return suspicious.test(text) ? text.replace(rawFix, (c) => (c === '\u0000' ? '' : '\ufffd')) : text;
}

/**
 * The same for JSON text (as `JSON.stringify` writes it, where NUL and lone surrogates appear as
 * `\u0000` and `\udXXX` escapes): `\u0000` escapes are dropped, unpaired surrogate escapes become
 * `\ufffd`. Escaped backslashes (`\\u0000`, which is the six characters a person typed) are left alone.
 */
export function storableJsonText(json: string): string {
  const text = storableText(json);
  if (!escapeHint.test(text)) return text;
  // Tokens are matched left to right, an escaped backslash consuming both characters, so every `\uXXXX`
  // seen here is a real escape. A low surrogate is kept only right after the high one it pairs with.
  let pairedLowAt = -1;
  return text.replace(escapeToken, (token: string, hex: string | undefined, offset: number) => {
    if (hex === undefined) return token;
    if (hex === '0000') return '';
    if (isHigh(hex)) {
      const next = /^\\u([0-9a-fA-F]{4})/.exec(text.slice(offset + 6, offset + 12));
      if (next && isLow(next[1]!)) {
        pairedLowAt = offset + 6;
        return token;
      }
      return '\\ufffd';
    }
    if (isLow(hex)) return offset === pairedLowAt ? token : '\\ufffd';
    return token;
  });
}

/**
 * A value made storable throughout: strings (and object keys) by `storableText`; strings that are JSON
 * documents (start with `{` or `[`, as the adapters' callers pass jsonb) also by `storableJsonText`;
 * arrays and plain objects deeply; anything else (numbers, Dates, Buffers, null) unchanged.
 */
export function storable<T>(value: T): T {
  if (typeof value === 'string') {
    const first = value[0];
    return (first === '{' || first === '[' ? storableJsonText(value) : storableText(value)) as T;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => storable(v)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), storable(v)])) as T;
  }
  return value;
}

/** Query parameters made storable (see `storable`); the same array when nothing needed fixing. */
export function storableParams(params: readonly unknown[]): unknown[] {
  return params.map((p) => storable(p));
}

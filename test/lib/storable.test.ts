import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { storable, storableJsonText, storableText } from '../../src/lib/storable.js';

/** Strings rich in the characters that matter: NUL, both surrogate halves, backslashes, emoji. */
const nasty = fc
  .array(
    fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff', '\\', 'u', '0', 'a', '😀', 'é', '"'),
    {
      maxLength: 30,
    },
  )
  .map((chars) => chars.join(''));
const text = fc.oneof(nasty, fc.string({ unit: 'binary' }));

describe('storable text', () => {
  it('drops NUL, replaces lone surrogates with U+FFFD, keeps everything else', () => {
    expect(storableText('a\u0000b\ud800c\udc00d😀')).toBe('ab\ufffdc\ufffdd😀');
    expect(storableText('plain')).toBe('plain');
  });

  it('always yields well-formed text without NUL', () => {
    fc.assert(
      fc.property(text, (s) => {
        const out = storableText(s);
        expect(out.includes('\u0000')).toBe(false);
        // Well-formed: encodes to UTF-8 and back unchanged (no lone surrogate became U+FFFD on the way).
        expect(Buffer.from(out, 'utf8').toString('utf8')).toBe(out);
      }),
    );
  });

  it('JSON text means the same as the storable value it was made from', () => {
    fc.assert(
      fc.property(text, (s) => {
        const json = storableJsonText(JSON.stringify({ s }));
        expect(json).not.toMatch(/(^|[^\\])(\\\\)*\\u0000/);
        expect((JSON.parse(json) as { s: string }).s).toBe(storableText(s));
      }),
    );
  });

  it('leaves a typed backslash-u sequence alone, and keeps escaped surrogate pairs', () => {
    expect(storableJsonText('{"a":"\\\\u0000"}')).toBe('{"a":"\\\\u0000"}');
    expect(storableJsonText('{"a":"\\ud83d\\ude00"}')).toBe('{"a":"\\ud83d\\ude00"}');
    expect(storableJsonText('{"a":"\\ude00\\ud83d"}')).toBe('{"a":"\\ufffd\\ufffd"}');
  });

  it('makes objects storable deeply, keys included, leaving other values', () => {
    const date = new Date(0);
    expect(storable({ ['k\u0000']: ['\ud800', 1, null, date], n: { m: 'x\u0000' } })).toEqual({
      k: ['\ufffd', 1, null, date],
      n: { m: 'x' },
    });
  });
});

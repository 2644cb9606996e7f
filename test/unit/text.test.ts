// What a device sent, as staff read it on a device's log (printablePreview): printable, short,
// and never mistaking a cut for binary.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { printablePreview } from '../../server/shapes/text.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe("a refused message's preview", () => {
  it('shows a JSON message as it was sent', () => {
    const json = '{"type":"body_weight","value":999,"unit":"kg","note":"våg åäö ✓"}';
    expect(printablePreview(utf8(json), 300)).toEqual({ text: json, cut: false });
  });

  it('escapes what a screen cannot show: controls, NUL, format characters, a byte order mark', () => {
    const sent = '\uFEFF{"a":\n\t"b\u0000c\u200Bd\u2028e\u0007"}\r';
    expect(printablePreview(utf8(sent), 300).text).toBe(
      '\\u{FEFF}{"a":\\n\\t"b\\u{0}c\\u{200B}d\\u{2028}e\\u{7}"}\\r',
    );
  });

  it('shows bytes that are not UTF-8 one by one, printable ASCII as itself', () => {
    // a GATT weight measurement's bytes (flags, then 0x3eb4 x 5 g), and a text with a stray byte
    expect(printablePreview(Uint8Array.from([0x00, 0xb4, 0x3e]), 300).text).toBe('\\x00\\xb4>');
    expect(printablePreview(Uint8Array.from([0x7b, 0xff, 0x7d]), 300).text).toBe('{\\xff}');
  });

  it('drops a character cut off by the kept head of the payload instead of taking it for binary', () => {
    const bytes = utf8('vikt åäö');
    expect(printablePreview(bytes.subarray(0, bytes.length - 1), 300)).toEqual({
      text: 'vikt åä',
      cut: false,
    });
  });

  it('cuts at the limit without splitting an escape, and says so', () => {
    expect(printablePreview(utf8('abcdef'), 4)).toEqual({ text: 'abcd', cut: true });
    expect(printablePreview(utf8('abc\u0000def'), 5)).toEqual({ text: 'abc', cut: true });
    expect(printablePreview(utf8('abcd'), 4)).toEqual({ text: 'abcd', cut: false });
  });

  it('is at most the limit and printable for any bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 1200 }),
        fc.integer({ min: 1, max: 400 }),
        (b, max) => {
          const { text } = printablePreview(b, max);
          expect(text.length).toBeLessThanOrEqual(max);
          expect(text).not.toMatch(/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}]/u);
        },
      ),
      { numRuns: 500 },
    );
  });
});

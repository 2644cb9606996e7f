// Text from devices as the hub can keep it. Pure; imports nothing of the stages.

/**
 * Text as PostgreSQL can store it, at most `max` characters: NUL becomes U+FFFD, as does half a
 * surrogate pair (neither has a place in text or jsonb, and one refused value failed the whole
 * commit, which was then split message by message: a device sending them slowed everyone).
 * Used where the hub quotes what a device sent, and by the store on every rejection it records.
 */
export function storableText(s: string, max: number): string {
  const cut = s.length > max ? `${s.slice(0, max - 1)}…` : s;
  return cut.replaceAll('\u0000', '\uFFFD').toWellFormed();
}

/**
 * What a device sent, as staff can read it on a screen: at most `maxChars` characters (then
 * `cut`), non-printable characters (controls, format and private-use characters, line
 * separators) written as `\n`, `\r`, `\t` or `\u{…}`. Bytes that are not UTF-8 (a GATT
 * value, a corrupt message) are shown byte by byte, printable ASCII as itself and the rest as
 * `\xNN`. A multi-byte character cut off at the end of `bytes` (the store keeps a head of the
 * payload) is dropped, not mistaken for binary.
 */
export function printablePreview(
  bytes: Uint8Array,
  maxChars: number,
): { text: string; cut: boolean } {
  let text = '';
  for (const shown of shownUnits(bytes)) {
    if (text.length + shown.length > maxChars) return { text, cut: true };
    text += shown;
  }
  return { text, cut: false };
}

const NON_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]$/u;
const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const shownChar = (ch: string) =>
  NON_PRINTABLE.test(ch)
    ? (SHORT_ESCAPES[ch] ?? `\\u{${ch.codePointAt(0)!.toString(16).toUpperCase()}}`)
    : ch;

const shownByte = (b: number) =>
  b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;

/** Each character (or, when the bytes are not UTF-8, each byte) as it is shown. */
function shownUnits(bytes: Uint8Array): string[] {
  let decoded: string;
  try {
    // stream: an incomplete last character waits for bytes that never come, instead of failing;
    // ignoreBOM: a byte order mark is kept, and so shown (JSON allows none)
    decoded = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes, {
      stream: true,
    });
  } catch {
    return Array.from(bytes, shownByte);
  }
  return Array.from(decoded, shownChar);
}

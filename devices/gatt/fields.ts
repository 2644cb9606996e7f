// Shared pieces of the characteristic codecs: byte views, length checks, numeric fields that
// may carry special values, and the optional time stamp.
import { dateTimeToRfc3339, readDateTime } from './datetime.js';
import { decodeFloat, decodeSfloat, describeSpecial } from './ieee11073.js';
import type { GattError } from './types.js';

/** A view over exactly these bytes (MQTT payloads are often slices of a larger pooled buffer). */
export const viewOf = (bytes: Uint8Array): DataView =>
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

const hex = (n: number, width: number) => '0x' + n.toString(16).toUpperCase().padStart(width, '0');

/** Error for a payload shorter than its flags require, or undefined when long enough. */
export function checkLength(bytes: Uint8Array, need: number): GattError | undefined {
  if (bytes.byteLength >= need) return undefined;
  if (bytes.byteLength === 0) {
    return { path: 'bytes', message: `expected at least ${need} bytes, got 0` };
  }
  const flags = hex(bytes[0]!, 2);
  return {
    path: 'bytes',
    message: `expected at least ${need} bytes for flags ${flags}, got ${bytes.byteLength}`,
  };
}

export const bit = (flags: number, n: number): boolean => ((flags >> n) & 1) === 1;

/**
 * A measured value: any special value (NaN, NRes, infinities, reserved) rejects the reading,
 * because the device did not measure what the reading claims.
 */
export function required(
  raw: number,
  format: 'sfloat' | 'float',
  path: string,
  errors: GattError[],
): number | undefined {
  const n = format === 'sfloat' ? decodeSfloat(raw) : decodeFloat(raw);
  if (n.kind === 'number') return n.value;
  errors.push({ path, message: describeSpecial(n.special, format) });
  return undefined;
}

/**
 * A secondary value (pulse, mean arterial pressure, pulse amplitude index): NaN is the device
 * saying "not measured", so the field is simply absent; other special values still reject.
 */
export function optional(raw: number, path: string, errors: GattError[]): number | undefined {
  const n = decodeSfloat(raw);
  if (n.kind === 'number') return n.value;
  if (n.special !== 'nan') errors.push({ path, message: describeSpecial(n.special, 'sfloat') });
  return undefined;
}

/** The time stamp at `offset`: undefined if any part is unknown; reserved values reject. */
export function timeStamp(
  view: DataView,
  offset: number,
  timeZone: string,
  errors: GattError[],
): string | undefined {
  try {
    return dateTimeToRfc3339(readDateTime(view, offset), timeZone);
  } catch (e) {
    errors.push({ path: 'measuredAt', message: (e as Error).message });
    return undefined;
  }
}

/** Concatenates encoded fields. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

export const u8 = (v: number): Uint8Array => {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new RangeError(`${v} is not a uint8`);
  return Uint8Array.of(v);
};

export function u16(v: number): Uint8Array {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new RangeError(`${v} is not a uint16`);
  const out = new Uint8Array(2);
  new DataView(out.buffer).setUint16(0, v, true);
  return out;
}

export const u24 = (v: number): Uint8Array => Uint8Array.of(v & 0xff, (v >> 8) & 0xff, v >> 16);

export function u32(v: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, v, true);
  return out;
}

/** RangeError for status flags the characteristic cannot carry. */
export function assertKnownFlags(flags: readonly string[], known: readonly string[], what: string) {
  const unknown = flags.filter((f) => !known.includes(f));
  if (unknown.length > 0) {
    throw new RangeError(`${what} cannot carry status ${unknown.join(', ')}`);
  }
}

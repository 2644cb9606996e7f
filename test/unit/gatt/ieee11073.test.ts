import { describe, expect, it } from 'vitest';
import {
  decodeFloat,
  decodeSfloat,
  describeSpecial,
  encodeFloat,
  encodeFloatAuto,
  encodeSfloat,
  encodeSfloatAuto,
  FLOAT_SPECIAL,
  SFLOAT_SPECIAL,
  type SpecialValue,
} from '../../../devices/gatt/ieee11073.js';

const num = (value: number, digits: number) => ({ kind: 'number', value, digits });

describe('SFLOAT', () => {
  it.each([
    [0x0002, 2, 0],
    [0xf014, 2, 1],
    [0xe0c8, 2, 2],
    [0x1002, 20, 0],
    [0x04d2, 1234, 0],
    [0x0b2e, -1234, 0],
  ])('decodes the HL7 worked example 0x%s', (raw, value, digits) => {
    expect(decodeSfloat(raw)).toEqual(num(value, digits));
  });

  it('reads exponent and mantissa as plain two\u2019s complement, with no bias', () => {
    expect(decodeSfloat(0x8001)).toEqual(num(1e-8, 8)); // exponent -8
    expect(decodeSfloat(0x7001)).toEqual(num(1e7, 0)); // exponent +7
    expect(decodeSfloat(0x0803)).toEqual(num(-2045, 0));
    expect(decodeSfloat(0x07fd)).toEqual(num(2045, 0));
    expect(decodeSfloat(0xf170)).toEqual(num(36.8, 1));
  });

  it.each(Object.entries(SFLOAT_SPECIAL))('decodes the special value %s', (special, raw) => {
    expect(decodeSfloat(raw)).toEqual({ kind: 'special', special });
  });

  it('treats special mantissas with a non-zero exponent as numbers', () => {
    expect(decodeSfloat(0xf7ff)).toEqual(num(204.7, 1));
  });

  it('decodes every non-special raw value without float noise', () => {
    for (let raw = 0; raw <= 0xffff; raw++) {
      const n = decodeSfloat(raw);
      if (n.kind !== 'number') continue;
      // The printed value has at most `digits` decimals.
      const decimals = (String(n.value).split('.')[1] ?? '').length;
      if (!String(n.value).includes('e')) expect(decimals).toBeLessThanOrEqual(n.digits);
    }
  });

  it('encodes every representable raw value back to itself', () => {
    for (let raw = 0; raw <= 0xffff; raw++) {
      const mantissa = ((raw & 0xfff) << 20) >> 20;
      const exponent = (raw << 16) >> 28;
      const n = decodeSfloat(raw);
      if (n.kind !== 'number' || Math.abs(mantissa) > 2045) continue;
      expect(encodeSfloat(n.value, exponent)).toBe(raw);
    }
  });

  it.each([
    [2, -1, 0xf014],
    [2, -2, 0xe0c8],
    [20, 1, 0x1002],
    [-1234, 0, 0x0b2e],
    [36.84, -1, 0xf170],
    [0.05, -1, 0xf001], // rounds half away from zero
    [-0.05, -1, 0xffff],
  ])('encodes %s at 10^%s as 0x%s', (value, exponent, raw) => {
    expect(encodeSfloat(value, exponent)).toBe(raw);
  });

  it('throws a RangeError when the mantissa does not fit or the exponent is out of range', () => {
    expect(() => encodeSfloat(2046, 0)).toThrow(RangeError); // would be +INFINITY
    expect(() => encodeSfloat(-2046, 0)).toThrow(RangeError);
    expect(() => encodeSfloat(204.6, -1)).toThrow(RangeError);
    expect(() => encodeSfloat(1, 8)).toThrow(RangeError);
    expect(() => encodeSfloat(1, -9)).toThrow(RangeError);
    expect(() => encodeSfloat(1, 0.5)).toThrow(RangeError);
    expect(() => encodeSfloat(NaN, 0)).toThrow(RangeError);
    expect(() => decodeSfloat(0x10000)).toThrow(RangeError);
  });

  it('picks an exact exponent automatically, else the most precise that fits', () => {
    expect(encodeSfloatAuto(120)).toBe(0x0078);
    expect(encodeSfloatAuto(16.2)).toBe(0xf0a2);
    expect(encodeSfloatAuto(97.25)).toBe(0xf3cd); // 972.5 -> 973 at 10^-1
    expect(encodeSfloatAuto(30000)).toBe(0x212c); // 300 x 10^2: 3000 does not fit
  });
});

describe('FLOAT', () => {
  it('decodes the HL7 worked examples 0xFF000014 = 2.0 and 0x00FFFB2E = -1234', () => {
    expect(decodeFloat(0xff000014)).toEqual(num(2, 1));
    expect(decodeFloat(0x00fffb2e)).toEqual(num(-1234, 0));
  });

  it('decodes 36.8 from 0xFF000170', () => {
    expect(decodeFloat(0xff000170)).toEqual(num(36.8, 1));
  });

  it.each(Object.entries(FLOAT_SPECIAL))('decodes the special value %s', (special, raw) => {
    expect(decodeFloat(raw)).toEqual({ kind: 'special', special });
  });

  it('round-trips values across the exponent range', () => {
    for (const [value, exponent] of [
      [2, -1],
      [-1234, 0],
      [36.8, -1],
      [98.62, -2],
      [8388605, 0],
      [-8388605, 0],
      [1e-100, -100],
      [5e127, 127],
    ] as const) {
      const raw = encodeFloat(value, exponent);
      expect(decodeFloat(raw)).toMatchObject({ kind: 'number', value });
    }
    expect(encodeFloat(-1234, 0)).toBe(0x00fffb2e);
    expect(encodeFloat(2, -1)).toBe(0xff000014);
  });

  it('throws a RangeError when the mantissa does not fit', () => {
    expect(() => encodeFloat(8388606, 0)).toThrow(RangeError);
    expect(() => encodeFloat(1, 128)).toThrow(RangeError);
    expect(() => encodeFloat(1, -129)).toThrow(RangeError);
  });

  it('picks the exponent automatically', () => {
    expect(encodeFloatAuto(36.8)).toBe(0xff000170);
    expect(decodeFloat(encodeFloatAuto(98.6))).toEqual(num(98.6, 1));
  });
});

describe('describeSpecial', () => {
  it.each([
    ['nan', 'sfloat', 'device sent NaN (0x07FF): no value'],
    ['nres', 'sfloat', 'device sent NRes (0x0800): not at this resolution'],
    ['positive-infinity', 'sfloat', 'device sent +INFINITY (0x07FE): above the device range'],
    ['negative-infinity', 'sfloat', 'device sent -INFINITY (0x0802): below the device range'],
    ['reserved', 'sfloat', 'device sent a reserved value (0x0801)'],
    ['nan', 'float', 'device sent NaN (0x007FFFFF): no value'],
    ['reserved', 'float', 'device sent a reserved value (0x00800001)'],
  ] as const)('describes %s (%s) for receipts', (special, format, text) => {
    expect(describeSpecial(special as SpecialValue, format)).toBe(text);
  });
});

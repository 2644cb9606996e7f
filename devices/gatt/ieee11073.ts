// IEEE 11073-20601 SFLOAT (16 bit) and FLOAT (32 bit): value = mantissa x 10^exponent.
// Exponent and mantissa are plain two's complement (no bias). Special values are defined only
// with exponent 0, so they are matched on the whole raw value.

export type SpecialValue = 'nan' | 'nres' | 'positive-infinity' | 'negative-infinity' | 'reserved';

export type Ieee11073Number =
  { kind: 'number'; value: number; digits: number } | { kind: 'special'; special: SpecialValue };

export const SFLOAT_SPECIAL: Readonly<Record<SpecialValue, number>> = {
  nan: 0x07ff,
  nres: 0x0800,
  'positive-infinity': 0x07fe,
  'negative-infinity': 0x0802,
  reserved: 0x0801,
};

export const FLOAT_SPECIAL: Readonly<Record<SpecialValue, number>> = {
  nan: 0x007fffff,
  nres: 0x00800000,
  'positive-infinity': 0x007ffffe,
  'negative-infinity': 0x00800002,
  reserved: 0x00800001,
};

interface Format {
  mantissaBits: number;
  exponentMin: number;
  exponentMax: number;
  special: Readonly<Record<SpecialValue, number>>;
  /** Largest mantissa magnitude that can never collide with a special value. */
  mantissaMax: number;
}

const SFLOAT: Format = {
  mantissaBits: 12,
  exponentMin: -8,
  exponentMax: 7,
  special: SFLOAT_SPECIAL,
  mantissaMax: 2045,
};
const FLOAT: Format = {
  mantissaBits: 24,
  exponentMin: -128,
  exponentMax: 127,
  special: FLOAT_SPECIAL,
  mantissaMax: 0x7ffffd,
};

const signed = (raw: number, bits: number): number =>
  raw >= 2 ** (bits - 1) ? raw - 2 ** bits : raw;

function decode(raw: number, bits: number, f: Format): Ieee11073Number {
  if (!Number.isInteger(raw) || raw < 0 || raw >= 2 ** bits) {
    throw new RangeError(`expected an unsigned ${bits}-bit integer, got ${raw}`);
  }
  for (const [special, code] of Object.entries(f.special)) {
    if (raw === code) return { kind: 'special', special: special as SpecialValue };
  }
  const mantissa = signed(raw % 2 ** f.mantissaBits, f.mantissaBits);
  const exponent = signed(Math.floor(raw / 2 ** f.mantissaBits), bits - f.mantissaBits);
  // Parsing the decimal gives the double nearest mantissa x 10^exponent: 36.8, not 36.800000001.
  const value = Number(`${mantissa}e${exponent}`);
  return { kind: 'number', value, digits: Math.max(0, -exponent) };
}

function encode(value: number, exponent: number, bits: number, f: Format): number {
  if (!Number.isInteger(exponent) || exponent < f.exponentMin || exponent > f.exponentMax) {
    throw new RangeError(`exponent ${exponent} is outside ${f.exponentMin}..${f.exponentMax}`);
  }
  if (!Number.isFinite(value)) throw new RangeError(`cannot encode ${value} as a number`);
  const scaled = exponent < 0 ? value * 10 ** -exponent : value / 10 ** exponent;
  const mantissa = Math.sign(scaled) * Math.round(Math.abs(scaled)); // half away from zero
  if (Math.abs(mantissa) > f.mantissaMax) {
    throw new RangeError(`${value} does not fit with exponent ${exponent} (mantissa ${mantissa})`);
  }
  const m = mantissa < 0 ? mantissa + 2 ** f.mantissaBits : mantissa;
  const e = exponent < 0 ? exponent + 2 ** (bits - f.mantissaBits) : exponent;
  return e * 2 ** f.mantissaBits + m;
}

/** Picks the exponent that carries `value` exactly, else the most precise one that fits. */
function encodeBest(value: number, bits: number, f: Format): number {
  let fitting: number | undefined;
  for (let exponent = 0; exponent >= f.exponentMin; exponent--) {
    let raw: number;
    try {
      raw = encode(value, exponent, bits, f);
    } catch {
      break; // more decimals only make the mantissa bigger
    }
    fitting = raw;
    const back = decode(raw, bits, f);
    if (back.kind === 'number' && back.value === value) return raw;
  }
  if (fitting !== undefined) return fitting;
  for (let exponent = 1; exponent <= f.exponentMax; exponent++) {
    try {
      return encode(value, exponent, bits, f);
    } catch {
      // too big still: try a larger exponent
    }
  }
  throw new RangeError(`${value} is out of range`);
}

export const decodeSfloat = (raw16: number): Ieee11073Number => decode(raw16, 16, SFLOAT);
export const decodeFloat = (raw32: number): Ieee11073Number => decode(raw32, 32, FLOAT);

/** Raw 16-bit SFLOAT for `value` at 10^exponent; the mantissa is rounded (RangeError if too big). */
export const encodeSfloat = (value: number, exponent: number): number =>
  encode(value, exponent, 16, SFLOAT);
/** Raw 32-bit FLOAT (unsigned) for `value` at 10^exponent. */
export const encodeFloat = (value: number, exponent: number): number =>
  encode(value, exponent, 32, FLOAT);

/** SFLOAT with the exponent chosen for the caller: exact when the value allows it. */
export const encodeSfloatAuto = (value: number): number => encodeBest(value, 16, SFLOAT);
export const encodeFloatAuto = (value: number): number => encodeBest(value, 32, FLOAT);

const SPECIAL_TEXT: Record<SpecialValue, string> = {
  nan: 'NaN (%): no value',
  nres: 'NRes (%): not at this resolution',
  'positive-infinity': '+INFINITY (%): above the device range',
  'negative-infinity': '-INFINITY (%): below the device range',
  reserved: 'a reserved value (%)',
};

/** "device sent NaN (0x07FF): no value" - for receipts. */
export function describeSpecial(special: SpecialValue, format: 'sfloat' | 'float'): string {
  const code = (format === 'sfloat' ? SFLOAT_SPECIAL : FLOAT_SPECIAL)[special];
  const hex =
    '0x' +
    code
      .toString(16)
      .toUpperCase()
      .padStart(format === 'sfloat' ? 4 : 8, '0');
  return 'device sent ' + SPECIAL_TEXT[special].replace('%', hex);
}

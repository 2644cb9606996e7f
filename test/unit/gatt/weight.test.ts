import { describe, expect, it } from 'vitest';
import { decodeWeight, encodeWeight } from '../../../devices/gatt/weight.js';
import type { WeightReading } from '../../../devices/gatt/types.js';
import { combos, hex, label, STOCKHOLM, toHex } from './helpers.js';

const opts = STOCKHOLM;

describe('Weight Measurement (0x2A9D) decoding', () => {
  it('decodes 00 60 40 as 82.4 kg without float noise', () => {
    expect(decodeWeight(hex('00 60 40'), opts)).toEqual({
      ok: true,
      reading: { type: 'body_weight', value: 82.4, unit: 'kg', deviceStatus: [] },
    });
  });

  it('decodes 00 B0 36 as 70.00 kg', () => {
    expect(decodeWeight(hex('00 B0 36'), opts)).toMatchObject({
      reading: { value: 70, unit: 'kg' },
    });
  });

  it('decodes 01 54 3D as 157.00 lb', () => {
    expect(decodeWeight(hex('01 54 3D'), opts)).toMatchObject({
      reading: { value: 157, unit: '[lb_av]' },
    });
  });

  it('decodes the time-stamped 70 kg measured 2023-12-25 14:30:45 Stockholm time', () => {
    expect(decodeWeight(hex('02 B0 36 E7 07 0C 19 0E 1E 2D'), opts)).toEqual({
      ok: true,
      reading: {
        type: 'body_weight',
        value: 70,
        unit: 'kg',
        measuredAt: '2023-12-25T14:30:45+01:00',
        deviceStatus: [],
      },
    });
  });

  it('rounds every raw value to the resolution: 3 decimals in kg, 2 in lb', () => {
    for (let raw = 0; raw < 0xffff; raw++) {
      const bytes = Uint8Array.of(0, raw & 0xff, raw >> 8);
      const kg = decodeWeight(bytes, opts);
      const lb = decodeWeight(Uint8Array.of(1, raw & 0xff, raw >> 8), opts);
      if (!kg.ok || !lb.ok) throw new Error('expected ok');
      expect(kg.reading.value).toBe(Number((raw * 0.005).toFixed(3)));
      expect(lb.reading.value).toBe(Number((raw * 0.01).toFixed(2)));
    }
  });

  it('rejects 0xFFFF as an unsuccessful measurement', () => {
    expect(decodeWeight(hex('00 FF FF'), opts)).toEqual({
      ok: false,
      errors: [{ path: 'value', message: 'device sent 0xFFFF: measurement unsuccessful' }],
    });
  });

  it('omits measuredAt when a part of the time stamp is unknown', () => {
    const result = decodeWeight(hex('02 B0 36 E7 07 00 19 0E 1E 2D'), opts);
    expect(result).toEqual({
      ok: true,
      reading: { type: 'body_weight', value: 70, unit: 'kg', deviceStatus: [] },
    });
  });

  it('rejects a time stamp with a reserved value, naming measuredAt', () => {
    expect(decodeWeight(hex('02 B0 36 E7 07 0D 19 0E 1E 2D'), opts)).toEqual({
      ok: false,
      errors: [{ path: 'measuredAt', message: 'invalid date time 2023-13-25 14:30:45: month 13' }],
    });
  });

  it('skips user id, BMI and height, and ignores trailing bytes', () => {
    const bytes = hex('0E B0 36 E7 07 0C 19 0E 1E 2D 01 F5 00 D2 06 AA BB');
    expect(decodeWeight(bytes, opts)).toMatchObject({
      ok: true,
      reading: { value: 70, measuredAt: '2023-12-25T14:30:45+01:00' },
    });
  });

  it('reads a slice of a larger buffer at its own offset', () => {
    const pool = Buffer.from(hex('FF FF FF 00 60 40 FF'));
    expect(decodeWeight(pool.subarray(3, 6), opts)).toMatchObject({ reading: { value: 82.4 } });
  });

  it.each(combos(['imperial', 'time', 'user', 'bmi'] as const).map((c) => [label(c), c] as const))(
    'reports a payload too short for flags %s',
    (_, c) => {
      const flags = (c.imperial ? 1 : 0) | (c.time ? 2 : 0) | (c.user ? 4 : 0) | (c.bmi ? 8 : 0);
      const need = 3 + (c.time ? 7 : 0) + (c.user ? 1 : 0) + (c.bmi ? 4 : 0);
      const full = new Uint8Array(need);
      full[0] = flags;
      expect(decodeWeight(full, opts).ok).toBe(true);
      for (let n = 1; n < need; n++) {
        const hx = flags.toString(16).toUpperCase().padStart(2, '0');
        expect(decodeWeight(full.subarray(0, n), opts)).toEqual({
          ok: false,
          errors: [
            {
              path: 'bytes',
              message: `expected at least ${need} bytes for flags 0x${hx}, got ${n}`,
            },
          ],
        });
      }
    },
  );

  it('reports an empty payload', () => {
    expect(decodeWeight(new Uint8Array(0), opts)).toEqual({
      ok: false,
      errors: [{ path: 'bytes', message: 'expected at least 3 bytes, got 0' }],
    });
  });
});

describe('Weight Measurement (0x2A9D) encoding', () => {
  it('encodes the bluetooth-gatt.md examples byte for byte', () => {
    const r = (value: number, unit: WeightReading['unit'], measuredAt?: string): WeightReading => ({
      type: 'body_weight',
      value,
      unit,
      ...(measuredAt && { measuredAt }),
      deviceStatus: [],
    });
    expect(toHex(encodeWeight(r(82.4, 'kg'), opts))).toBe('00 60 40');
    expect(toHex(encodeWeight(r(70, 'kg'), opts))).toBe('00 B0 36');
    expect(toHex(encodeWeight(r(157, '[lb_av]'), opts))).toBe('01 54 3D');
    expect(toHex(encodeWeight(r(70, 'kg', '2023-12-25T14:30:45+01:00'), opts))).toBe(
      '02 B0 36 E7 07 0C 19 0E 1E 2D',
    );
  });

  it.each(combos(['imperial', 'time', 'user', 'bmi'] as const).map((c) => [label(c), c] as const))(
    'round-trips a reading with optional fields: %s',
    (_, c) => {
      const reading: WeightReading = {
        type: 'body_weight',
        value: c.imperial ? 181.63 : 82.415,
        unit: c.imperial ? '[lb_av]' : 'kg',
        ...(c.time && { measuredAt: '2026-07-01T06:45:00+02:00' }),
        deviceStatus: [],
      };
      const bytes = encodeWeight(reading, {
        ...opts,
        ...(c.user && { userId: 3 }),
        ...(c.bmi && { bmi: 24.3, height: c.imperial ? 70.5 : 1.805 }),
      });
      expect(bytes.byteLength).toBe(3 + (c.time ? 7 : 0) + (c.user ? 1 : 0) + (c.bmi ? 4 : 0));
      expect(decodeWeight(bytes, opts)).toEqual({ ok: true, reading });
    },
  );

  it('rounds to the scale resolution and refuses what the scale cannot send', () => {
    const r = (value: number): WeightReading => ({
      type: 'body_weight',
      value,
      unit: 'kg',
      deviceStatus: [],
    });
    expect(toHex(encodeWeight(r(82.4012), opts))).toBe('00 60 40');
    expect(() => encodeWeight(r(-1), opts)).toThrow(RangeError);
    expect(() => encodeWeight(r(327.675), opts)).toThrow(RangeError); // 0xFFFF is reserved
    expect(() => encodeWeight({ ...r(70), deviceStatus: ['body_movement'] }, opts)).toThrow(
      RangeError,
    );
    expect(() => encodeWeight(r(70), { ...opts, bmi: 22 })).toThrow(RangeError);
  });
});

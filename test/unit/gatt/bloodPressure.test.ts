import { describe, expect, it } from 'vitest';
import { decodeBloodPressure, encodeBloodPressure } from '../../../devices/gatt/bloodPressure.js';
import { SFLOAT_SPECIAL } from '../../../devices/gatt/ieee11073.js';
import type { BloodPressureReading } from '../../../devices/gatt/types.js';
import { combos, hex, label, STOCKHOLM, toHex } from './helpers.js';

const opts = STOCKHOLM;
const sfloat = (raw: number) => toHex(Uint8Array.of(raw & 0xff, raw >> 8));

describe('Blood Pressure Measurement (0x2A35) decoding', () => {
  it('decodes a 120/80 mmHg reading without a time stamp', () => {
    expect(decodeBloodPressure(hex('00 78 00 50 00 5D 00'), opts)).toEqual({
      ok: true,
      reading: {
        type: 'blood_pressure',
        systolic: 120,
        diastolic: 80,
        unit: 'mm[Hg]',
        meanArterial: 93,
        deviceStatus: [],
      },
    });
  });

  it('decodes 138/88 with pulse 60, user 1, status 0x0027 and a year-unknown time stamp', () => {
    const bytes = hex('1E 8A 00 58 00 78 00 00 00 04 11 14 29 3B 3C 00 01 27 00');
    expect(decodeBloodPressure(bytes, opts)).toEqual({
      ok: true,
      reading: {
        type: 'blood_pressure',
        systolic: 138,
        diastolic: 88,
        unit: 'mm[Hg]',
        meanArterial: 120,
        pulse: 60,
        deviceStatus: ['body_movement', 'cuff_too_loose', 'irregular_pulse', 'improper_position'],
      },
    });
  });

  it('decodes kPa with decimals', () => {
    // 16.0 / 10.7 kPa, mean 12.5
    expect(decodeBloodPressure(hex('01 A0 F0 6B F0 7D F0'), opts)).toMatchObject({
      reading: { systolic: 16, diastolic: 10.7, meanArterial: 12.5, unit: 'kPa' },
    });
  });

  it('decodes a time stamp in summer time', () => {
    const bytes = hex('02 8E 00 58 00 6C 00 EA 07 0B 17 07 04 32');
    expect(decodeBloodPressure(bytes, opts)).toMatchObject({
      reading: { systolic: 142, measuredAt: '2026-11-23T07:04:50+01:00' },
    });
  });

  it.each([
    [0x0008, ['pulse_rate_over_range']],
    [0x0010, ['pulse_rate_under_range']],
    [0x0018, []], // range code 3 is reserved: says nothing
    [0x0001, ['body_movement']],
    [0x0002, ['cuff_too_loose']],
    [0x0004, ['irregular_pulse']],
    [0x0020, ['improper_position']],
    [0xffc0, []], // reserved bits
  ])('decodes measurement status 0x%s into flags', (status, flags) => {
    const bytes = hex(`10 78 00 50 00 5D 00 ${sfloat(status)}`);
    expect(decodeBloodPressure(bytes, opts)).toMatchObject({ reading: { deviceStatus: flags } });
  });

  describe('special values', () => {
    const specials = Object.entries(SFLOAT_SPECIAL);
    const message = {
      nan: 'device sent NaN (0x07FF): no value',
      nres: 'device sent NRes (0x0800): not at this resolution',
      'positive-infinity': 'device sent +INFINITY (0x07FE): above the device range',
      'negative-infinity': 'device sent -INFINITY (0x0802): below the device range',
      reserved: 'device sent a reserved value (0x0801)',
    } as Record<string, string>;

    it.each(specials)('rejects systolic and diastolic %s, naming each field', (special, raw) => {
      expect(decodeBloodPressure(hex(`00 ${sfloat(raw)} 50 00 5D 00`), opts)).toEqual({
        ok: false,
        errors: [{ path: 'systolic', message: message[special] }],
      });
      expect(decodeBloodPressure(hex(`00 ${sfloat(raw)} ${sfloat(raw)} 5D 00`), opts)).toEqual({
        ok: false,
        errors: [
          { path: 'systolic', message: message[special] },
          { path: 'diastolic', message: message[special] },
        ],
      });
    });

    it.each(specials)(
      'treats a mean arterial pressure of %s as absent only when NaN',
      (special, raw) => {
        const result = decodeBloodPressure(hex(`00 78 00 50 00 ${sfloat(raw)}`), opts);
        if (special === 'nan') {
          expect(result).toEqual({
            ok: true,
            reading: {
              type: 'blood_pressure',
              systolic: 120,
              diastolic: 80,
              unit: 'mm[Hg]',
              deviceStatus: [],
            },
          });
        } else {
          expect(result).toEqual({
            ok: false,
            errors: [{ path: 'meanArterial', message: message[special] }],
          });
        }
      },
    );

    it.each(specials)('treats a pulse of %s as absent only when NaN', (special, raw) => {
      const result = decodeBloodPressure(hex(`04 78 00 50 00 5D 00 ${sfloat(raw)}`), opts);
      if (special === 'nan') {
        expect(result.ok).toBe(true);
        expect(result.ok && 'pulse' in result.reading).toBe(false);
      } else {
        expect(result).toEqual({
          ok: false,
          errors: [{ path: 'pulse', message: message[special] }],
        });
      }
    });
  });

  it.each(
    combos(['kpa', 'time', 'pulse', 'user', 'status'] as const).map((c) => [label(c), c] as const),
  )('reports a payload too short for flags %s', (_, c) => {
    const flags =
      (c.kpa ? 1 : 0) |
      (c.time ? 2 : 0) |
      (c.pulse ? 4 : 0) |
      (c.user ? 8 : 0) |
      (c.status ? 16 : 0);
    const need = 7 + (c.time ? 7 : 0) + (c.pulse ? 2 : 0) + (c.user ? 1 : 0) + (c.status ? 2 : 0);
    const full = new Uint8Array(need);
    full[0] = flags;
    expect(decodeBloodPressure(full, opts).ok).toBe(true);
    const hx = flags.toString(16).toUpperCase().padStart(2, '0');
    for (let n = 1; n < need; n++) {
      expect(decodeBloodPressure(full.subarray(0, n), opts)).toEqual({
        ok: false,
        errors: [
          { path: 'bytes', message: `expected at least ${need} bytes for flags 0x${hx}, got ${n}` },
        ],
      });
    }
    expect(decodeBloodPressure(new Uint8Array(0), opts)).toEqual({
      ok: false,
      errors: [{ path: 'bytes', message: 'expected at least 7 bytes, got 0' }],
    });
  });

  it('ignores trailing bytes', () => {
    expect(decodeBloodPressure(hex('00 78 00 50 00 5D 00 01 02 03'), opts)).toMatchObject({
      ok: true,
      reading: { systolic: 120 },
    });
  });
});

describe('Blood Pressure Measurement (0x2A35) encoding', () => {
  it('encodes the bluetooth-gatt.md examples byte for byte', () => {
    const base: BloodPressureReading = {
      type: 'blood_pressure',
      systolic: 120,
      diastolic: 80,
      unit: 'mm[Hg]',
      meanArterial: 93,
      deviceStatus: [],
    };
    expect(toHex(encodeBloodPressure(base, opts))).toBe('00 78 00 50 00 5D 00');
    const flagged: BloodPressureReading = {
      ...base,
      systolic: 138,
      diastolic: 88,
      meanArterial: 120,
      pulse: 60,
      deviceStatus: ['body_movement', 'cuff_too_loose', 'irregular_pulse', 'improper_position'],
    };
    // Without a usable time stamp the encoder sends none, so flag bit 1 is off.
    expect(toHex(encodeBloodPressure(flagged, { ...opts, userId: 1 }))).toBe(
      '1C 8A 00 58 00 78 00 3C 00 01 27 00',
    );
  });

  it('sends NaN for an absent mean arterial pressure', () => {
    const reading: BloodPressureReading = {
      type: 'blood_pressure',
      systolic: 120,
      diastolic: 80,
      unit: 'mm[Hg]',
      deviceStatus: [],
    };
    expect(toHex(encodeBloodPressure(reading, opts))).toBe('00 78 00 50 00 FF 07');
  });

  const statuses: [string, string[]][] = [
    ['no status', []],
    ['an all-clear status field', []],
    ['movement + over range', ['body_movement', 'pulse_rate_over_range']],
    [
      'every flag + under range',
      [
        'body_movement',
        'cuff_too_loose',
        'irregular_pulse',
        'improper_position',
        'pulse_rate_under_range',
      ],
    ],
  ];
  const cases = combos(['kpa', 'time', 'pulse', 'user', 'mean'] as const).flatMap((c) =>
    statuses.map(([name, flags], i) => [`${label(c)}, ${name}`, c, flags, i === 1] as const),
  );

  it.each(cases)('round-trips a reading with %s', (_, c, deviceStatus, includeStatus) => {
    const reading: BloodPressureReading = {
      type: 'blood_pressure',
      systolic: c.kpa ? 18.9 : 142,
      diastolic: c.kpa ? 11.7 : 88,
      unit: c.kpa ? 'kPa' : 'mm[Hg]',
      ...(c.mean && { meanArterial: c.kpa ? 14.1 : 106 }),
      ...(c.pulse && { pulse: 71 }),
      ...(c.time && { measuredAt: '2026-10-25T02:30:00+02:00' }),
      deviceStatus,
    };
    const bytes = encodeBloodPressure(reading, {
      ...opts,
      ...(c.user && { userId: 2 }),
      includeStatus,
    });
    expect(decodeBloodPressure(bytes, opts)).toEqual({ ok: true, reading });
  });

  it('refuses status flags the characteristic cannot carry', () => {
    const reading: BloodPressureReading = {
      type: 'blood_pressure',
      systolic: 120,
      diastolic: 80,
      unit: 'mm[Hg]',
      deviceStatus: ['low_perfusion'],
    };
    expect(() => encodeBloodPressure(reading, opts)).toThrow(RangeError);
    const both = { ...reading, deviceStatus: ['pulse_rate_over_range', 'pulse_rate_under_range'] };
    expect(() => encodeBloodPressure(both, opts)).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { decodePlxSpotCheck, encodePlxSpotCheck } from '../../../devices/gatt/plxSpotCheck.js';
import { SFLOAT_SPECIAL } from '../../../devices/gatt/ieee11073.js';
import {
  PLX_MEASUREMENT_STATUS_BITS,
  PLX_SENSOR_STATUS_BITS,
} from '../../../devices/gatt/status.js';
import type { Spo2Reading } from '../../../devices/gatt/types.js';
import { combos, hex, label, STOCKHOLM, toHex } from './helpers.js';

const opts = STOCKHOLM;
const le = (raw: number, size: number) =>
  toHex(Uint8Array.from({ length: size }, (_, i) => Math.floor(raw / 256 ** i) & 0xff));

describe('PLX Spot-Check Measurement (0x2A5E) decoding', () => {
  it('decodes SpO2 97 % with pulse 72 /min', () => {
    expect(decodePlxSpotCheck(hex('00 61 00 48 00'), opts)).toEqual({
      ok: true,
      reading: { type: 'spo2', value: 97, unit: '%', pulse: 72, deviceStatus: [] },
    });
  });

  it('decodes a time stamp', () => {
    expect(decodePlxSpotCheck(hex('01 61 00 48 00 EA 07 0B 17 07 02 0B'), opts)).toMatchObject({
      reading: { measuredAt: '2026-11-23T07:02:11+01:00' },
    });
  });

  it.each(Object.entries(PLX_MEASUREMENT_STATUS_BITS))(
    'decodes measurement status %s from bit %s',
    (flag, bit) => {
      const bytes = hex(`02 61 00 48 00 ${le(2 ** bit, 2)}`);
      expect(decodePlxSpotCheck(bytes, opts)).toMatchObject({ reading: { deviceStatus: [flag] } });
    },
  );

  it.each(Object.entries(PLX_SENSOR_STATUS_BITS))(
    'decodes device and sensor status %s from bit %s',
    (flag, bit) => {
      const bytes = hex(`04 61 00 48 00 ${le(2 ** bit, 3)}`);
      expect(decodePlxSpotCheck(bytes, opts)).toMatchObject({ reading: { deviceStatus: [flag] } });
    },
  );

  it('ignores reserved status bits', () => {
    expect(decodePlxSpotCheck(hex('06 61 00 48 00 1F 00 00 00 FF'), opts)).toMatchObject({
      reading: { deviceStatus: [] },
    });
  });

  it('drops the time stamp when the device clock is not set, and says so', () => {
    const bytes = hex('13 61 00 48 00 D0 07 01 01 00 00 05 00 40');
    expect(decodePlxSpotCheck(bytes, opts)).toEqual({
      ok: true,
      reading: {
        type: 'spo2',
        value: 97,
        unit: '%',
        pulse: 72,
        deviceStatus: ['questionable_measurement', 'device_clock_not_set'],
      },
    });
    // Even a time stamp with reserved values: it is not read at all.
    const garbage = hex('11 61 00 48 00 FF FF FF FF FF FF FF');
    expect(decodePlxSpotCheck(garbage, opts).ok).toBe(true);
  });

  const message = (special: string) =>
    ({
      nan: 'device sent NaN (0x07FF): no value',
      nres: 'device sent NRes (0x0800): not at this resolution',
      'positive-infinity': 'device sent +INFINITY (0x07FE): above the device range',
      'negative-infinity': 'device sent -INFINITY (0x0802): below the device range',
      reserved: 'device sent a reserved value (0x0801)',
    })[special];

  it.each(Object.entries(SFLOAT_SPECIAL))('rejects an SpO2 of %s', (special, raw) => {
    expect(decodePlxSpotCheck(hex(`00 ${le(raw, 2)} 48 00`), opts)).toEqual({
      ok: false,
      errors: [{ path: 'value', message: message(special) }],
    });
  });

  it.each(Object.entries(SFLOAT_SPECIAL))(
    'treats a pulse of %s as absent only when NaN',
    (special, raw) => {
      const result = decodePlxSpotCheck(hex(`00 61 00 ${le(raw, 2)}`), opts);
      if (special === 'nan') {
        expect(result).toEqual({
          ok: true,
          reading: { type: 'spo2', value: 97, unit: '%', deviceStatus: [] },
        });
      } else {
        expect(result).toEqual({
          ok: false,
          errors: [{ path: 'pulse', message: message(special) }],
        });
      }
    },
  );

  it.each(Object.entries(SFLOAT_SPECIAL))(
    'accepts a pulse amplitude index of %s only when NaN',
    (special, raw) => {
      const result = decodePlxSpotCheck(hex(`08 61 00 48 00 ${le(raw, 2)}`), opts);
      if (special === 'nan') expect(result.ok).toBe(true);
      else {
        expect(result).toEqual({
          ok: false,
          errors: [{ path: 'pulseAmplitudeIndex', message: message(special) }],
        });
      }
    },
  );

  it.each(
    combos(['time', 'measurement', 'sensor', 'pai', 'clock'] as const).map(
      (c) => [label(c), c] as const,
    ),
  )('reports a payload too short for flags %s', (_, c) => {
    const flags =
      (c.time ? 1 : 0) |
      (c.measurement ? 2 : 0) |
      (c.sensor ? 4 : 0) |
      (c.pai ? 8 : 0) |
      (c.clock ? 16 : 0);
    const need =
      5 + (c.time ? 7 : 0) + (c.measurement ? 2 : 0) + (c.sensor ? 3 : 0) + (c.pai ? 2 : 0);
    const full = new Uint8Array(need);
    full[0] = flags;
    expect(decodePlxSpotCheck(full, opts).ok).toBe(true);
    const hx = flags.toString(16).toUpperCase().padStart(2, '0');
    for (let n = 1; n < need; n++) {
      expect(decodePlxSpotCheck(full.subarray(0, n), opts)).toEqual({
        ok: false,
        errors: [
          { path: 'bytes', message: `expected at least ${need} bytes for flags 0x${hx}, got ${n}` },
        ],
      });
    }
  });

  it('reports an empty payload and ignores trailing bytes', () => {
    expect(decodePlxSpotCheck(new Uint8Array(0), opts)).toEqual({
      ok: false,
      errors: [{ path: 'bytes', message: 'expected at least 5 bytes, got 0' }],
    });
    expect(decodePlxSpotCheck(hex('00 61 00 48 00 99'), opts).ok).toBe(true);
  });
});

describe('PLX Spot-Check Measurement (0x2A5E) encoding', () => {
  it('encodes SpO2 97 % pulse 72 as 00 61 00 48 00', () => {
    const reading: Spo2Reading = {
      type: 'spo2',
      value: 97,
      unit: '%',
      pulse: 72,
      deviceStatus: [],
    };
    expect(toHex(encodePlxSpotCheck(reading, opts))).toBe('00 61 00 48 00');
  });

  const cases = combos(['time', 'measurement', 'sensor', 'pai', 'pulse', 'empty'] as const)
    .flatMap((c) => [false, true].map((clock) => ({ ...c, clock })))
    .filter((c) => !(c.clock && c.time)) // a clock that is not set gives no time
    .map((c) => [label(c), c] as const);

  it.each(cases)('round-trips a reading with %s', (_, c) => {
    const reading: Spo2Reading = {
      type: 'spo2',
      value: c.pulse ? 94.5 : 88,
      unit: '%',
      ...(c.pulse && { pulse: 104 }),
      ...(c.time && { measuredAt: '2026-03-29T03:30:00+02:00' }),
      deviceStatus: [
        ...(c.measurement ? ['early_estimated_data', 'questionable_measurement'] : []),
        ...(c.sensor ? ['low_perfusion', 'sensor_disconnected'] : []),
        ...(c.clock ? ['device_clock_not_set'] : []),
      ],
    };
    const bytes = encodePlxSpotCheck(reading, {
      ...opts,
      ...(c.pai && { pulseAmplitudeIndex: 3.2 }),
      includeStatus: c.empty,
    });
    expect(decodePlxSpotCheck(bytes, opts)).toEqual({ ok: true, reading });
  });

  it('refuses a time stamp from a clock that is not set, and unknown flags', () => {
    const reading: Spo2Reading = {
      type: 'spo2',
      value: 97,
      unit: '%',
      measuredAt: '2026-03-29T03:30:00+02:00',
      deviceStatus: ['device_clock_not_set'],
    };
    expect(() => encodePlxSpotCheck(reading, opts)).toThrow(RangeError);
    const odd = { type: 'spo2', value: 97, unit: '%', deviceStatus: ['cuff_too_loose'] } as const;
    expect(() => encodePlxSpotCheck({ ...odd, deviceStatus: [...odd.deviceStatus] }, opts)).toThrow(
      RangeError,
    );
  });
});

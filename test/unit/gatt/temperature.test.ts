import { describe, expect, it } from 'vitest';
import { FLOAT_SPECIAL } from '../../../devices/gatt/ieee11073.js';
import {
  decodeTemperature,
  encodeTemperature,
  TEMPERATURE_SITES,
} from '../../../devices/gatt/temperature.js';
import type { TemperatureReading } from '../../../devices/gatt/types.js';
import { combos, hex, label, STOCKHOLM, toHex } from './helpers.js';

const opts = STOCKHOLM;
const le32 = (raw: number) =>
  toHex(Uint8Array.from({ length: 4 }, (_, i) => Math.floor(raw / 256 ** i) & 0xff));

describe('Temperature Measurement (0x2A1C) decoding', () => {
  it('decodes 00 70 01 00 FF as 36.8 Cel', () => {
    expect(decodeTemperature(hex('00 70 01 00 FF'), opts)).toEqual({
      ok: true,
      reading: { type: 'body_temperature', value: 36.8, unit: 'Cel', deviceStatus: [] },
    });
  });

  it('rejects the Fahrenheit NaN 01 FF FF 7F 00', () => {
    expect(decodeTemperature(hex('01 FF FF 7F 00'), opts)).toEqual({
      ok: false,
      errors: [{ path: 'value', message: 'device sent NaN (0x007FFFFF): no value' }],
    });
  });

  it.each(Object.entries(FLOAT_SPECIAL))('rejects the special value %s', (special, raw) => {
    const result = decodeTemperature(hex(`00 ${le32(raw)}`), opts);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]!.path).toBe('value');
      expect(result.errors[0]!.message).toContain(raw.toString(16).toUpperCase().padStart(8, '0'));
    }
  });

  it('decodes Fahrenheit, a time stamp and the measurement site', () => {
    // 98.6 degF = 986 x 10^-1, ear (3), 2026-01-02 03:04:05
    expect(decodeTemperature(hex('07 DA 03 00 FF EA 07 01 02 03 04 05 03'), opts)).toEqual({
      ok: true,
      reading: {
        type: 'body_temperature',
        value: 98.6,
        unit: '[degF]',
        measuredAt: '2026-01-02T03:04:05+01:00',
        deviceStatus: [],
        site: 'ear',
      },
    });
  });

  it.each(TEMPERATURE_SITES.map((site, i) => [i + 1, site] as const))(
    'decodes temperature type %s as site %s',
    (code, site) => {
      const bytes = Uint8Array.of(4, 0x70, 0x01, 0x00, 0xff, code);
      expect(decodeTemperature(bytes, opts)).toMatchObject({ reading: { site } });
    },
  );

  it.each([0, 10, 255])('leaves the site out for the reserved temperature type %s', (code) => {
    const result = decodeTemperature(Uint8Array.of(4, 0x70, 0x01, 0x00, 0xff, code), opts);
    expect(result.ok && 'site' in result.reading).toBe(false);
    expect(result.ok).toBe(true);
  });

  it.each(combos(['fahrenheit', 'time', 'type'] as const).map((c) => [label(c), c] as const))(
    'reports a payload too short for flags %s',
    (_, c) => {
      const flags = (c.fahrenheit ? 1 : 0) | (c.time ? 2 : 0) | (c.type ? 4 : 0);
      const need = 5 + (c.time ? 7 : 0) + (c.type ? 1 : 0);
      const full = new Uint8Array(need);
      full[0] = flags;
      expect(decodeTemperature(full, opts).ok).toBe(true);
      const hx = flags.toString(16).toUpperCase().padStart(2, '0');
      for (let n = 1; n < need; n++) {
        expect(decodeTemperature(full.subarray(0, n), opts)).toEqual({
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

  it('reports an empty payload and ignores trailing bytes', () => {
    expect(decodeTemperature(new Uint8Array(0), opts)).toEqual({
      ok: false,
      errors: [{ path: 'bytes', message: 'expected at least 5 bytes, got 0' }],
    });
    expect(decodeTemperature(hex('00 70 01 00 FF 00 00'), opts).ok).toBe(true);
  });
});

describe('Temperature Measurement (0x2A1C) encoding', () => {
  it('encodes 36.8 Cel as 00 70 01 00 FF', () => {
    const reading: TemperatureReading = {
      type: 'body_temperature',
      value: 36.8,
      unit: 'Cel',
      deviceStatus: [],
    };
    expect(toHex(encodeTemperature(reading, opts))).toBe('00 70 01 00 FF');
  });

  it.each(combos(['fahrenheit', 'time', 'site'] as const).map((c) => [label(c), c] as const))(
    'round-trips a reading with %s',
    (_, c) => {
      const reading: TemperatureReading = {
        type: 'body_temperature',
        value: c.fahrenheit ? 100.42 : 38.15,
        unit: c.fahrenheit ? '[degF]' : 'Cel',
        ...(c.time && { measuredAt: '2026-12-31T23:59:59+01:00' }),
        deviceStatus: [],
        ...(c.site && { site: 'tympanum' as const }),
      };
      expect(decodeTemperature(encodeTemperature(reading, opts), opts)).toEqual({
        ok: true,
        reading,
      });
    },
  );

  it('refuses an unknown site and status flags', () => {
    const reading = {
      type: 'body_temperature',
      value: 37,
      unit: 'Cel',
      deviceStatus: [],
      site: 'forehead',
    } as unknown as TemperatureReading;
    expect(() => encodeTemperature(reading, opts)).toThrow(RangeError);
    expect(() =>
      encodeTemperature({ ...reading, site: 'mouth', deviceStatus: ['poor_signal'] }, opts),
    ).toThrow(RangeError);
  });
});

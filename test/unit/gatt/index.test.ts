import { describe, expect, it } from 'vitest';
import {
  decodeBloodPressure,
  decodeGatt,
  decodePlxSpotCheck,
  decodeTemperature,
  decodeWeight,
  encodeGatt,
  GATT_UUIDS,
  isQuestionable,
  normalizeUuid,
  type GattReading,
} from '../../../devices/gatt/index.js';
import { hex, STOCKHOLM } from './helpers.js';

describe('decodeGatt', () => {
  it('dispatches each characteristic by its 16-bit UUID', () => {
    expect(GATT_UUIDS).toEqual(['2a9d', '2a35', '2a5e', '2a1c']);
    expect(decodeGatt('2a9d', hex('00 60 40'), STOCKHOLM)).toMatchObject({
      reading: { type: 'body_weight' },
    });
    expect(decodeGatt('2a35', hex('00 78 00 50 00 5D 00'), STOCKHOLM)).toMatchObject({
      reading: { type: 'blood_pressure' },
    });
    expect(decodeGatt('2a5e', hex('00 61 00 48 00'), STOCKHOLM)).toMatchObject({
      reading: { type: 'spo2' },
    });
    expect(decodeGatt('2a1c', hex('00 70 01 00 FF'), STOCKHOLM)).toMatchObject({
      reading: { type: 'body_temperature' },
    });
  });

  it('accepts upper case, 0x and the full 128-bit base UUID', () => {
    expect(normalizeUuid('2A9D')).toBe('2a9d');
    expect(normalizeUuid('0x2a35')).toBe('2a35');
    expect(normalizeUuid('00002A5E-0000-1000-8000-00805F9B34FB')).toBe('2a5e');
    expect(decodeGatt('0x2A9D', hex('00 60 40'), STOCKHOLM).ok).toBe(true);
  });

  it('rejects an unknown characteristic on the uuid path', () => {
    expect(decodeGatt('2a37', hex('00 48'), STOCKHOLM)).toEqual({
      ok: false,
      errors: [
        {
          path: 'uuid',
          message: 'unsupported characteristic "2a37": expected one of 2a9d, 2a35, 2a5e, 2a1c',
        },
      ],
    });
  });

  it('rejects an unknown time zone instead of throwing', () => {
    expect(decodeGatt('2a9d', hex('00 60 40'), { timeZone: 'Mars/Olympus' })).toEqual({
      ok: false,
      errors: [{ path: 'timeZone', message: 'unknown time zone Mars/Olympus' }],
    });
  });

  it('rejects a payload that is not bytes', () => {
    const notBytes = 'hello' as unknown as Uint8Array;
    expect(decodeGatt('2a9d', notBytes, STOCKHOLM)).toMatchObject({
      ok: false,
      errors: [{ path: 'bytes' }],
    });
  });

  it('uses the patient time zone for the time stamp', () => {
    const bytes = hex('02 B0 36 E7 07 0C 19 0E 1E 2D');
    expect(decodeGatt('2a9d', bytes, { timeZone: 'America/New_York' })).toMatchObject({
      reading: { measuredAt: '2023-12-25T14:30:45-05:00' },
    });
  });

  it('never throws on random bytes, and every result is a reading or errors with paths', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 256;
    for (let i = 0; i < 20_000; i++) {
      const bytes = Uint8Array.from({ length: Math.floor(random() / 10) }, () =>
        Math.floor(random()),
      );
      // The decoders themselves, not decodeGatt: its safety net would hide a throw.
      for (const decode of [
        decodeWeight,
        decodeBloodPressure,
        decodePlxSpotCheck,
        decodeTemperature,
      ]) {
        const result = decode(bytes, STOCKHOLM);
        if (result.ok) expect(result.reading.deviceStatus).toBeInstanceOf(Array);
        else {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const e of result.errors)
            expect(e.path).toMatch(
              /^(bytes|value|systolic|diastolic|meanArterial|pulse|pulseAmplitudeIndex|measuredAt)$/,
            );
        }
      }
    }
  });
});

describe('encodeGatt', () => {
  const readings: GattReading[] = [
    {
      type: 'body_weight',
      value: 82.4,
      unit: 'kg',
      measuredAt: '2026-11-23T07:02:11+01:00',
      deviceStatus: [],
    },
    {
      type: 'blood_pressure',
      systolic: 142,
      diastolic: 88,
      unit: 'mm[Hg]',
      pulse: 71,
      measuredAt: '2026-11-23T07:04:50+01:00',
      deviceStatus: ['body_movement'],
    },
    { type: 'spo2', value: 97, unit: '%', pulse: 72, deviceStatus: ['low_perfusion'] },
    { type: 'body_temperature', value: 36.8, unit: 'Cel', deviceStatus: [], site: 'mouth' },
  ];

  it.each(readings.map((r) => [r.type, r] as const))(
    'gives the characteristic and bytes that decode back to a %s reading',
    (_, reading) => {
      const { uuid, bytes } = encodeGatt(reading, STOCKHOLM);
      expect(GATT_UUIDS).toContain(uuid);
      expect(decodeGatt(uuid, bytes, STOCKHOLM)).toEqual({ ok: true, reading });
    },
  );
});

describe('isQuestionable', () => {
  it.each([
    'body_movement',
    'cuff_too_loose',
    'improper_position',
    'questionable_measurement',
    'invalid_measurement',
    'measurement_unavailable',
    'low_perfusion',
    'inadequate_signal',
    'poor_signal',
    'erratic_signal',
    'sensor_displaced',
    'sensor_disconnected',
    'data_for_testing',
  ])('is true for %s: stored, never alerting by itself', (flag) => {
    expect(isQuestionable(['device_clock_not_set', flag])).toBe(true);
  });

  it.each([
    [[]],
    [['irregular_pulse']],
    [['validated_data', 'fully_qualified_data', 'data_from_measurement_storage']],
    [['device_clock_not_set', 'extended_display_update_ongoing']],
    [['pulse_rate_over_range']],
  ])('is false for %j', (flags) => {
    expect(isQuestionable(flags)).toBe(false);
  });
});

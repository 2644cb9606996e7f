// Temperature Measurement (0x2A1C), Health Thermometer Service 1.0.
// flags: bit 0 Fahrenheit, bit 1 time stamp, bit 2 temperature type.
import { encodeDateTime } from './datetime.js';
import { bit, checkLength, concat, required, timeStamp, u32, u8, viewOf } from './fields.js';
import { encodeFloatAuto } from './ieee11073.js';
import type {
  DecodeOptions,
  EncodeOptions,
  GattError,
  GattResult,
  TemperatureReading,
  TemperatureSite,
} from './types.js';

/** Temperature Type codes 1-9; 0 and 10-255 are reserved. */
export const TEMPERATURE_SITES: readonly TemperatureSite[] = [
  'armpit',
  'body',
  'ear',
  'finger',
  'gastrointestinal_tract',
  'mouth',
  'rectum',
  'toe',
  'tympanum',
];

export function decodeTemperature(
  bytes: Uint8Array,
  opts: DecodeOptions,
): GattResult<TemperatureReading> {
  const flags = bytes[0] ?? 0;
  const [fahrenheit, hasTime, hasType] = [0, 1, 2].map((n) => bit(flags, n));
  const need = 5 + (hasTime ? 7 : 0) + (hasType ? 1 : 0);
  const short = checkLength(bytes, need);
  if (short) return { ok: false, errors: [short] };

  const view = viewOf(bytes);
  const errors: GattError[] = [];
  const value = required(view.getUint32(1, true), 'float', 'value', errors);
  let at = 5;
  let measuredAt: string | undefined;
  if (hasTime) {
    measuredAt = timeStamp(view, at, opts.timeZone, errors);
    at += 7;
  }
  // A reserved type code says nothing usable about the site: it is left out, not rejected.
  const site = hasType ? TEMPERATURE_SITES[view.getUint8(at) - 1] : undefined;

  if (errors.length > 0 || value === undefined) return { ok: false, errors };
  return {
    ok: true,
    reading: {
      type: 'body_temperature',
      value,
      unit: fahrenheit ? '[degF]' : 'Cel',
      ...(measuredAt !== undefined && { measuredAt }),
      deviceStatus: [],
      ...(site !== undefined && { site }),
    },
  };
}

export function encodeTemperature(reading: TemperatureReading, opts: EncodeOptions): Uint8Array {
  if (reading.deviceStatus.length > 0) {
    throw new RangeError(`temperature cannot carry status ${reading.deviceStatus.join(', ')}`);
  }
  const code = reading.site === undefined ? 0 : TEMPERATURE_SITES.indexOf(reading.site) + 1;
  if (reading.site !== undefined && code === 0)
    throw new RangeError(`unknown site ${reading.site}`);
  const hasTime = reading.measuredAt !== undefined;
  const flags = (reading.unit === '[degF]' ? 1 : 0) | (hasTime ? 2 : 0) | (code !== 0 ? 4 : 0);
  const parts = [u8(flags), u32(encodeFloatAuto(reading.value))];
  if (hasTime) parts.push(encodeDateTime(reading.measuredAt, opts.timeZone));
  if (code !== 0) parts.push(u8(code));
  return concat(parts);
}

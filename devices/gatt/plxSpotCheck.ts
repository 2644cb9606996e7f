// PLX Spot-Check Measurement (0x2A5E), Pulse Oximeter Service 1.0.
// flags: bit 0 time stamp, bit 1 measurement status, bit 2 device and sensor status,
// bit 3 pulse amplitude index, bit 4 device clock not set.
import { encodeDateTime } from './datetime.js';
import {
  assertKnownFlags,
  bit,
  checkLength,
  concat,
  optional,
  required,
  timeStamp,
  u16,
  u24,
  u8,
  viewOf,
} from './fields.js';
import { encodeSfloatAuto, SFLOAT_SPECIAL } from './ieee11073.js';
import {
  bitsToFlags,
  DEVICE_CLOCK_NOT_SET,
  flagsToBits,
  PLX_MEASUREMENT_STATUS_BITS,
  PLX_SENSOR_STATUS_BITS,
} from './status.js';
import type { DecodeOptions, EncodeOptions, GattError, GattResult, Spo2Reading } from './types.js';

export function decodePlxSpotCheck(
  bytes: Uint8Array,
  opts: DecodeOptions,
): GattResult<Spo2Reading> {
  const flags = bytes[0] ?? 0;
  const [hasTime, hasMeasStatus, hasSensorStatus, hasPai, clockNotSet] = [0, 1, 2, 3, 4].map((n) =>
    bit(flags, n),
  );
  const need =
    5 + (hasTime ? 7 : 0) + (hasMeasStatus ? 2 : 0) + (hasSensorStatus ? 3 : 0) + (hasPai ? 2 : 0);
  const short = checkLength(bytes, need);
  if (short) return { ok: false, errors: [short] };

  const view = viewOf(bytes);
  const errors: GattError[] = [];
  const value = required(view.getUint16(1, true), 'sfloat', 'value', errors);
  // The pulse is always sent; NaN there means the oximeter has SpO2 but no pulse.
  const pulse = optional(view.getUint16(3, true), 'pulse', errors);
  let at = 5;
  let measuredAt: string | undefined;
  if (hasTime) {
    // A clock that was never set gives a meaningless time: the hub's receive time is used.
    if (!clockNotSet) measuredAt = timeStamp(view, at, opts.timeZone, errors);
    at += 7;
  }
  const deviceStatus: string[] = [];
  if (hasMeasStatus) {
    deviceStatus.push(...bitsToFlags(view.getUint16(at, true), PLX_MEASUREMENT_STATUS_BITS));
    at += 2;
  }
  if (hasSensorStatus) {
    const sensor = view.getUint16(at, true) + view.getUint8(at + 2) * 0x10000;
    deviceStatus.push(...bitsToFlags(sensor, PLX_SENSOR_STATUS_BITS));
    at += 3;
  }
  if (hasPai) optional(view.getUint16(at, true), 'pulseAmplitudeIndex', errors); // checked, not kept
  if (clockNotSet) deviceStatus.push(DEVICE_CLOCK_NOT_SET);

  if (errors.length > 0 || value === undefined) return { ok: false, errors };
  return {
    ok: true,
    reading: {
      type: 'spo2',
      value,
      unit: '%',
      ...(pulse !== undefined && { pulse }),
      ...(measuredAt !== undefined && { measuredAt }),
      deviceStatus,
    },
  };
}

const KNOWN = [
  ...Object.keys(PLX_MEASUREMENT_STATUS_BITS),
  ...Object.keys(PLX_SENSOR_STATUS_BITS),
  DEVICE_CLOCK_NOT_SET,
];

export function encodePlxSpotCheck(reading: Spo2Reading, opts: EncodeOptions): Uint8Array {
  assertKnownFlags(reading.deviceStatus, KNOWN, 'PLX spot-check');
  const clockNotSet = reading.deviceStatus.includes(DEVICE_CLOCK_NOT_SET);
  if (clockNotSet && reading.measuredAt !== undefined) {
    throw new RangeError(`${DEVICE_CLOCK_NOT_SET} and measuredAt exclude each other`);
  }
  const measurement = flagsToBits(reading.deviceStatus, PLX_MEASUREMENT_STATUS_BITS);
  const sensor = flagsToBits(reading.deviceStatus, PLX_SENSOR_STATUS_BITS);
  const hasMeas = measurement !== 0 || opts.includeStatus === true;
  const hasSensor = sensor !== 0 || opts.includeStatus === true;
  const hasTime = reading.measuredAt !== undefined;
  const hasPai = opts.pulseAmplitudeIndex !== undefined;
  const flags =
    (hasTime ? 1 : 0) |
    (hasMeas ? 2 : 0) |
    (hasSensor ? 4 : 0) |
    (hasPai ? 8 : 0) |
    (clockNotSet ? 16 : 0);
  const parts = [
    u8(flags),
    u16(encodeSfloatAuto(reading.value)),
    u16(reading.pulse === undefined ? SFLOAT_SPECIAL.nan : encodeSfloatAuto(reading.pulse)),
  ];
  if (hasTime) parts.push(encodeDateTime(reading.measuredAt, opts.timeZone));
  if (hasMeas) parts.push(u16(measurement));
  if (hasSensor) parts.push(u24(sensor));
  if (hasPai) parts.push(u16(encodeSfloatAuto(opts.pulseAmplitudeIndex!)));
  return concat(parts);
}

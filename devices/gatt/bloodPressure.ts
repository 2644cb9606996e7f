// Blood Pressure Measurement (0x2A35), Blood Pressure Service 1.1.
// flags: bit 0 kPa, bit 1 time stamp, bit 2 pulse rate, bit 3 user id, bit 4 measurement status.
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
  u8,
  viewOf,
} from './fields.js';
import { encodeSfloatAuto, SFLOAT_SPECIAL } from './ieee11073.js';
import { BP_PULSE_RANGE, BP_STATUS_BITS, bitsToFlags, flagsToBits } from './status.js';
import type {
  BloodPressureReading,
  DecodeOptions,
  EncodeOptions,
  GattError,
  GattResult,
} from './types.js';

/** Status flags: bits 0-2 and 5, plus the pulse-rate range in bits 3-4 (3 is reserved). */
function statusFlags(status: number): string[] {
  const flags = bitsToFlags(status, BP_STATUS_BITS);
  const range = (status >> 3) & 3;
  for (const [name, code] of Object.entries(BP_PULSE_RANGE)) if (range === code) flags.push(name);
  return flags;
}

export function decodeBloodPressure(
  bytes: Uint8Array,
  opts: DecodeOptions,
): GattResult<BloodPressureReading> {
  const flags = bytes[0] ?? 0;
  const [kpa, hasTime, hasPulse, hasUser, hasStatus] = [0, 1, 2, 3, 4].map((n) => bit(flags, n));
  const need = 7 + (hasTime ? 7 : 0) + (hasPulse ? 2 : 0) + (hasUser ? 1 : 0) + (hasStatus ? 2 : 0);
  const short = checkLength(bytes, need);
  if (short) return { ok: false, errors: [short] };

  const view = viewOf(bytes);
  const errors: GattError[] = [];
  const systolic = required(view.getUint16(1, true), 'sfloat', 'systolic', errors);
  const diastolic = required(view.getUint16(3, true), 'sfloat', 'diastolic', errors);
  // Many cuffs do not compute the mean: NaN there must not cost the reading.
  const meanArterial = optional(view.getUint16(5, true), 'meanArterial', errors);
  let at = 7;
  let measuredAt: string | undefined;
  if (hasTime) {
    measuredAt = timeStamp(view, at, opts.timeZone, errors);
    at += 7;
  }
  let pulse: number | undefined;
  if (hasPulse) {
    pulse = optional(view.getUint16(at, true), 'pulse', errors);
    at += 2;
  }
  if (hasUser) at += 1; // user id: not part of the reading
  const deviceStatus = hasStatus ? statusFlags(view.getUint16(at, true)) : [];

  if (errors.length > 0 || systolic === undefined || diastolic === undefined) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    reading: {
      type: 'blood_pressure',
      systolic,
      diastolic,
      unit: kpa ? 'kPa' : 'mm[Hg]',
      ...(meanArterial !== undefined && { meanArterial }),
      ...(pulse !== undefined && { pulse }),
      ...(measuredAt !== undefined && { measuredAt }),
      deviceStatus,
    },
  };
}

const KNOWN = [...Object.keys(BP_STATUS_BITS), ...Object.keys(BP_PULSE_RANGE)];

export function encodeBloodPressure(
  reading: BloodPressureReading,
  opts: EncodeOptions,
): Uint8Array {
  assertKnownFlags(reading.deviceStatus, KNOWN, 'blood pressure');
  const over = reading.deviceStatus.includes('pulse_rate_over_range');
  const under = reading.deviceStatus.includes('pulse_rate_under_range');
  if (over && under) throw new RangeError('pulse rate cannot be both over and under range');
  const status =
    flagsToBits(reading.deviceStatus, BP_STATUS_BITS) |
    ((over
      ? BP_PULSE_RANGE.pulse_rate_over_range
      : under
        ? BP_PULSE_RANGE.pulse_rate_under_range
        : 0) <<
      3);
  const hasStatus = status !== 0 || opts.includeStatus === true;
  const hasTime = reading.measuredAt !== undefined;
  const flags =
    (reading.unit === 'kPa' ? 1 : 0) |
    (hasTime ? 2 : 0) |
    (reading.pulse !== undefined ? 4 : 0) |
    (opts.userId !== undefined ? 8 : 0) |
    (hasStatus ? 16 : 0);
  const parts = [
    u8(flags),
    u16(encodeSfloatAuto(reading.systolic)),
    u16(encodeSfloatAuto(reading.diastolic)),
    u16(
      reading.meanArterial === undefined
        ? SFLOAT_SPECIAL.nan
        : encodeSfloatAuto(reading.meanArterial),
    ),
  ];
  if (hasTime) parts.push(encodeDateTime(reading.measuredAt, opts.timeZone));
  if (reading.pulse !== undefined) parts.push(u16(encodeSfloatAuto(reading.pulse)));
  if (opts.userId !== undefined) parts.push(u8(opts.userId));
  if (hasStatus) parts.push(u16(status));
  return concat(parts);
}

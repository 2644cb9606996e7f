// Weight Measurement (0x2A9D), Weight Scale Service 1.0.
// flags: bit 0 imperial, bit 1 time stamp, bit 2 user id, bit 3 BMI and height.
import { encodeDateTime } from './datetime.js';
import { bit, checkLength, concat, timeStamp, u16, u8, viewOf } from './fields.js';
import type {
  DecodeOptions,
  EncodeOptions,
  GattError,
  GattResult,
  WeightReading,
} from './types.js';

const UNSUCCESSFUL = 0xffff;
// Resolutions as divisors: 0.005 kg and 0.01 lb. Dividing the integer gives the double nearest
// the decimal, so 16480 -> 82.4 with no float noise.
const PER_KG = 200;
const PER_LB = 100;

export function decodeWeight(bytes: Uint8Array, opts: DecodeOptions): GattResult<WeightReading> {
  const flags = bytes[0] ?? 0;
  const [imperial, hasTime, hasUser, hasBmi] = [0, 1, 2, 3].map((n) => bit(flags, n));
  const need = 3 + (hasTime ? 7 : 0) + (hasUser ? 1 : 0) + (hasBmi ? 4 : 0);
  const short = checkLength(bytes, need);
  if (short) return { ok: false, errors: [short] };

  const view = viewOf(bytes);
  const errors: GattError[] = [];
  const raw = view.getUint16(1, true);
  if (raw === UNSUCCESSFUL) {
    errors.push({ path: 'value', message: 'device sent 0xFFFF: measurement unsuccessful' });
  }
  const measuredAt = hasTime ? timeStamp(view, 3, opts.timeZone, errors) : undefined;
  // User id, BMI and height are not part of the reading: skipped.
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    reading: {
      type: 'body_weight',
      value: raw / (imperial ? PER_LB : PER_KG),
      unit: imperial ? '[lb_av]' : 'kg',
      ...(measuredAt !== undefined && { measuredAt }),
      deviceStatus: [],
    },
  };
}

/** Raw bytes for a reading; the value is rounded to the scale's resolution. */
export function encodeWeight(reading: WeightReading, opts: EncodeOptions): Uint8Array {
  if (reading.deviceStatus.length > 0) {
    throw new RangeError(`weight cannot carry status ${reading.deviceStatus.join(', ')}`);
  }
  const imperial = reading.unit === '[lb_av]';
  const raw = Math.round(reading.value * (imperial ? PER_LB : PER_KG));
  if (!(raw >= 0 && raw < UNSUCCESSFUL)) {
    throw new RangeError(`weight ${reading.value} ${reading.unit} is out of range`);
  }
  const hasBmi = opts.bmi !== undefined || opts.height !== undefined;
  if (hasBmi && (opts.bmi === undefined || opts.height === undefined)) {
    throw new RangeError('BMI and height go together');
  }
  const flags =
    (imperial ? 1 : 0) |
    (reading.measuredAt !== undefined ? 2 : 0) |
    (opts.userId !== undefined ? 4 : 0) |
    (hasBmi ? 8 : 0);
  const parts = [u8(flags), u16(raw)];
  if (reading.measuredAt !== undefined)
    parts.push(encodeDateTime(reading.measuredAt, opts.timeZone));
  if (opts.userId !== undefined) parts.push(u8(opts.userId));
  if (hasBmi) {
    parts.push(u16(Math.round(opts.bmi! * 10)));
    parts.push(u16(Math.round(opts.height! * (imperial ? 10 : 1000))));
  }
  return concat(parts);
}

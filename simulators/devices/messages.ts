// What a virtual device sends for one SimMeasurement: a device-contract JSON reading, or the raw
// bytes of a Bluetooth GATT characteristic (built with devices/gatt's encoders, so the hub's
// decoders read them back). Values are rounded to what a real device displays.
import { gattMessageId, type ReadingPayload } from '../../devices/contract.js';
import {
  decodeGatt,
  encodeGatt,
  type GattReading,
  type GattUuid,
} from '../../devices/gatt/index.js';
import {
  BP_PULSE_RANGE,
  BP_STATUS_BITS,
  DEVICE_CLOCK_NOT_SET,
  PLX_MEASUREMENT_STATUS_BITS,
  PLX_SENSOR_STATUS_BITS,
} from '../../devices/gatt/status.js';
import type { SimMeasurement } from '../patients/types.js';

/** Units a device may be set to; the hub converts them to canonical units. */
export interface DeviceUnits {
  weight: 'kg' | '[lb_av]';
  pressure: 'mm[Hg]' | 'kPa';
  temperature: 'Cel' | '[degF]';
}
export const CANONICAL_UNITS: DeviceUnits = {
  weight: 'kg',
  pressure: 'mm[Hg]',
  temperature: 'Cel',
};

const LB_KG = 0.45359237;
const KPA_MMHG = 7.50062;

const round = (v: number, step: number) => Math.round(v / step) * step;
/** Rounds to `decimals` without float noise (82.30000000000001). */
const fixed = (v: number, decimals: number) => Number(v.toFixed(decimals));

/** One message a device or gateway publishes, with what it stands for. */
export type Outbound =
  | { kind: 'json'; messageId: string; measuredAt: Date; type: string; reading: ReadingPayload }
  | {
      kind: 'gatt';
      /** The messageId the hub gives this value (`gatt-{uuid}-{measuredAt}`), for its receipt. */
      messageId: string;
      measuredAt: Date;
      type: string;
      uuid: GattUuid;
      bytes: Uint8Array;
    };

function need(value: number | undefined, field: string, m: SimMeasurement): number {
  if (value === undefined || !Number.isFinite(value)) {
    throw new RangeError(`${m.type} measurement without ${field}`);
  }
  return value;
}

/** The contract JSON reading for a measurement, in the device's units. */
export function toJsonReading(
  m: SimMeasurement,
  messageId: string,
  units: DeviceUnits = CANONICAL_UNITS,
): ReadingPayload {
  const common = {
    messageId,
    measuredAt: m.measuredAt.toISOString(),
    ...(m.deviceStatus?.length ? { deviceStatus: [...m.deviceStatus] } : {}),
  };
  switch (m.type) {
    case 'body_weight': {
      const kg = need(m.value, 'value', m);
      // scales show 0.1 kg or 0.2 lb
      return units.weight === 'kg'
        ? { ...common, type: m.type, value: fixed(round(kg, 0.1), 1), unit: 'kg' }
        : { ...common, type: m.type, value: fixed(round(kg / LB_KG, 0.2), 1), unit: '[lb_av]' };
    }
    case 'blood_pressure': {
      const sys = need(m.systolic, 'systolic', m);
      const dia = need(m.diastolic, 'diastolic', m);
      const pulse = m.pulse === undefined ? {} : { pulse: Math.round(m.pulse) };
      return units.pressure === 'mm[Hg]'
        ? {
            ...common,
            type: m.type,
            systolic: Math.round(sys),
            diastolic: Math.round(dia),
            ...pulse,
            unit: 'mm[Hg]',
          }
        : {
            ...common,
            type: m.type,
            systolic: fixed(sys / KPA_MMHG, 1),
            diastolic: fixed(dia / KPA_MMHG, 1),
            ...pulse,
            unit: 'kPa',
          };
    }
    case 'spo2':
      return {
        ...common,
        type: m.type,
        value: Math.round(need(m.value, 'value', m)),
        unit: '%',
        ...(m.supplementalOxygen === undefined ? {} : { supplementalOxygen: m.supplementalOxygen }),
      };
    case 'heart_rate':
    case 'respiratory_rate':
      return {
        ...common,
        type: m.type,
        value: Math.round(need(m.value, 'value', m)),
        unit: '/min',
      };
    case 'body_temperature': {
      const cel = need(m.value, 'value', m);
      return units.temperature === 'Cel'
        ? { ...common, type: m.type, value: fixed(cel, 1), unit: 'Cel' }
        : { ...common, type: m.type, value: fixed((cel * 9) / 5 + 32, 1), unit: '[degF]' };
    }
    case 'blood_glucose':
      return {
        ...common,
        type: m.type,
        value: fixed(need(m.value, 'value', m), 1),
        unit: 'mmol/L',
      };
    case 'consciousness':
      // the simulators measure no level of consciousness: a nurse scores it, not a device
      throw new RangeError('consciousness is not measured by a home device');
  }
}

const BP_FLAGS = new Set([...Object.keys(BP_STATUS_BITS), ...Object.keys(BP_PULSE_RANGE)]);
const PLX_FLAGS = new Set([
  ...Object.keys(PLX_MEASUREMENT_STATUS_BITS),
  ...Object.keys(PLX_SENSOR_STATUS_BITS),
  DEVICE_CLOCK_NOT_SET,
]);

/** Types a GATT characteristic carries (heart rate and the rest go as JSON). */
export const GATT_TYPES = new Set(['body_weight', 'blood_pressure', 'spo2', 'body_temperature']);

/**
 * The GATT reading for a measurement, or null when no supported characteristic carries its
 * type. Status flags the characteristic has no bit for are dropped, as a real device has no
 * way to send them.
 */
export function toGattReading(
  m: SimMeasurement,
  units: DeviceUnits = CANONICAL_UNITS,
): GattReading | null {
  const json = GATT_TYPES.has(m.type) ? toJsonReading(m, 'gatt', units) : null;
  if (!json) return null;
  const measuredAt = json.measuredAt;
  const flags = m.deviceStatus ?? [];
  switch (json.type) {
    case 'body_weight':
      return {
        type: 'body_weight',
        value: json.value,
        unit: json.unit as 'kg' | '[lb_av]',
        measuredAt,
        deviceStatus: [],
      };
    case 'blood_pressure':
      return {
        type: 'blood_pressure',
        systolic: json.systolic,
        diastolic: json.diastolic,
        unit: json.unit as 'mm[Hg]' | 'kPa',
        ...(json.pulse === undefined ? {} : { pulse: json.pulse }),
        measuredAt,
        deviceStatus: flags.filter((f) => BP_FLAGS.has(f)),
      };
    case 'spo2':
      return {
        type: 'spo2',
        value: json.value,
        unit: '%',
        ...(m.pulse === undefined ? {} : { pulse: Math.round(m.pulse) }),
        measuredAt,
        deviceStatus: flags.filter((f) => PLX_FLAGS.has(f) && f !== DEVICE_CLOCK_NOT_SET),
      };
    case 'body_temperature':
      return {
        type: 'body_temperature',
        value: json.value,
        unit: json.unit as 'Cel' | '[degF]',
        measuredAt,
        deviceStatus: [],
      };
    default:
      return null;
  }
}

/**
 * The characteristic, bytes and hub messageId for a measurement, or null when its type has no
 * GATT characteristic here. The messageId is the one the hub derives from the decoded time
 * stamp, found by decoding the bytes as the hub will.
 */
export function toGattMessage(
  m: SimMeasurement,
  timeZone: string,
  units: DeviceUnits = CANONICAL_UNITS,
): Extract<Outbound, { kind: 'gatt' }> | null {
  const reading = toGattReading(m, units);
  if (!reading) return null;
  const { uuid, bytes } = encodeGatt(reading, { timeZone });
  const back = decodeGatt(uuid, bytes, { timeZone });
  if (!back.ok || !back.reading.measuredAt) {
    throw new RangeError(`could not encode ${m.type}: ${JSON.stringify(back)}`);
  }
  return {
    kind: 'gatt',
    messageId: gattMessageId(uuid, back.reading.measuredAt),
    measuredAt: m.measuredAt,
    type: m.type,
    uuid,
    bytes,
  };
}

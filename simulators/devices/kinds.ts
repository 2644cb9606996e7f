// The four virtual devices of a home and what each measures. A device turns a measurement into
// the message it would publish: JSON (a connected device or an app) or raw GATT bytes (a
// Bluetooth device whose bytes a gateway forwards untouched).
import type { ReadingType } from '../../devices/contract.js';
import type { SimMeasurement } from '../patients/types.js';
import {
  CANONICAL_UNITS,
  toGattMessage,
  toJsonReading,
  type DeviceUnits,
  type Outbound,
} from './messages.js';

export const deviceKinds = ['scale', 'bp-cuff', 'pulse-oximeter', 'thermometer', 'app'] as const;
export type DeviceKind = (typeof deviceKinds)[number];

/** Which device takes which measurement; the patient's app takes what no device does. */
export function deviceKindFor(type: ReadingType): DeviceKind {
  switch (type) {
    case 'body_weight':
      return 'scale';
    case 'blood_pressure':
      return 'bp-cuff';
    case 'spo2':
    case 'heart_rate':
      return 'pulse-oximeter';
    case 'body_temperature':
      return 'thermometer';
    default:
      return 'app';
  }
}

export type Transport = 'json' | 'gatt';

export interface VirtualDevice {
  readonly kind: DeviceKind;
  readonly transport: Transport;
  /** The message for one measurement; `seq` makes its messageId unique on this device. */
  encode(m: SimMeasurement, seq: number): Outbound;
}

export interface VirtualDeviceOptions {
  kind: DeviceKind;
  transport: Transport;
  /** A short, stable prefix for messageIds (the deviceId, say). */
  idPrefix: string;
  units?: Partial<DeviceUnits>;
  /** The patient's zone: GATT time stamps carry local time without one. */
  timeZone?: string;
}

export function createVirtualDevice(o: VirtualDeviceOptions): VirtualDevice {
  const units = { ...CANONICAL_UNITS, ...o.units };
  const timeZone = o.timeZone ?? 'Europe/Stockholm';
  return {
    kind: o.kind,
    transport: o.transport,
    encode(m, seq) {
      if (o.transport === 'gatt') {
        // heart rate and the like have no characteristic here: the gateway sends them as JSON
        const gatt = toGattMessage(m, timeZone, units);
        if (gatt) return gatt;
      }
      const messageId = `${o.idPrefix}-${o.kind}-${String(seq).padStart(6, '0')}`;
      return {
        kind: 'json',
        messageId,
        measuredAt: m.measuredAt,
        type: m.type,
        reading: toJsonReading(m, messageId, units),
      };
    },
  };
}

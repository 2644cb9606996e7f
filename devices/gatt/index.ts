// Bluetooth GATT health characteristics <-> device-contract readings.
// decodeGatt never throws on the bytes: every problem comes back as { path, message } errors for
// the receipt. encodeGatt is its inverse, for simulators publishing raw characteristic values.
import { assertTimeZone } from './datetime.js';
import { decodeBloodPressure, encodeBloodPressure } from './bloodPressure.js';
import { decodePlxSpotCheck, encodePlxSpotCheck } from './plxSpotCheck.js';
import { decodeTemperature, encodeTemperature } from './temperature.js';
import type { DecodeOptions, EncodeOptions, GattReading, GattResult } from './types.js';
import { decodeWeight, encodeWeight } from './weight.js';

export * from './types.js';
export { isQuestionable, QUESTIONABLE_FLAGS } from './status.js';
export { decodeWeight, encodeWeight } from './weight.js';
export { decodeBloodPressure, encodeBloodPressure } from './bloodPressure.js';
export { decodePlxSpotCheck, encodePlxSpotCheck } from './plxSpotCheck.js';
export { decodeTemperature, encodeTemperature, TEMPERATURE_SITES } from './temperature.js';

export const GATT_UUIDS = ['2a9d', '2a35', '2a5e', '2a1c'] as const;
export type GattUuid = (typeof GATT_UUIDS)[number];

const decoders: Record<GattUuid, (bytes: Uint8Array, opts: DecodeOptions) => GattResult> = {
  '2a9d': decodeWeight,
  '2a35': decodeBloodPressure,
  '2a5e': decodePlxSpotCheck,
  '2a1c': decodeTemperature,
};

const BASE_UUID = /^0000([0-9a-f]{4})-0000-1000-8000-00805f9b34fb$/;

/** '2a9d', '2A9D', '0x2a9d' or the full 128-bit base UUID -> '2a9d'; anything else as given. */
export function normalizeUuid(uuid: string): string {
  const u = uuid.trim().toLowerCase().replace(/^0x/, '');
  return BASE_UUID.exec(u)?.[1] ?? u;
}

export const isGattUuid = (uuid: string): uuid is GattUuid =>
  (GATT_UUIDS as readonly string[]).includes(uuid);

export function decodeGatt(uuid: string, bytes: Uint8Array, opts: DecodeOptions): GattResult {
  const key = normalizeUuid(String(uuid));
  if (!isGattUuid(key)) {
    // quoted and cut: the uuid is a topic level, any text a device chose
    const message = `unsupported characteristic ${JSON.stringify(String(uuid).slice(0, 40))}: expected one of ${GATT_UUIDS.join(', ')}`;
    return { ok: false, errors: [{ path: 'uuid', message }] };
  }
  if (!(bytes instanceof Uint8Array)) {
    return { ok: false, errors: [{ path: 'bytes', message: 'expected the raw bytes' }] };
  }
  try {
    assertTimeZone(opts.timeZone);
  } catch {
    return {
      ok: false,
      errors: [{ path: 'timeZone', message: `unknown time zone ${opts.timeZone}` }],
    };
  }
  try {
    return decoders[key](bytes, opts);
  } catch (e) {
    // Not expected: the decoders check lengths first. A receipt beats a crashed ingest loop.
    return { ok: false, errors: [{ path: 'bytes', message: `could not decode: ${String(e)}` }] };
  }
}

/**
 * The characteristic and raw bytes a device would send for `reading`; decodeGatt gives the
 * reading back. Throws RangeError for what the characteristic cannot carry.
 */
export function encodeGatt(
  reading: GattReading,
  opts: EncodeOptions,
): { uuid: GattUuid; bytes: Uint8Array } {
  switch (reading.type) {
    case 'body_weight':
      return { uuid: '2a9d', bytes: encodeWeight(reading, opts) };
    case 'blood_pressure':
      return { uuid: '2a35', bytes: encodeBloodPressure(reading, opts) };
    case 'spo2':
      return { uuid: '2a5e', bytes: encodePlxSpotCheck(reading, opts) };
    case 'body_temperature':
      return { uuid: '2a1c', bytes: encodeTemperature(reading, opts) };
  }
}

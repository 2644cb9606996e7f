// Turns one MQTT message into readings and rejections. Pure apart from the random suffix of
// receipt-time GATT ids; never throws on what a device sends.
import { randomBytes } from 'node:crypto';
import { gattMessageId, MAX_READINGS_PER_MESSAGE } from '../../devices/contract.js';
import { decodeGatt } from '../../devices/gatt/index.js';
import type { CanonicalReading, Rejection } from './reading.js';
import { validateReading } from './validate.js';

export interface InboundMessage {
  deviceId: string;
  kind: 'readings' | 'gatt';
  uuid?: string;
  payload: Buffer;
  receivedAt: Date;
}

export interface DecodeOptions {
  maxPayloadBytes: number;
  /** Device clocks in GATT time stamps carry no zone: they are the patient's local time. */
  timeZone: string;
}

export interface Decoded {
  readings: CanonicalReading[];
  rejections: Rejection[];
}

export function decodeMessage(msg: InboundMessage, opts: DecodeOptions): Decoded {
  const out: Decoded = { readings: [], rejections: [] };

  if (msg.payload.length > opts.maxPayloadBytes) {
    out.rejections.push({
      deviceId: msg.deviceId,
      raw: msg.payload,
      messageId: null,
      reason: 'payload_too_large',
      errors: [
        {
          path: '(payload)',
          message: `payload is ${msg.payload.length} bytes; the limit is ${opts.maxPayloadBytes} bytes (send at most ${MAX_READINGS_PER_MESSAGE} readings per message)`,
        },
      ],
    });
    return out;
  }
  return msg.kind === 'gatt' ? decodeGattMessage(msg, opts, out) : decodeJson(msg, out);
}

function decodeJson(msg: InboundMessage, out: Decoded): Decoded {
  let body: unknown;
  try {
    body = JSON.parse(msg.payload.toString('utf8'));
  } catch (err) {
    out.rejections.push({
      deviceId: msg.deviceId,
      raw: msg.payload,
      messageId: null,
      reason: 'not_json',
      errors: [{ path: '(payload)', message: `not valid JSON: ${(err as Error).message}` }],
    });
    return out;
  }

  const isBatch =
    body !== null && typeof body === 'object' && !Array.isArray(body) && 'readings' in body;
  if (!isBatch) {
    judge(body, undefined);
    return out;
  }
  const list = (body as { readings: unknown }).readings;
  if (!Array.isArray(list)) {
    out.rejections.push({
      deviceId: msg.deviceId,
      messageId: null,
      raw: msg.payload,
      reason: 'invalid_shape',
      errors: [{ path: 'readings', message: 'must be an array of readings' }],
    });
    return out;
  }
  if (list.length > MAX_READINGS_PER_MESSAGE) {
    out.rejections.push({
      deviceId: msg.deviceId,
      messageId: null,
      raw: msg.payload,
      reason: 'batch_too_large',
      errors: [
        {
          path: 'readings',
          message: `${list.length} readings in one message; at most ${MAX_READINGS_PER_MESSAGE}`,
        },
      ],
    });
    return out;
  }
  list.forEach((item, index) => judge(item, index));
  return out;

  function judge(raw: unknown, index: number | undefined) {
    const v = validateReading(raw, { deviceId: msg.deviceId, receivedAt: msg.receivedAt });
    if (v.ok) out.readings.push(v.reading);
    else {
      out.rejections.push({
        deviceId: msg.deviceId,
        messageId: v.messageId,
        raw: index === undefined ? msg.payload : Buffer.from(JSON.stringify(raw) ?? ''),
        ...(index === undefined ? {} : { index }),
        reason: v.reason,
        errors: v.errors,
      });
    }
  }
}

function decodeGattMessage(msg: InboundMessage, opts: DecodeOptions, out: Decoded): Decoded {
  const uuid = (msg.uuid ?? '').toLowerCase();
  const result = decodeGatt(uuid, new Uint8Array(msg.payload), { timeZone: opts.timeZone });
  if (!result.ok) {
    out.rejections.push({
      deviceId: msg.deviceId,
      messageId: null,
      raw: msg.payload,
      reason: 'gatt_invalid',
      errors: result.errors,
    });
    return out;
  }
  const { measuredAt, deviceStatus, ...fields } = result.reading;
  // A time-stamped value is identified by characteristic and time stamp, so a resend is a
  // duplicate; one without a time stamp is "measured now" and unique.
  const messageId = measuredAt
    ? gattMessageId(uuid, measuredAt)
    : `gatt-${uuid}-r${msg.receivedAt.getTime()}-${randomBytes(4).toString('hex')}`;
  const v = validateReading(
    {
      ...fields,
      messageId,
      measuredAt: measuredAt ?? msg.receivedAt.toISOString(),
      ...(deviceStatus.length ? { deviceStatus } : {}),
    },
    {
      deviceId: msg.deviceId,
      receivedAt: msg.receivedAt,
      source: 'gatt',
      gattUuid: uuid,
      timeFromReceipt: !measuredAt,
    },
  );
  if (v.ok) out.readings.push(v.reading);
  else {
    out.rejections.push({
      deviceId: msg.deviceId,
      messageId,
      raw: msg.payload,
      reason: v.reason,
      errors: v.errors,
    });
  }
  return out;
}

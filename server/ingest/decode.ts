// Turns one MQTT message into readings and rejections. Pure apart from the random suffix of
// receipt-time GATT ids; never throws on what a device sends.
import { randomBytes } from 'node:crypto';
import { gattMessageId, MAX_JSON_DEPTH, MAX_READINGS_PER_MESSAGE } from '../../devices/contract.js';
import { decodeGatt } from '../../devices/gatt/index.js';
import type { InboundMessage } from '../shapes/message.js';
import type { CanonicalReading, Rejection } from '../shapes/reading.js';
import { storableText } from '../shapes/text.js';
import { validateReading } from './validate.js';

export interface DecodeOptions {
  maxPayloadBytes: number;
  /** Device clocks in GATT time stamps carry no zone: they are the patient's local time. */
  timeZone: string;
  /** How many days old a reading may be when it arrives (INGEST_MAX_AGE_DAYS). */
  maxAgeDays?: number;
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
  return msg.kind === 'gatt' ? decodeGattMessage(msg, opts, out) : decodeJson(msg, opts, out);
}

/**
 * Whether JSON text nests arrays and objects deeper than `max`, read from the bytes before any
 * parsing: a value nested thousands deep is cheap to send and overflows the stack of whatever
 * walks it recursively (JSON.stringify quoting it in a receipt did). One pass over the bytes,
 * brackets inside strings skipped; UTF-8 continuation bytes are never ASCII, so bytes will do.
 */
export function nestsDeeper(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (b === 0x5c)
        i++; // backslash: the next byte is escaped
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x5b || b === 0x7b) {
      if (++depth > max) return true;
    } else if (b === 0x5d || b === 0x7d) depth--;
  }
  return false;
}

function decodeJson(msg: InboundMessage, opts: DecodeOptions, out: Decoded): Decoded {
  if (nestsDeeper(msg.payload, MAX_JSON_DEPTH)) {
    out.rejections.push({
      deviceId: msg.deviceId,
      raw: msg.payload,
      messageId: null,
      reason: 'invalid_shape',
      errors: [
        {
          path: '(payload)',
          message: `JSON nested more than ${MAX_JSON_DEPTH} levels deep; a batch of readings needs 4`,
        },
      ],
    });
    return out;
  }
  let body: unknown;
  try {
    body = JSON.parse(msg.payload.toString('utf8'));
  } catch (err) {
    out.rejections.push({
      deviceId: msg.deviceId,
      raw: msg.payload,
      messageId: null,
      reason: 'not_json',
      // V8's message quotes the start of the payload: a NUL there, or half an emoji, is cleaned
      errors: [
        {
          path: '(payload)',
          message: `not valid JSON: ${storableText((err as Error).message, 200)}`,
        },
      ],
    });
    return out;
  }

  const isBatch =
    body !== null &&
    typeof body === 'object' &&
    !Array.isArray(body) &&
    Object.hasOwn(body, 'readings');
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
    const v = validateReading(raw, {
      deviceId: msg.deviceId,
      receivedAt: msg.receivedAt,
      maxAgeDays: opts.maxAgeDays,
    });
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
      // an unsupported characteristic is named as the topic had it (aedes lets a NUL through)
      errors: result.errors.map((e) => ({ path: e.path, message: storableText(e.message, 300) })),
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
      maxAgeDays: opts.maxAgeDays,
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

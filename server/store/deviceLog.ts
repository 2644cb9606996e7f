// One device's traffic for staff troubleshooting ("my readings don't arrive"): the readings it
// delivered and the messages the hub refused, newest received first, and the counts of a recent
// window. Reads `readings` and `rejected_messages` (the store's tables).
//
// `readings` has no index by device (migration 009: it cost the ingest ~10 %), so a device's
// readings are found among its patient's (`readings_patient_type_time`) and ordered by receipt
// there: a patient's readings, not the hub's (a patient with 100,000 readings, two devices and
// 1,000 refused messages: deviceLog ~250 ms on PGlite, ~55 ms on PostgreSQL, median of 7; 9,000
// readings: ~105 and ~45 ms). Refused messages have their own index by device.
import type { ReadingType, RejectionReason } from '../../devices/contract.js';
import { isQuestionable } from '../../devices/gatt/index.js';
import type { FieldError, MeasuredValues } from '../shapes/reading.js';
import { printablePreview } from '../shapes/text.js';
import type { Queryable } from './db.js';

/** A device of a patient: its readings are filed under the patient. */
export interface DeviceOfPatient {
  deviceId: string;
  patientId: string;
}

export interface DeviceReadingRecord extends MeasuredValues {
  messageId: string;
  type: ReadingType;
  measuredAt: string;
  receivedAt: string;
  /** The flags the device set about the measurement; empty when it set none. */
  deviceStatus: string[];
  /** A flag says the value may be wrong (the rules skip it). */
  questionable: boolean;
}

export interface RefusedRecord {
  receivedAt: string;
  reason: RejectionReason;
  messageId: string | null;
  errors: FieldError[];
  /** The start of the payload, printable (printablePreview); null when none was kept. */
  preview: string | null;
  /** The preview is not the whole payload. */
  previewCut: boolean;
  payloadSize: number;
}

export interface DeviceTraffic {
  since: string;
  accepted: number;
  /** Refused messages by reason, the most frequent first. */
  refused: { reason: RejectionReason; count: number }[];
}

/** Characters of a payload shown; UTF-8 takes at most 4 bytes a character, so 4x the bytes read. */
export const PREVIEW_CHARS = 300;
const PREVIEW_BYTES = PREVIEW_CHARS * 4;

const iso = (t: Date | string) => new Date(t).toISOString();

/** The device's newest readings by receipt, at most `limit`. */
export async function deviceReadings(
  db: Queryable,
  d: DeviceOfPatient,
  limit: number,
): Promise<DeviceReadingRecord[]> {
  const { rows } = await db.query<
    Omit<DeviceReadingRecord, 'questionable' | 'measuredAt' | 'receivedAt'> & {
      measuredAt: Date | string;
      receivedAt: Date | string;
    }
  >(
    `SELECT message_id AS "messageId", type, measured_at AS "measuredAt",
       received_at AS "receivedAt", value, systolic, diastolic, pulse, code, unit,
       COALESCE(details->'deviceStatus', '[]'::jsonb) AS "deviceStatus"
     FROM readings WHERE patient_id = $1 AND device_id = $2
     ORDER BY received_at DESC, measured_at DESC LIMIT $3`,
    [d.patientId, d.deviceId, limit],
  );
  return rows.map((r) => ({
    ...r,
    measuredAt: iso(r.measuredAt),
    receivedAt: iso(r.receivedAt),
    questionable: isQuestionable(r.deviceStatus),
  }));
}

/** The device's newest refused messages, at most `limit`, each with a preview of its payload. */
export async function refusedMessages(
  db: Queryable,
  deviceId: string,
  limit: number,
): Promise<RefusedRecord[]> {
  const { rows } = await db.query<{
    receivedAt: Date | string;
    reason: RejectionReason;
    messageId: string | null;
    errors: FieldError[];
    head: Uint8Array | null;
    payloadSize: number;
  }>(
    `SELECT received_at AS "receivedAt", reason, message_id AS "messageId", errors,
       substring(payload FROM 1 FOR $3) AS head, payload_size AS "payloadSize"
     FROM rejected_messages WHERE device_id = $1
     ORDER BY received_at DESC, id DESC LIMIT $2`,
    [deviceId, limit, PREVIEW_BYTES],
  );
  return rows.map(({ head, ...r }) => {
    const shown = head ? printablePreview(head, PREVIEW_CHARS) : null;
    return {
      ...r,
      receivedAt: iso(r.receivedAt),
      preview: shown?.text ?? null,
      previewCut: shown ? shown.cut || head!.length < r.payloadSize : false,
    };
  });
}

/** What the device sent since `since`: readings stored, and messages refused by reason. */
export async function deviceTraffic(
  db: Queryable,
  d: DeviceOfPatient,
  since: Date,
): Promise<DeviceTraffic> {
  const [accepted, refused] = await Promise.all([
    db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM readings
       WHERE patient_id = $1 AND device_id = $2 AND received_at >= $3`,
      [d.patientId, d.deviceId, since.toISOString()],
    ),
    db.query<{ reason: RejectionReason; count: number }>(
      `SELECT reason, count(*)::int AS count FROM rejected_messages
       WHERE device_id = $1 AND received_at >= $2
       GROUP BY reason ORDER BY count(*) DESC, reason`,
      [d.deviceId, since.toISOString()],
    ),
  ]);
  return { since: since.toISOString(), accepted: accepted.rows[0]!.n, refused: refused.rows };
}

export interface DeviceLogRecord {
  /** When its newest reading arrived; null: none ever did. */
  lastSeenAt: string | null;
  readings: DeviceReadingRecord[];
  refused: RefusedRecord[];
  recent: DeviceTraffic;
}

/** A device's log: its newest `limit` readings and refused messages, and the traffic since `since`. */
export async function deviceLog(
  db: Queryable,
  d: DeviceOfPatient,
  o: { limit: number; since: Date },
): Promise<DeviceLogRecord> {
  const [readings, refused, recent] = await Promise.all([
    deviceReadings(db, d, o.limit),
    refusedMessages(db, d.deviceId, o.limit),
    deviceTraffic(db, d, o.since),
  ]);
  // newest received first: the first is when the device was last heard with a reading
  return { lastSeenAt: readings[0]?.receivedAt ?? null, readings, refused, recent };
}

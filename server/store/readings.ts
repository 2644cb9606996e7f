// Storing a batch of readings once, and the rejected messages beside them, in one transaction.
import type { CanonicalReading, Rejection } from '../ingest/reading.js';
import type { Queryable } from './db.js';

export type StoreStatus = 'accepted' | 'duplicate';

export interface BatchOutcome {
  /** Status per input reading, in input order; a rejection when the device may not send. */
  statuses: (StoreStatus | Rejection)[];
}

const RAW_KEEP_BYTES = 4096;

interface DeviceRow {
  id: string;
  patient_id: string;
  revoked: boolean;
}

export async function storeBatch(
  tx: Queryable,
  readings: CanonicalReading[],
  rejections: Rejection[],
): Promise<BatchOutcome> {
  const statuses: (StoreStatus | Rejection)[] = new Array(readings.length);
  const extraRejections: Rejection[] = [];

  // Per batch, not cached: a device revoked a moment ago is refused from the next batch on.
  const deviceIds = [...new Set(readings.map((r) => r.deviceId))];
  const devices = new Map<string, DeviceRow>();
  if (deviceIds.length) {
    const { rows } = await tx.query<DeviceRow>(
      'SELECT id, patient_id, revoked_at IS NOT NULL AS revoked FROM devices WHERE id = ANY($1::text[])',
      [deviceIds],
    );
    for (const row of rows) devices.set(row.id, row);
  }

  const candidates: { i: number; r: CanonicalReading; patientId: string }[] = [];
  const seen = new Set<string>();
  readings.forEach((r, i) => {
    const device = devices.get(r.deviceId);
    if (!device || device.revoked) {
      const rejection: Rejection = {
        deviceId: r.deviceId,
        messageId: r.messageId,
        reason: device ? 'revoked_device' : 'unknown_device',
        errors: [
          {
            path: '(device)',
            message: device
              ? `device ${r.deviceId} is revoked; readings from it are not accepted`
              : `device ${r.deviceId} is not registered with this hub`,
          },
        ],
        receivedAt: r.receivedAt,
      };
      statuses[i] = rejection;
      extraRejections.push(rejection);
      return;
    }
    const key = `${r.deviceId}\u0000${r.messageId}`;
    if (seen.has(key)) {
      statuses[i] = 'duplicate';
      return;
    }
    seen.add(key);
    candidates.push({ i, r, patientId: device.patient_id });
  });

  if (candidates.length) {
    const col = <T>(f: (c: (typeof candidates)[number]) => T) => candidates.map(f);
    const { rows } = await tx.query<{ device_id: string; message_id: string }>(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[],
           $6::timestamptz[], $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::text[],
           $12::text[], $13::text[])
         AS t(device_id, message_id, patient_id, type, measured_at, received_at, value, systolic,
           diastolic, pulse, code, unit, details)
       ), fresh AS (
         INSERT INTO reading_keys (device_id, message_id)
         SELECT device_id, message_id FROM input
         ON CONFLICT DO NOTHING
         RETURNING device_id, message_id
       )
       INSERT INTO readings (device_id, message_id, patient_id, type, measured_at, received_at,
         value, systolic, diastolic, pulse, code, unit, details)
       SELECT i.device_id, i.message_id, i.patient_id, i.type, i.measured_at, i.received_at,
         i.value, i.systolic, i.diastolic, i.pulse, i.code, i.unit, i.details::jsonb
       FROM input i JOIN fresh f ON f.device_id = i.device_id AND f.message_id = i.message_id
       RETURNING device_id, message_id`,
      [
        col((c) => c.r.deviceId),
        col((c) => c.r.messageId),
        col((c) => c.patientId),
        col((c) => c.r.type),
        col((c) => c.r.measuredAt.toISOString()),
        col((c) => c.r.receivedAt.toISOString()),
        col((c) => c.r.value),
        col((c) => c.r.systolic),
        col((c) => c.r.diastolic),
        col((c) => c.r.pulse),
        col((c) => c.r.code),
        col((c) => c.r.unit),
        col((c) => JSON.stringify(c.r.details)),
      ],
    );
    const inserted = new Set(rows.map((r) => `${r.device_id}\u0000${r.message_id}`));
    for (const c of candidates) {
      statuses[c.i] = inserted.has(`${c.r.deviceId}\u0000${c.r.messageId}`)
        ? 'accepted'
        : 'duplicate';
    }
  }

  await storeRejections(tx, [...rejections, ...extraRejections]);
  return { statuses };
}

export async function storeRejections(tx: Queryable, rejections: Rejection[]): Promise<void> {
  if (!rejections.length) return;
  const now = new Date().toISOString();
  await tx.query(
    `INSERT INTO rejected_messages (device_id, message_id, batch_index, received_at, reason,
       errors, payload, payload_size)
     SELECT device_id, message_id, batch_index, received_at, reason, errors::jsonb,
       decode(payload, 'base64'), payload_size
     FROM unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[], $5::text[], $6::text[],
       $7::text[], $8::int[])
     AS t(device_id, message_id, batch_index, received_at, reason, errors, payload, payload_size)`,
    [
      rejections.map((r) => r.deviceId),
      rejections.map((r) => r.messageId),
      rejections.map((r) => r.index ?? null),
      rejections.map((r) => (r.receivedAt ?? null)?.toISOString() ?? now),
      rejections.map((r) => r.reason),
      rejections.map((r) => JSON.stringify(r.errors)),
      rejections.map((r) => (r.raw ? r.raw.subarray(0, RAW_KEEP_BYTES).toString('base64') : null)),
      rejections.map((r) => r.raw?.length ?? 0),
    ],
  );
}

export interface ReadingRow {
  deviceId: string;
  messageId: string;
  type: string;
  measuredAt: string;
  receivedAt: string;
  value: number | null;
  systolic: number | null;
  diastolic: number | null;
  pulse: number | null;
  code: string | null;
  unit: string | null;
  details: Record<string, unknown>;
}

/** The patient's latest readings, newest first, in canonical units. */
export async function latestReadings(
  db: Queryable,
  patientId: string,
  limit = 50,
): Promise<ReadingRow[]> {
  const { rows } = await db.query<ReadingRow>(
    `SELECT device_id AS "deviceId", message_id AS "messageId", type,
       to_json(measured_at)#>>'{}' AS "measuredAt", to_json(received_at)#>>'{}' AS "receivedAt",
       value, systolic, diastolic, pulse, code, unit, details
     FROM readings WHERE patient_id = $1 ORDER BY measured_at DESC LIMIT $2`,
    [patientId, limit],
  );
  return rows;
}

// Storing a batch of readings once, and the rejected messages beside them: one SQL statement
// (data-modifying CTEs), so one round trip and one atomic commit per batch. The same statement
// keeps each patient's latest reading per type (latest_readings) for the patient list.
import { storableText } from '../shapes/text.js';
import {
  type CanonicalReading,
  type FieldError,
  type ReadingValues,
  type Rejection,
} from '../shapes/reading.js';
import { BATCH_DEVICES_SQL } from '../registry/batchDevices.js';
import type { Queryable } from './db.js';
import { every } from '../ops/every.js';
import type { Logger } from '../ops/log.js';

export type StoreStatus = 'accepted' | 'duplicate';

export interface BatchOutcome {
  /** Status per input reading, in input order; a rejection when the device may not send. */
  statuses: (StoreStatus | Rejection)[];
  /** The patient of each reading whose device is registered, in input order. */
  patientIds: (string | null)[];
}

const RAW_KEEP_BYTES = 4096;
/** A rejection's errors as recorded: enough to see what was wrong, never the whole input again. */
const KEEP_ERRORS = 20;
const KEEP_PATH_CHARS = 200;
const KEEP_MESSAGE_CHARS = 500;

const storableErrors = (errors: FieldError[]) =>
  JSON.stringify(
    errors.slice(0, KEEP_ERRORS).map((e) => ({
      path: storableText(e.path, KEEP_PATH_CHARS),
      message: storableText(e.message, KEEP_MESSAGE_CHARS),
    })),
  );

/** The two ways a registered-device check fails; `%s` is the device id (SQL `format`). */
const DEVICE_REFUSALS = {
  unknown_device: 'device %s is not registered with this hub',
  revoked_device: 'device %s is revoked; readings from it are not accepted',
} as const;

type Row = {
  idx: number;
  status: StoreStatus | keyof typeof DEVICE_REFUSALS;
  patient_id: string | null;
};

const col = <T, V>(items: T[], f: (t: T) => V) => items.map(f);

/** A reading as a row of the batch's JSON text (the keys of the statement's `input`). */
function batchRow(i: number, r: CanonicalReading) {
  return {
    i,
    d: r.deviceId,
    m: r.messageId,
    t: r.type,
    a: r.measuredAt.getTime(),
    r: r.receivedAt.getTime(),
    v: r.value ?? undefined,
    s: r.systolic ?? undefined,
    di: r.diastolic ?? undefined,
    p: r.pulse ?? undefined,
    c: r.code ?? undefined,
    u: r.unit ?? undefined,
    x: r.details,
  };
}

/**
 * Stores the readings whose device is registered and active, once per (device, messageId);
 * records the rejections, and those of unknown or revoked devices, in rejected_messages.
 * Device status is read in the same statement, never cached: a device revoked a moment ago is
 * refused from the next batch on.
 */
export async function storeBatch(
  db: Queryable,
  readings: CanonicalReading[],
  rejections: Rejection[],
): Promise<BatchOutcome> {
  const statuses: (StoreStatus | Rejection)[] = new Array(readings.length);
  const patientIds: (string | null)[] = new Array(readings.length).fill(null);
  // a repeat inside one batch is a duplicate of its first occurrence
  const seen = new Set<string>();
  const unique: { i: number; r: CanonicalReading }[] = [];
  readings.forEach((r, i) => {
    const key = `${r.deviceId}\u0000${r.messageId}`;
    if (seen.has(key)) statuses[i] = 'duplicate';
    else {
      seen.add(key);
      unique.push({ i, r });
    }
  });
  const now = new Date().toISOString();

  const { rows } = await db.query<Row>(
    // the batch travels as one JSON text: serialising thirteen PostgreSQL text arrays in
    // JavaScript was a tenth of the hub's allocations under load. Times go as epoch
    // milliseconds: a Date's toJSON made JSON.stringify three times slower. Keys are one or two
    // letters and nulls are left out: parsing the text is a sixth of PostgreSQL's work here.
    `WITH input AS (
       SELECT i AS idx, d AS device_id, m AS message_id, t AS type,
         to_timestamp(a / 1000) AS measured_at, to_timestamp(r / 1000) AS received_at,
         v AS value, s AS systolic, di AS diastolic, p AS pulse, c AS code, u AS unit,
         x AS details
       FROM json_to_recordset($1::json)
       AS t(i int, d text, m text, t text, a float8, r float8, v float8, s float8, di float8,
         p float8, c text, u text, x jsonb)
     ), dev AS (
       ${BATCH_DEVICES_SQL}
     ), fresh AS (
       INSERT INTO reading_keys (device_id, message_id)
       SELECT i.device_id, i.message_id FROM input i JOIN dev d ON d.id = i.device_id AND NOT d.revoked
       ON CONFLICT DO NOTHING
       RETURNING device_id, message_id
     ), stored AS (
       INSERT INTO readings (device_id, message_id, patient_id, type, measured_at, received_at,
         value, systolic, diastolic, pulse, code, unit, details)
       SELECT i.device_id, i.message_id, d.patient_id, i.type, i.measured_at, i.received_at,
         i.value, i.systolic, i.diastolic, i.pulse, i.code, i.unit, i.details::jsonb
       FROM input i
       JOIN dev d ON d.id = i.device_id
       JOIN fresh f ON f.device_id = i.device_id AND f.message_id = i.message_id
       RETURNING device_id, message_id
     ), latest AS (
       -- the patient list's latest values (migration 008): one row per patient and type, in
       -- key order so that commit lanes touching the same patients lock them in the same order
       INSERT INTO latest_readings (patient_id, type, measured_at, value, systolic, diastolic,
         pulse, code, unit)
       SELECT DISTINCT ON (d.patient_id, i.type) d.patient_id, i.type, i.measured_at, i.value,
         i.systolic, i.diastolic, i.pulse, i.code, i.unit
       FROM input i
       JOIN dev d ON d.id = i.device_id
       JOIN fresh f ON f.device_id = i.device_id AND f.message_id = i.message_id
       ORDER BY d.patient_id, i.type, i.measured_at DESC
       ON CONFLICT (patient_id, type) DO UPDATE SET measured_at = EXCLUDED.measured_at,
         value = EXCLUDED.value, systolic = EXCLUDED.systolic, diastolic = EXCLUDED.diastolic,
         pulse = EXCLUDED.pulse, code = EXCLUDED.code, unit = EXCLUDED.unit
       WHERE latest_readings.measured_at < EXCLUDED.measured_at
       RETURNING 1
     ), judged AS (
       SELECT i.idx, i.device_id, i.message_id, i.received_at, d.patient_id,
         CASE WHEN d.id IS NULL THEN 'unknown_device'
              WHEN d.revoked THEN 'revoked_device'
              WHEN s.message_id IS NOT NULL THEN 'accepted'
              ELSE 'duplicate' END AS status
       FROM input i
       LEFT JOIN dev d ON d.id = i.device_id
       LEFT JOIN stored s ON s.device_id = i.device_id AND s.message_id = i.message_id
     ), refused AS (
       INSERT INTO rejected_messages (device_id, message_id, batch_index, received_at, reason,
         errors, payload, payload_size)
       SELECT device_id, message_id, batch_index, received_at, reason, errors::jsonb,
         decode(payload, 'base64'), payload_size
       FROM unnest($2::text[], $3::text[], $4::int[], $5::timestamptz[], $6::text[],
         $7::text[], $8::text[], $9::int[])
       AS r(device_id, message_id, batch_index, received_at, reason, errors, payload, payload_size)
       UNION ALL
       SELECT device_id, message_id, NULL, received_at, status,
         jsonb_build_array(jsonb_build_object('path', '(device)', 'message',
           format(CASE status WHEN 'unknown_device' THEN $10 ELSE $11 END, device_id))),
         NULL, 0
       FROM judged WHERE status IN ('unknown_device', 'revoked_device')
       RETURNING 1
     )
     SELECT idx, status, patient_id FROM judged`,
    [
      JSON.stringify(unique.map(({ i, r }) => batchRow(i, r))),
      col(rejections, (r) => r.deviceId),
      col(rejections, (r) => (r.messageId === null ? null : storableText(r.messageId, 128))),
      col(rejections, (r) => r.index ?? null),
      col(rejections, (r) => (r.receivedAt ?? null)?.toISOString() ?? now),
      col(rejections, (r) => r.reason),
      col(rejections, (r) => storableErrors(r.errors)),
      col(rejections, (r) => (r.raw ? r.raw.subarray(0, RAW_KEEP_BYTES).toString('base64') : null)),
      col(rejections, (r) => r.raw?.length ?? 0),
      DEVICE_REFUSALS.unknown_device,
      DEVICE_REFUSALS.revoked_device,
    ],
    { prepare: 'store_batch' },
  );

  for (const row of rows) {
    const r = readings[row.idx]!;
    patientIds[row.idx] = row.patient_id;
    statuses[row.idx] =
      row.status === 'accepted' || row.status === 'duplicate'
        ? row.status
        : {
            deviceId: r.deviceId,
            messageId: r.messageId,
            reason: row.status,
            errors: [
              { path: '(device)', message: DEVICE_REFUSALS[row.status].replace('%s', r.deviceId) },
            ],
            receivedAt: r.receivedAt,
          };
  }
  return { statuses, patientIds };
}

export interface ReadingRow extends ReadingValues {
  deviceId: string;
  messageId: string;
  type: string;
  receivedAt: string;
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

export interface RejectedRetention {
  /** Rows received before this are deleted. */
  before: Date;
  /** A device keeps at most this many rows, its newest. */
  perDevice: number;
}

/**
 * Keeps the rejected messages bounded: what a faulty device sends is kept for support to read,
 * for a while and up to a number a device; a device sending garbage 50 times a second for a day
 * must not fill the disk. Returns the rows deleted.
 */
export async function pruneRejected(db: Queryable, keep: RejectedRetention): Promise<number> {
  const count = async (sql: string, params: unknown[]) =>
    (
      await db.query<{ n: number }>(
        `WITH d AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM d`,
        params,
      )
    ).rows[0]!.n;
  const old = await count('DELETE FROM rejected_messages WHERE received_at < $1', [
    keep.before.toISOString(),
  ]);
  // only the devices over the cap are ranked
  const over = await count(
    `DELETE FROM rejected_messages WHERE id IN (
       SELECT id FROM (
         SELECT id, row_number() OVER (PARTITION BY device_id ORDER BY received_at DESC, id DESC) AS n
         FROM rejected_messages
         WHERE device_id IN (
           SELECT device_id FROM rejected_messages GROUP BY device_id HAVING count(*) > $1)
       ) ranked WHERE n > $1)`,
    [keep.perDevice],
  );
  return old + over;
}

export const PRUNE_REJECTED_MS = 60 * 60_000;
const DAY_MS = 86_400_000;

/**
 * Prunes rejected messages now and every hour: older than `retentionDays`, and beyond
 * `perDevice` a device (every hub may: deleting twice is harmless). Returns what stops it (and
 * waits for a pruning going).
 */
export function startPruning(
  db: Queryable,
  keep: { retentionDays: number; perDevice: number },
  log: Logger,
  o: { everyMs?: number } = {},
): () => Promise<void> {
  return every(
    o.everyMs ?? PRUNE_REJECTED_MS,
    () =>
      pruneRejected(db, {
        before: new Date(Date.now() - keep.retentionDays * DAY_MS),
        perDevice: keep.perDevice,
      }),
    (err) => log.warn({ err }, 'pruning rejected messages failed'),
    { now: true },
  );
}

// Reading back what the store wrote: a patient's readings for the rules and the what-if, the
// patient list's latest values, a chart's series, and when a patient's devices last sent (as a
// subquery the plans embed). The
// only reads of `readings` and `latest_readings` (the store's tables); the rules, the patients'
// views and the plans call these.
import type { ReadingDetails, StoredReading } from '../shapes/reading.js';
import type { Queryable } from './db.js';

/** A stored reading as its readers get it: the columns the rules judge, times as stored. */
export type ReadingRecord = Pick<
  StoredReading,
  'deviceId' | 'messageId' | 'type' | 'value' | 'systolic' | 'diastolic' | 'pulse' | 'code'
> & { measuredAt: Date | string; receivedAt: Date | string; details: ReadingDetails };

const RECORD_COLUMNS = `device_id AS "deviceId", message_id AS "messageId", type,
  measured_at AS "measuredAt", received_at AS "receivedAt", value, systolic, diastolic, pulse,
  code, details`;

/** The patient's readings measured since `since`, oldest first, optionally of some types only. */
export async function readingsSince(
  db: Queryable,
  patientId: string,
  since: Date,
  types?: readonly string[],
): Promise<ReadingRecord[]> {
  const { rows } = await db.query<ReadingRecord>(
    `SELECT ${RECORD_COLUMNS}
     FROM readings
     WHERE patient_id = $1 AND measured_at >= $2 AND ($3::text[] IS NULL OR type = ANY($3::text[]))
     ORDER BY measured_at`,
    [patientId, since.toISOString(), types ?? null],
  );
  return rows;
}

/** Which stored reading: its device's message, and when it was measured (ISO 8601). */
export interface ReadingKey {
  deviceId: string;
  messageId: string;
  measuredAt: string;
}

/**
 * The patient's readings these keys name (an alert's finding's readings), in canonical units
 * with the unit, oldest first; a key naming no reading of the patient is left out. Found by
 * device and measured time (an index), give or take a second, then by message id.
 */
export async function readingsByKeys(
  db: Queryable,
  patientId: string,
  keys: readonly ReadingKey[],
): Promise<(ReadingRecord & { unit: string | null })[]> {
  if (!keys.length) return [];
  const { rows } = await db.query<ReadingRecord & { unit: string | null }>(
    `SELECT r.device_id AS "deviceId", r.message_id AS "messageId", r.type,
       r.measured_at AS "measuredAt", r.received_at AS "receivedAt", r.value, r.systolic,
       r.diastolic, r.pulse, r.code, r.details, r.unit
     FROM unnest($2::text[], $3::text[], $4::timestamptz[]) AS k(device_id, message_id, measured_at)
     JOIN readings r ON r.device_id = k.device_id
       AND r.measured_at BETWEEN k.measured_at - interval '1 second' AND k.measured_at + interval '1 second'
       AND r.message_id = k.message_id AND r.patient_id = $1
     ORDER BY r.measured_at`,
    [
      patientId,
      keys.map((k) => k.deviceId),
      keys.map((k) => k.messageId),
      keys.map((k) => k.measuredAt),
    ],
  );
  return rows;
}

/** One patient's window for readingsInWindows: readings measured since, received by. */
export interface HistoryWindow {
  patientId: string;
  since: Date;
  receivedBy: Date;
}

/**
 * readingsSince for several patients in one query (the patients of a commit the rules have not
 * met yet: a burst of them after a start was a query each). Ordered by patient, then oldest
 * first.
 */
export async function readingsInWindows(
  db: Queryable,
  windows: readonly HistoryWindow[],
): Promise<(ReadingRecord & { patientId: string })[]> {
  const { rows } = await db.query<ReadingRecord & { patientId: string }>(
    `SELECT r.patient_id AS "patientId", ${RECORD_COLUMNS}
     FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) AS w(patient_id, since, received_by)
     JOIN readings r ON r.patient_id = w.patient_id AND r.measured_at >= w.since
       AND r.received_at <= w.received_by
     ORDER BY r.patient_id, r.measured_at`,
    [
      windows.map((w) => w.patientId),
      windows.map((w) => w.since.toISOString()),
      windows.map((w) => w.receivedBy.toISOString()),
    ],
  );
  return rows;
}

/**
 * Rows `(patient_id, at)`: when the devices of each patient named in the statement's `planned`
 * CTE (which has a `patient_id` column) last delivered a reading (no row: never). A subquery the
 * plans' missed-measurement read embeds (server/plans/store.ts `patientsExpectingMeasurements`).
 */
export const PLANNED_LAST_RECEIVED_SQL = `SELECT patient_id, max(received_at) AS at FROM readings
       WHERE patient_id IN (SELECT patient_id FROM planned) GROUP BY patient_id`;

export interface LatestRecord {
  patientId: string;
  type: string;
  value: number | null;
  systolic: number | null;
  diastolic: number | null;
  pulse: number | null;
  code: string | null;
  unit: string | null;
  measuredAt: Date;
}

type LatestTuple = [
  string,
  string,
  number | null,
  number | null,
  number | null,
  number | null,
  string | null,
  string | null,
  number,
];

/**
 * The latest reading of each type of these patients, kept by the ingest (migration 008: a
 * DISTINCT ON over `readings` walked a year of every listed patient's readings). As one JSON
 * text: a unit's ~1,250 rows cost PGlite's row-by-row transfer from its worker 3-4 times more.
 */
export async function latestOfPatients(db: Queryable, ids: string[]): Promise<LatestRecord[]> {
  const { rows } = await db.query<{ j: string | null }>(
    `SELECT json_agg(json_build_array(patient_id, type, value, systolic, diastolic, pulse, code,
       unit, (extract(epoch FROM measured_at) * 1000)::float8))::text AS j
     FROM latest_readings WHERE patient_id = ANY($1::text[])`,
    [ids],
  );
  const tuples = JSON.parse(rows[0]?.j ?? '[]') as LatestTuple[];
  return tuples.map(([patientId, type, value, systolic, diastolic, pulse, code, unit, ms]) => ({
    patientId,
    type,
    value,
    systolic,
    diastolic,
    pulse,
    code,
    unit,
    measuredAt: new Date(ms),
  }));
}

/** A chart's resolution: every reading, or the mean of each hour or of each local day. */
export type SeriesBucket = 'hour' | 'day' | null;

export interface SeriesRow {
  t: Date;
  value: number | null;
  systolic: number | null;
  diastolic: number | null;
  min: number | null;
  max: number | null;
  n: number;
}

// Only these bucket expressions reach SQL.
const BUCKETS = {
  hour: "date_trunc('hour', measured_at)",
  day: "(date_trunc('day', measured_at AT TIME ZONE $5) AT TIME ZONE $5)",
} as const;

/**
 * A patient's readings of one type measured in [from, to], oldest first: each one, or per
 * bucket their mean, least and greatest (`value`, else the systolic pressure) and count. Days
 * are the patient's local days in `timeZone`.
 */
export async function seriesOf(
  db: Queryable,
  q: {
    patientId: string;
    type: string;
    from: Date;
    to: Date;
    bucket: SeriesBucket;
    timeZone: string;
  },
): Promise<SeriesRow[]> {
  type Row = Omit<SeriesRow, 'n'> & { n: string | number };
  const params = [q.patientId, q.type, q.from.toISOString(), q.to.toISOString()];
  const { rows } = q.bucket
    ? await db.query<Row>(
        `SELECT ${BUCKETS[q.bucket]} AS t, avg(value) AS value, avg(systolic) AS systolic,
           avg(diastolic) AS diastolic, min(COALESCE(value, systolic)) AS min,
           max(COALESCE(value, systolic)) AS max, count(*) AS n
         FROM readings WHERE patient_id = $1 AND type = $2 AND measured_at >= $3 AND measured_at <= $4
         GROUP BY 1 ORDER BY 1`,
        q.bucket === 'day' ? [...params, q.timeZone] : params,
      )
    : await db.query<Row>(
        `SELECT measured_at AS t, value, systolic, diastolic, NULL::float8 AS min,
           NULL::float8 AS max, 1 AS n
         FROM readings WHERE patient_id = $1 AND type = $2 AND measured_at >= $3 AND measured_at <= $4
         ORDER BY measured_at`,
        params,
      );
  // numeric aggregates may come back as text; count(*) is a bigint
  const num = (v: number | null) => (v === null ? null : Number(v));
  return rows.map((r) => ({
    t: new Date(r.t),
    value: num(r.value),
    systolic: num(r.systolic),
    diastolic: num(r.diastolic),
    min: num(r.min),
    max: num(r.max),
    n: Number(r.n),
  }));
}

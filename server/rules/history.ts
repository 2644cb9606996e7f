// A patient's stored readings as the rules read them (the database edge of the rules stage).
import type { ReadingDetails, StoredReading } from '../shapes/reading.js';
import type { Queryable } from '../store/db.js';
import type { RuleReading } from './types.js';

type Source = Pick<
  StoredReading,
  'deviceId' | 'messageId' | 'type' | 'value' | 'systolic' | 'diastolic' | 'pulse' | 'code'
> & { measuredAt: Date | string; receivedAt: Date | string; details: ReadingDetails };

// A committed reading's Date is shared, not copied: thousands a second, each kept as long as the
// patient's history holds the reading.
const asDate = (d: Date | string) => (d instanceof Date ? d : new Date(d));

/** The rules' view of a reading: canonical values plus the flags rules care about. */
export function toRuleReading(r: Source): RuleReading {
  // assigned, not spread in: conditional spreads made this a thirtieth of a rules hub's time
  const out: RuleReading = {
    deviceId: r.deviceId,
    messageId: r.messageId,
    type: r.type,
    measuredAt: asDate(r.measuredAt),
    receivedAt: asDate(r.receivedAt),
    value: r.value,
    systolic: r.systolic,
    diastolic: r.diastolic,
    pulse: r.pulse,
    code: r.code,
  };
  const { supplementalOxygen, deviceStatus } = r.details;
  if (supplementalOxygen !== undefined) out.supplementalOxygen = supplementalOxygen;
  if (deviceStatus) out.deviceStatus = deviceStatus;
  return out;
}

/** A stored reading's columns as toRuleReading reads them. */
const RULE_COLUMNS = `device_id AS "deviceId", message_id AS "messageId", type,
  measured_at AS "measuredAt", received_at AS "receivedAt", value, systolic, diastolic, pulse,
  code, details`;

/** The patient's readings measured since `since`, oldest first, optionally of some types only. */
export async function loadRuleReadings(
  db: Queryable,
  patientId: string,
  since: Date,
  types?: readonly string[],
): Promise<RuleReading[]> {
  const { rows } = await db.query<Source>(
    `SELECT ${RULE_COLUMNS}
     FROM readings
     WHERE patient_id = $1 AND measured_at >= $2 AND ($3::text[] IS NULL OR type = ANY($3::text[]))
     ORDER BY measured_at`,
    [patientId, since.toISOString(), types ?? null],
  );
  return rows.map(toRuleReading);
}

/** One patient's window for loadRuleHistories: readings measured since, received by. */
export interface HistoryWindow {
  patientId: string;
  since: Date;
  receivedBy: Date;
}

/**
 * loadRuleReadings for several patients in one query (the patients of a commit the rules have
 * not met yet: a burst of them after a start was a query each). Oldest first per patient; a
 * patient with nothing stored gets an empty list.
 */
export async function loadRuleHistories(
  db: Queryable,
  windows: readonly HistoryWindow[],
): Promise<Map<string, RuleReading[]>> {
  const { rows } = await db.query<Source & { patientId: string }>(
    `SELECT r.patient_id AS "patientId", ${RULE_COLUMNS}
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
  const out = new Map<string, RuleReading[]>(windows.map((w) => [w.patientId, []]));
  for (const row of rows) out.get(row.patientId)!.push(toRuleReading(row));
  return out;
}

// A patient's stored readings as the rules read them: the store's records (server/store/
// history.ts) in the rules' own shape.
import {
  readingsInWindows,
  readingsSince,
  type HistoryWindow,
  type ReadingRecord,
} from '../store/history.js';
import type { Queryable } from '../store/db.js';
import type { RuleReading } from './types.js';

export type { HistoryWindow };

// A committed reading's Date is shared, not copied: thousands a second, each kept as long as the
// patient's history holds the reading.
const asDate = (d: Date | string) => (d instanceof Date ? d : new Date(d));

/** The rules' view of a reading: canonical values plus the flags rules care about. */
export function toRuleReading(r: ReadingRecord): RuleReading {
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

/** The patient's readings measured since `since`, oldest first, optionally of some types only. */
export async function loadRuleReadings(
  db: Queryable,
  patientId: string,
  since: Date,
  types?: readonly string[],
): Promise<RuleReading[]> {
  return (await readingsSince(db, patientId, since, types)).map(toRuleReading);
}

/**
 * loadRuleReadings for several patients in one query. Oldest first per patient; a patient with
 * nothing stored gets an empty list.
 */
export async function loadRuleHistories(
  db: Queryable,
  windows: readonly HistoryWindow[],
): Promise<Map<string, RuleReading[]>> {
  const out = new Map<string, RuleReading[]>(windows.map((w) => [w.patientId, []]));
  for (const row of await readingsInWindows(db, windows)) {
    out.get(row.patientId)!.push(toRuleReading(row));
  }
  return out;
}

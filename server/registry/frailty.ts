// A patient's frailty (Clinical Frailty Scale 1-9), dated and signed: every assessment is kept
// in frailty_assessments (migration 011) with the day it was assessed and who assessed it, and
// the newest by that day is the patient's current level (patients.frailty_level, which the alert
// list and the triage sort read). The staff API and the admin CLI both record through here.
import type { FrailtyAssessment } from '../../contract/patients.js';
import { DomainError } from '../errors.js';
import type { Queryable } from '../store/db.js';

export type { FrailtyAssessment };

export interface NewFrailty {
  patientId: string;
  /** CFS 1-9. */
  level: number;
  /** The day it was assessed, 'YYYY-MM-DD'; today in the patient's time zone when not given. */
  assessedAt?: string | undefined;
  /** Who assessed it; null only from the admin CLI without --by. */
  by: string | null;
  now: Date;
}

/** 'YYYY-MM-DD' of `d` where the patient lives (sv-SE writes dates that way). */
const dayIn = (d: Date, timeZone: string) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short' }).format(d);

/**
 * Records an assessment and makes the newest by assessment day the current level; returns the
 * current assessment. Run it in a transaction: the patient's row is locked first, so that two
 * assessments entered together leave the current level the newest of both. `not_found` (field
 * `patient`) without the patient; `invalid` (field `level` or `assessedAt`) for a level outside
 * 1-9 or a day after today where the patient lives.
 */
export async function recordFrailty(tx: Queryable, input: NewFrailty): Promise<FrailtyAssessment> {
  if (!Number.isInteger(input.level) || input.level < 1 || input.level > 9) {
    throw new DomainError('invalid', 'level: a Clinical Frailty Scale level, 1-9', 'level');
  }
  const { rows } = await tx.query<{ time_zone: string }>(
    'SELECT time_zone FROM patients WHERE id = $1 FOR UPDATE',
    [input.patientId],
  );
  const patient = rows[0];
  if (!patient) {
    throw new DomainError('not_found', `patient ${input.patientId} does not exist`, 'patient');
  }
  const today = dayIn(input.now, patient.time_zone);
  const day = input.assessedAt ?? today;
  // ISO days compare as strings
  if (day > today) {
    throw new DomainError('invalid', `assessedAt: ${day} is after today (${today})`, 'assessedAt');
  }
  await tx.query(
    `INSERT INTO frailty_assessments (patient_id, level, assessed_on, assessed_by, recorded_at)
     VALUES ($1, $2, $3::date, $4, $5)`,
    [input.patientId, input.level, day, input.by, input.now.toISOString()],
  );
  await tx.query(
    `UPDATE patients SET frailty_level = (
       SELECT level FROM frailty_assessments WHERE patient_id = $1
       ORDER BY assessed_on DESC, id DESC LIMIT 1)
     WHERE id = $1`,
    [input.patientId],
  );
  // the patient exists and now has an assessment
  return (await currentFrailty(tx, input.patientId))!;
}

/**
 * The assessment behind a patient's current level: the newest by assessment day (of one day,
 * the last entered). Null when none is recorded, also for a level set before assessments were
 * dated (migration 011).
 */
export async function currentFrailty(
  db: Queryable,
  patientId: string,
): Promise<FrailtyAssessment | null> {
  const { rows } = await db.query<{
    level: number;
    assessed_on: string;
    assessed_by: string | null;
    assessor_name: string | null;
    recorded_at: Date;
  }>(
    `SELECT f.level, f.assessed_on::text AS assessed_on, f.assessed_by,
       s.display_name AS assessor_name, f.recorded_at
     FROM frailty_assessments f LEFT JOIN staff s ON s.id = f.assessed_by
     WHERE f.patient_id = $1 ORDER BY f.assessed_on DESC, f.id DESC LIMIT 1`,
    [patientId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    level: r.level,
    assessedAt: r.assessed_on,
    assessedBy:
      r.assessed_by && r.assessor_name ? { id: r.assessed_by, displayName: r.assessor_name } : null,
    recordedAt: new Date(r.recorded_at).toISOString(),
  };
}

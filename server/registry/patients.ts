// A patient's registration: who they are, the care unit that follows them, their fixed care
// contact and frailty level (its dated history: frailty.ts). (Their plan is the plans' own; their
// readings, the store's.)
import type { Db, Queryable } from '../store/db.js';
import { newId } from '../store/ids.js';
import { mustExist } from './exists.js';
import { recordFrailty } from './frailty.js';

/** Registers a patient followed by a care unit; `not_found` (field `unit`) without the unit. */
export async function registerPatient(
  db: Db,
  input: { unitId: string; name: string },
): Promise<{ id: string }> {
  await mustExist(db, 'care unit', input.unitId, 'unit');
  const patientId = newId('pat');
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO patients (id, display_name) VALUES ($1, $2)', [
      patientId,
      input.name,
    ]);
    await tx.query('INSERT INTO care_relationships (patient_id, care_unit_id) VALUES ($1, $2)', [
      patientId,
      input.unitId,
    ]);
  });
  return { id: patientId };
}

export interface PatientCare {
  patientId: string;
  /** The staff member who is the patient's fixed care contact; unchanged when not given. */
  contactId?: string | undefined;
  /** Clinical Frailty Scale, 1-9, recorded as an assessment (frailty.ts); unchanged when not given. */
  frailty?: number | undefined;
  /** The day the frailty was assessed, 'YYYY-MM-DD'; today where the patient lives when not given. */
  assessedAt?: string | undefined;
  /** Who assessed the frailty; null when not known (the CLI without --by). */
  by?: string | null | undefined;
  now?: Date | undefined;
}

/**
 * Sets a patient's fixed care contact and records a frailty assessment (what is not given
 * stays); `not_found` (field `patient` or `contact`) when the patient or the staff member does
 * not exist. Run it in a transaction when it records frailty (recordFrailty locks the patient).
 */
export async function setPatientCare(db: Queryable, input: PatientCare): Promise<void> {
  await mustExist(db, 'patient', input.patientId, 'patient');
  if (input.contactId !== undefined) {
    await mustExist(db, 'staff member', input.contactId, 'contact');
    await db.query('UPDATE patients SET fixed_contact_id = $2 WHERE id = $1', [
      input.patientId,
      input.contactId,
    ]);
  }
  if (input.frailty !== undefined) {
    await recordFrailty(db, {
      patientId: input.patientId,
      level: input.frailty,
      assessedAt: input.assessedAt,
      by: input.by ?? null,
      now: input.now ?? new Date(),
    });
  }
}

/**
 * Rows `(id, registered_at)` of the patients named in the statement's `planned` CTE (which has a
 * `patient_id` column), as a subquery the plans' missed-measurement read embeds
 * (server/plans/store.ts `patientsExpectingMeasurements`: one statement, not three).
 */
export const PLANNED_REGISTRATIONS_SQL = `SELECT id, created_at AS registered_at FROM patients
       WHERE id IN (SELECT patient_id FROM planned)`;

/** A patient as the staff's lists show them: name, fixed contact and frailty. */
export interface PatientCard {
  id: string;
  displayName: string;
  frailty: number | null;
  fixedContact: { id: string; displayName: string } | null;
  /** IANA zone of the patient's days. */
  timeZone: string;
  /** When the patient was registered. */
  registeredAt: Date;
}

/** The cards of these patients, in name order; an unknown id is left out. */
export async function patientCards(db: Queryable, ids: readonly string[]): Promise<PatientCard[]> {
  if (!ids.length) return [];
  const { rows } = await db.query<{
    id: string;
    display_name: string;
    frailty_level: number | null;
    time_zone: string;
    created_at: Date;
    contact_id: string | null;
    contact_name: string | null;
  }>(
    `SELECT p.id, p.display_name, p.frailty_level, p.time_zone, p.created_at,
       s.id AS contact_id, s.display_name AS contact_name
     FROM patients p LEFT JOIN staff s ON s.id = p.fixed_contact_id
     WHERE p.id = ANY($1::text[]) ORDER BY p.display_name, p.id`,
    [ids],
  );
  return rows.map((p) => ({
    id: p.id,
    displayName: p.display_name,
    frailty: p.frailty_level,
    fixedContact:
      p.contact_id && p.contact_name ? { id: p.contact_id, displayName: p.contact_name } : null,
    timeZone: p.time_zone,
    registeredAt: new Date(p.created_at),
  }));
}

// A patient's registration: who they are, the care unit that follows them, their fixed care
// contact and frailty level. (Their plan is the plans' own; their readings, the store's.)
import type { Db, Queryable } from '../store/db.js';
import { newId } from '../store/ids.js';
import { mustExist } from './exists.js';

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
  /** Clinical Frailty Scale, 1-9; unchanged when not given. */
  frailty?: number | undefined;
}

/**
 * Sets a patient's fixed care contact and frailty level (what is not given stays); `not_found`
 * (field `patient` or `contact`) when the patient or the staff member does not exist.
 */
export async function setPatientCare(db: Queryable, input: PatientCare): Promise<void> {
  await mustExist(db, 'patient', input.patientId, 'patient');
  if (input.contactId !== undefined) {
    await mustExist(db, 'staff member', input.contactId, 'contact');
  }
  if (input.contactId === undefined && input.frailty === undefined) return;
  await db.query(
    `UPDATE patients SET fixed_contact_id = COALESCE($2, fixed_contact_id),
       frailty_level = COALESCE($3, frailty_level) WHERE id = $1`,
    [input.patientId, input.contactId ?? null, input.frailty ?? null],
  );
}

/** A patient's fixed care contact and frailty level as registered; null when no such patient. */
export async function patientRegistration(
  db: Queryable,
  patientId: string,
): Promise<{ fixedContact: string | null; frailty: number | null } | null> {
  const { rows } = await db.query<{ fixedContact: string | null; frailty: number | null }>(
    `SELECT fixed_contact_id AS "fixedContact", frailty_level AS frailty
     FROM patients WHERE id = $1`,
    [patientId],
  );
  return rows[0] ?? null;
}

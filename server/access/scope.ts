// Who may see which patient. A person sees a patient when one of their care units follows the
// patient (care_relationships) and their role there is clinical (nurse, physician). An admin
// of such a unit manages devices and reads the audit trail but reads no clinical data unless
// they also hold a clinical role in a unit that follows the patient. A patient no unit of
// the person follows does not exist for them (404, so that existence does not leak).
//
// One alert may be seen beyond that: when it escalates to the on-call level, its on-call units
// and the person on call are granted it (server/alerts/lifecycle.ts writes the grant, views.ts
// reads it). Such access is to that alert alone (its list entry, the alert with its history,
// acknowledge, snooze, resolve), never to the rest of the patient's record, and each read
// through it is audited `via: 'escalation'`.
import type { AuditVia } from '../../contract/patients.js';
import { isGranted, patientOfAlert } from '../alerts/views.js';
import { CLINICAL_ROLES, type Viewer } from '../auth/sessions.js';
import type { Queryable } from '../store/db.js';

export const clinicalUnitIds = (v: Viewer): string[] =>
  v.units.filter((u) => CLINICAL_ROLES.includes(u.role)).map((u) => u.id);

export const adminUnitIds = (v: Viewer): string[] =>
  v.units.filter((u) => u.role === 'admin').map((u) => u.id);

/** How a person stands to one patient: through which kind of unit they reach them. */
export interface PatientAccess {
  clinical: boolean;
  admin: boolean;
}

/** Null when no unit of the person follows the patient (or there is no such patient). */
export async function accessTo(
  db: Queryable,
  viewer: Viewer,
  patientId: string,
): Promise<PatientAccess | null> {
  const { rows } = await db.query<{ care_unit_id: string }>(
    'SELECT care_unit_id FROM care_relationships WHERE patient_id = $1 AND care_unit_id = ANY($2::text[])',
    [patientId, viewer.units.map((u) => u.id)],
  );
  if (!rows.length) return null;
  const following = new Set(rows.map((r) => r.care_unit_id));
  return {
    clinical: clinicalUnitIds(viewer).some((id) => following.has(id)),
    admin: adminUnitIds(viewer).some((id) => following.has(id)),
  };
}

/** Ids of the patients a clinical unit of the person follows. */
export async function visiblePatientIds(db: Queryable, viewer: Viewer): Promise<string[]> {
  const units = clinicalUnitIds(viewer);
  if (!units.length) return [];
  const { rows } = await db.query<{ patient_id: string }>(
    'SELECT DISTINCT patient_id FROM care_relationships WHERE care_unit_id = ANY($1::text[])',
    [units],
  );
  return rows.map((r) => r.patient_id);
}

/** The care units that follow a patient (a health centre and a home-care team may both). */
export async function unitsFollowing(
  db: Queryable,
  patientIds: string[],
): Promise<Map<string, { id: string; name: string }[]>> {
  const { rows } = await db.query<{ patient_id: string; id: string; name: string }>(
    `SELECT cr.patient_id, cu.id, cu.name FROM care_relationships cr
     JOIN care_units cu ON cu.id = cr.care_unit_id
     WHERE cr.patient_id = ANY($1::text[]) ORDER BY cu.name, cu.id`,
    [patientIds],
    { prepare: 'scope_units_of_patients' },
  );
  const out = new Map<string, { id: string; name: string }[]>();
  for (const r of rows) {
    const list = out.get(r.patient_id) ?? [];
    list.push({ id: r.id, name: r.name });
    out.set(r.patient_id, list);
  }
  return out;
}

/** The person's role in a care unit, or null when they do not work there. */
export const roleIn = (v: Viewer, unitId: string): Viewer['units'][number]['role'] | null =>
  v.units.find((u) => u.id === unitId)?.role ?? null;

/** How the person may act on one alert clinically: through whom they reach it, or why not. */
export type AlertAccess =
  | { patientId: string; via: AuditVia }
  /** Their unit follows the patient, but their role there is not clinical (and no grant). */
  | { patientId: string; via: null }
  | null;

/**
 * Through which the person sees an alert: their care unit following the patient ('care', first),
 * or the alert's escalation grant ('escalation'); null when neither (or there is no such alert).
 */
export async function alertAccessOf(
  db: Queryable,
  viewer: Viewer,
  alertId: string,
  now: Date,
): Promise<AlertAccess> {
  const patientId = await patientOfAlert(db, alertId);
  if (!patientId) return null;
  const care = await accessTo(db, viewer, patientId);
  if (care?.clinical) return { patientId, via: 'care' };
  const grantee = { id: viewer.id, clinicalUnitIds: clinicalUnitIds(viewer) };
  if (await isGranted(db, grantee, now, alertId)) return { patientId, via: 'escalation' };
  return care ? { patientId, via: null } : null;
}

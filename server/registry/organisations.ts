// Organisations (a region, a municipality) and their care units (a health centre, a home-care
// team), with the unit that covers each one at nights and weekends.
import type { Queryable } from '../store/db.js';
import { newId } from '../store/ids.js';
import { mustExist } from './exists.js';

export type OrganisationKind = 'region' | 'municipality';

export async function addOrganisation(
  db: Queryable,
  input: { name: string; kind: OrganisationKind },
): Promise<{ id: string }> {
  const orgId = newId('org');
  await db.query('INSERT INTO organisations (id, name, kind) VALUES ($1, $2, $3)', [
    orgId,
    input.name,
    input.kind,
  ]);
  return { id: orgId };
}

/** Adds a care unit to an organisation; `not_found` (field `org`) when there is no such one. */
export async function addUnit(
  db: Queryable,
  input: { organisationId: string; name: string },
): Promise<{ id: string }> {
  await mustExist(db, 'organisation', input.organisationId, 'org');
  const unitId = newId('unit');
  await db.query('INSERT INTO care_units (id, organisation_id, name) VALUES ($1, $2, $3)', [
    unitId,
    input.organisationId,
    input.name,
  ]);
  return { id: unitId };
}

/**
 * Sets who covers a care unit at nights and weekends (the last escalation step); `not_found`
 * (field `unit` or `onCall`) when either unit does not exist.
 */
export async function setUnitOnCall(
  db: Queryable,
  input: { unitId: string; onCallUnitId: string },
): Promise<{ id: string; onCall: string }> {
  await mustExist(db, 'care unit', input.unitId, 'unit');
  await mustExist(db, 'care unit', input.onCallUnitId, 'onCall');
  await db.query('UPDATE care_units SET on_call_unit_id = $2 WHERE id = $1', [
    input.unitId,
    input.onCallUnitId,
  ]);
  return { id: input.unitId, onCall: input.onCallUnitId };
}

/** The names of these care units, by id (an unknown id is left out). */
export async function unitNames(
  db: Queryable,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const { rows } = await db.query<{ id: string; name: string }>(
    'SELECT id, name FROM care_units WHERE id = ANY($1::text[])',
    [ids],
  );
  return new Map(rows.map((u) => [u.id, u.name]));
}

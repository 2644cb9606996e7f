// Refusals for a thing the input names that the registry does not know.
import { DomainError } from '../errors.js';
import type { Queryable } from '../store/db.js';

const tables = {
  organisation: 'organisations',
  'care unit': 'care_units',
  patient: 'patients',
  'staff member': 'staff',
} as const;
export type Known = keyof typeof tables;

/** Throws `not_found` naming `field` unless the registry holds `what` with this id. */
export async function mustExist(
  db: Queryable,
  what: Known,
  id: string,
  field: string,
): Promise<void> {
  const { rows } = await db.query(`SELECT 1 FROM ${tables[what]} WHERE id = $1`, [id]);
  if (!rows.length) throw new DomainError('not_found', `${what} ${id} does not exist`, field);
}

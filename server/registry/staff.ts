// Staff: an account (a username, a generated password shown once) with a role in a care unit.
import { endAllSessionsOf, type StaffRole } from '../auth/sessions.js';
import { forgetFailuresOf } from '../auth/signIn.js';
import { generateSecret, hashSecret } from '../auth/secrets.js';
import { DomainError } from '../errors.js';
import type { Db, Queryable } from '../store/db.js';
import { newId } from '../store/ids.js';
import { mustExist } from './exists.js';

export interface NewStaff {
  unitId: string;
  username: string;
  role: StaffRole;
  /** The name people see; the username when not given. */
  displayName?: string | undefined;
  /** Where notifications reach them (server/notify/); none when not given. */
  email?: string | undefined;
}

/**
 * Adds a staff member with a role in a care unit and a generated password, returned only this
 * once. `not_found` (field `unit`) without the unit, `conflict` (field `username`) when the
 * username is taken.
 */
export async function addStaff(db: Db, input: NewStaff): Promise<{ id: string; password: string }> {
  await mustExist(db, 'care unit', input.unitId, 'unit');
  const { rows } = await db.query('SELECT 1 FROM staff WHERE username = $1', [input.username]);
  if (rows.length)
    throw new DomainError('conflict', `username ${input.username} is taken`, 'username');
  const staffId = newId('staff');
  const password = generateSecret(18);
  const hash = await hashSecret(password);
  await db.transaction(async (tx) => {
    await tx.query(
      'INSERT INTO staff (id, username, display_name, password_hash, email) VALUES ($1, $2, $3, $4, $5)',
      [staffId, input.username, input.displayName ?? input.username, hash, input.email ?? null],
    );
    await tx.query('INSERT INTO staff_units (staff_id, care_unit_id, role) VALUES ($1, $2, $3)', [
      staffId,
      input.unitId,
      input.role,
    ]);
  });
  return { id: staffId, password };
}

/**
 * Gives a staff member a new generated password, returned only this once; their sessions end
 * and their failed sign-ins are forgotten. `not_found` (field `username`) without the person.
 */
export async function setStaffPassword(
  db: Db,
  username: string,
): Promise<{ id: string; username: string; password: string }> {
  const password = generateSecret(18);
  const hash = await hashSecret(password);
  const id = await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      'UPDATE staff SET password_hash = $2 WHERE username = $1 RETURNING id',
      [username, hash],
    );
    if (!rows[0]) {
      throw new DomainError('not_found', `no staff member ${username}`, 'username');
    }
    // whoever held the old password holds no session either; failures start over
    await endAllSessionsOf(tx, rows[0].id);
    await forgetFailuresOf(tx, username);
    return rows[0].id;
  });
  return { id, username, password };
}

/** The names people see of these staff members, by id (an unknown id is left out). */
export async function staffNames(
  db: Queryable,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const { rows } = await db.query<{ id: string; display_name: string }>(
    'SELECT id, display_name FROM staff WHERE id = ANY($1::text[])',
    [ids],
  );
  return new Map(rows.map((s) => [s.id, s.display_name]));
}

/**
 * Sets (or with null clears) where notifications reach a staff member; `not_found` (field
 * `username`) without the person.
 */
export async function setStaffEmail(
  db: Queryable,
  username: string,
  email: string | null,
): Promise<{ id: string; username: string; email: string | null }> {
  const { rows } = await db.query<{ id: string }>(
    'UPDATE staff SET email = $2 WHERE username = $1 RETURNING id',
    [username, email],
  );
  if (!rows[0]) throw new DomainError('not_found', `no staff member ${username}`, 'username');
  return { id: rows[0].id, username, email };
}

/** A staff member as notifications address them. */
export interface StaffContact {
  id: string;
  displayName: string;
  /** Null: they have no address, and are told nothing by email. */
  email: string | null;
}

/** These staff members' contacts (an unknown or disabled one is left out). */
export async function staffContacts(
  db: Queryable,
  ids: readonly string[],
): Promise<StaffContact[]> {
  if (!ids.length) return [];
  const { rows } = await db.query<{ id: string; display_name: string; email: string | null }>(
    `SELECT id, display_name, email FROM staff
     WHERE id = ANY($1::text[]) AND disabled_at IS NULL ORDER BY display_name, id`,
    [ids],
  );
  return rows.map((r) => ({ id: r.id, displayName: r.display_name, email: r.email }));
}

/** The ids of a care unit's admins (who keep its on-call roster). */
export async function unitAdminIds(db: Queryable, unitId: string): Promise<string[]> {
  const { rows } = await db.query<{ staff_id: string }>(
    `SELECT su.staff_id FROM staff_units su JOIN staff s ON s.id = su.staff_id
     WHERE su.care_unit_id = $1 AND su.role = 'admin' AND s.disabled_at IS NULL
     ORDER BY su.staff_id`,
    [unitId],
  );
  return rows.map((r) => r.staff_id);
}

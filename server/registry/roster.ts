// The on-call roster: who in a care unit is on call from when to when. An alert that nobody
// acknowledged escalates at last to the on-call unit (server/alerts/lifecycle.ts); the roster
// names the person there. A unit that names no on-call unit (care_units.on_call_unit_id) is its
// own. The rules for a new shift are pure (`shiftRefusal`); the edges read and write the table.
import { MAX_ROSTER_WINDOW_DAYS, type OnCallShift } from '../../contract/oncall.js';
import type { StaffRole } from '../../contract/session.js';
import { DomainError } from '../errors.js';
import type { Db, Queryable } from '../store/db.js';
import { newId } from '../store/ids.js';
import { mustExist } from './exists.js';

export type { OnCallShift };

/** A week: a longer shift is more likely a mistyped date than a plan. */
export const MAX_SHIFT_HOURS = 7 * 24;
const CLINICAL: readonly StaffRole[] = ['nurse', 'physician'];

interface Span {
  startsAt: Date;
  endsAt: Date;
}
/** Shifts are [start, end): one ending at 07:00 and the next starting then do not overlap. */
export const overlaps = (a: Span, b: Span): boolean =>
  a.startsAt < b.endsAt && b.startsAt < a.endsAt;

/**
 * Why a new shift may not be added, or null: it must end after it starts and last at most a
 * week, the person must hold a clinical role in the unit (whoever is on call acts on clinical
 * alerts), and it may not overlap another shift of the unit (one person is on call at a time,
 * so that an escalation names exactly one). Pure.
 */
export function shiftRefusal(
  shift: Span,
  o: {
    /** The person's role in the unit, or null when they do not work there. */
    role: StaffRole | null;
    /** The unit's shifts that overlap this one's span (others are ignored). */
    others: readonly (Span & { id: string })[];
  },
): DomainError | null {
  const { startsAt, endsAt } = shift;
  if (Number.isNaN(startsAt.getTime())) {
    return new DomainError('invalid', 'a shift needs a valid start time', 'startsAt');
  }
  if (Number.isNaN(endsAt.getTime())) {
    return new DomainError('invalid', 'a shift needs a valid end time', 'endsAt');
  }
  if (endsAt <= startsAt) {
    return new DomainError('invalid', 'a shift ends after it starts', 'endsAt');
  }
  if (endsAt.getTime() - startsAt.getTime() > MAX_SHIFT_HOURS * 3_600_000) {
    return new DomainError(
      'invalid',
      `a shift lasts at most ${MAX_SHIFT_HOURS} hours (a week)`,
      'endsAt',
    );
  }
  if (o.role === null) {
    return new DomainError('invalid', 'the staff member does not work in this unit', 'staffId');
  }
  if (!CLINICAL.includes(o.role)) {
    return new DomainError(
      'invalid',
      `the staff member is ${o.role} in this unit: whoever is on call needs a nurse or physician role`,
      'staffId',
    );
  }
  const clash = o.others.find((other) => overlaps(shift, other));
  if (clash) {
    return new DomainError(
      'conflict',
      `overlaps shift ${clash.id} (${clash.startsAt.toISOString()} to ${clash.endsAt.toISOString()}); one person is on call at a time`,
      'startsAt',
    );
  }
  return null;
}

interface ShiftRow {
  id: string;
  care_unit_id: string;
  staff_id: string;
  staff_name: string;
  starts_at: Date;
  ends_at: Date;
  created_by: string | null;
  creator_name: string | null;
  created_at: Date;
}
const SHIFT_COLUMNS = `s.id, s.care_unit_id, s.staff_id, st.display_name AS staff_name,
  s.starts_at, s.ends_at, s.created_by, cb.display_name AS creator_name, s.created_at
  FROM on_call_shifts s JOIN staff st ON st.id = s.staff_id
  LEFT JOIN staff cb ON cb.id = s.created_by`;
const iso = (d: Date) => new Date(d).toISOString();
const toShift = (r: ShiftRow): OnCallShift => ({
  id: r.id,
  unitId: r.care_unit_id,
  staff: { id: r.staff_id, displayName: r.staff_name },
  startsAt: iso(r.starts_at),
  endsAt: iso(r.ends_at),
  createdBy:
    r.created_by && r.creator_name ? { id: r.created_by, displayName: r.creator_name } : null,
  createdAt: iso(r.created_at),
});

export interface NewShift extends Span {
  unitId: string;
  staffId: string;
  /** Who sets it (the API's signed-in admin); null through the admin CLI. */
  createdBy: string | null;
}

/**
 * Adds a shift to a unit's roster, refused as `shiftRefusal` says. The unit's row is locked for
 * the check and the insert, so two admins adding overlapping shifts at once cannot both succeed.
 * `not_found` (field `unit` or `staffId`) when either does not exist.
 */
export async function addShift(db: Db, input: NewShift): Promise<OnCallShift> {
  return db.transaction(async (tx) => {
    const unit = await tx.query('SELECT id FROM care_units WHERE id = $1 FOR UPDATE', [
      input.unitId,
    ]);
    if (!unit.rows.length) {
      throw new DomainError('not_found', `care unit ${input.unitId} does not exist`, 'unit');
    }
    await mustExist(tx, 'staff member', input.staffId, 'staffId');
    const role = await tx.query<{ role: StaffRole }>(
      'SELECT role FROM staff_units WHERE staff_id = $1 AND care_unit_id = $2',
      [input.staffId, input.unitId],
    );
    const valid = !Number.isNaN(input.startsAt.getTime()) && !Number.isNaN(input.endsAt.getTime());
    const others = valid
      ? await tx.query<{ id: string; starts_at: Date; ends_at: Date }>(
          `SELECT id, starts_at, ends_at FROM on_call_shifts
           WHERE care_unit_id = $1 AND starts_at < $3 AND ends_at > $2 ORDER BY starts_at`,
          [input.unitId, input.startsAt.toISOString(), input.endsAt.toISOString()],
        )
      : { rows: [] };
    const refusal = shiftRefusal(input, {
      role: role.rows[0]?.role ?? null,
      others: others.rows.map((r) => ({
        id: r.id,
        startsAt: new Date(r.starts_at),
        endsAt: new Date(r.ends_at),
      })),
    });
    if (refusal) throw refusal;
    const id = newId('shift');
    await tx.query(
      `INSERT INTO on_call_shifts (id, care_unit_id, staff_id, starts_at, ends_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        id,
        input.unitId,
        input.staffId,
        input.startsAt.toISOString(),
        input.endsAt.toISOString(),
        input.createdBy,
      ],
    );
    const { rows } = await tx.query<ShiftRow>(`SELECT ${SHIFT_COLUMNS} WHERE s.id = $1`, [id]);
    return toShift(rows[0]!);
  });
}

/** Removes a shift of the unit; `not_found` (field `shift`) when the unit has no such shift. */
export async function removeShift(
  db: Queryable,
  unitId: string,
  shiftId: string,
): Promise<{ id: string }> {
  const { rows } = await db.query(
    'DELETE FROM on_call_shifts WHERE id = $1 AND care_unit_id = $2 RETURNING id',
    [shiftId, unitId],
  );
  if (!rows.length) {
    throw new DomainError('not_found', `care unit ${unitId} has no shift ${shiftId}`, 'shift');
  }
  return { id: shiftId };
}

const DAY = 86_400_000;

/**
 * The window a roster listing covers: `from` and `to` as given, by default from a day before
 * `now` (the shift running now) to 14 days ahead; `invalid` (field `to`) beyond 93 days.
 */
export function rosterWindow(now: Date, from?: string, to?: string): { from: Date; to: Date } {
  const start = from ? new Date(from) : new Date(now.getTime() - DAY);
  const end = to ? new Date(to) : new Date(start.getTime() + 15 * DAY);
  if (end <= start) throw new DomainError('invalid', 'from must be before to', 'from');
  if (end.getTime() - start.getTime() > MAX_ROSTER_WINDOW_DAYS * DAY) {
    throw new DomainError(
      'invalid',
      `a listing covers at most ${MAX_ROSTER_WINDOW_DAYS} days`,
      'to',
    );
  }
  return { from: start, to: end };
}

/** The unit's shifts that overlap [from, to), in time order. */
export async function shiftsOf(
  db: Queryable,
  unitId: string,
  from: Date,
  to: Date,
): Promise<OnCallShift[]> {
  const { rows } = await db.query<ShiftRow>(
    `SELECT ${SHIFT_COLUMNS}
     WHERE s.care_unit_id = $1 AND s.starts_at < $3 AND s.ends_at > $2
     ORDER BY s.starts_at, s.id`,
    [unitId, from.toISOString(), to.toISOString()],
  );
  return rows.map(toShift);
}

/** The unit's shift running at `at`, or null: nobody is on call then. */
export async function onCallAt(
  db: Queryable,
  unitId: string,
  at: Date,
): Promise<OnCallShift | null> {
  const { rows } = await db.query<ShiftRow>(
    `SELECT ${SHIFT_COLUMNS}
     WHERE s.care_unit_id = $1 AND s.starts_at <= $2 AND s.ends_at > $2`,
    [unitId, at.toISOString()],
  );
  return rows[0] ? toShift(rows[0]) : null;
}

/** An on-call unit of a patient and the person on call there at an instant (null: nobody). */
export interface OnCallCover {
  unitId: string;
  staffId: string | null;
}

/**
 * Where an alert of the patient goes at the on-call level at `at`: for each care unit following
 * the patient, its on-call unit (itself when it names none), once each, with the person on call
 * there then. In `db`'s transaction (the escalation's).
 */
export async function onCallCoverOf(
  db: Queryable,
  patientId: string,
  at: Date,
): Promise<OnCallCover[]> {
  const { rows } = await db.query<{ unit_id: string; staff_id: string | null }>(
    `SELECT u.unit_id, s.staff_id FROM (
       SELECT DISTINCT COALESCE(cu.on_call_unit_id, cu.id) AS unit_id
       FROM care_relationships cr JOIN care_units cu ON cu.id = cr.care_unit_id
       WHERE cr.patient_id = $1
     ) u
     LEFT JOIN on_call_shifts s ON s.care_unit_id = u.unit_id AND s.starts_at <= $2
       AND s.ends_at > $2
     ORDER BY u.unit_id`,
    [patientId, at.toISOString()],
  );
  return rows.map((r) => ({ unitId: r.unit_id, staffId: r.staff_id }));
}

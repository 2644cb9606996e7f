// The on-call roster as the staff API shows and changes it: who in a care unit is on call from
// when to when (docs/api.md, "On call").
import { z } from 'zod';
import { personSchema } from './common.js';

const iso = z.iso.datetime({ offset: true });

/** One shift: [startsAt, endsAt), times in UTC. */
export const onCallShiftSchema = z.object({
  id: z.string(),
  unitId: z.string(),
  staff: personSchema,
  startsAt: z.string(),
  endsAt: z.string(),
  /** Who set it; null when it was set through the admin CLI. */
  createdBy: personSchema.nullable(),
  createdAt: z.string(),
});
export type OnCallShift = z.infer<typeof onCallShiftSchema>;

/** A new shift of the unit in the path; the person must hold a clinical role in that unit. */
export const addShiftSchema = z.object({
  staffId: z.string().trim().min(1).max(100),
  startsAt: iso,
  endsAt: iso,
});
export type AddShift = z.infer<typeof addShiftSchema>;

/** The longest window one listing covers, in days. */
export const MAX_ROSTER_WINDOW_DAYS = 93;

/** Which shifts: those overlapping [from, to) (default: from a day ago to 14 days ahead). */
export const shiftsQuerySchema = z
  .object({ from: iso.optional(), to: iso.optional() })
  .refine((q) => !q.from || !q.to || new Date(q.from) < new Date(q.to), {
    message: 'from must be before to',
    path: ['from'],
  });
export type ShiftsQuery = z.infer<typeof shiftsQuerySchema>;

/** Who is on call at `at` (default: now). */
export const onCallNowQuerySchema = z.object({ at: iso.optional() });
export const onCallNowSchema = z.object({
  unitId: z.string(),
  at: z.string(),
  /** The shift running at `at`, or null: nobody is on call then. */
  shift: onCallShiftSchema.nullable(),
});
export type OnCallNow = z.infer<typeof onCallNowSchema>;

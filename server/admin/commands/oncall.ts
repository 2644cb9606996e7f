// The admin commands for the on-call roster: who in a care unit is on call from when to when
// (server/registry/roster.ts), listed, added, removed, and who is on call at an instant.
import { z } from 'zod';
import {
  addShift,
  mustExist,
  onCallAt,
  removeShift,
  rosterWindow,
  shiftsOf,
  type OnCallShift,
} from '../../registry/index.js';
import { define, id } from './define.js';

/** A time with its offset, e.g. 2025-11-24T16:00:00+01:00 or 2025-11-24T15:00:00Z. */
const time = z.iso.datetime({ offset: true });
const line = (s: OnCallShift) =>
  `${s.id}  ${s.startsAt} - ${s.endsAt}  ${s.staff.displayName} (${s.staff.id})`;

export const onCallCommands = {
  'oncall add': define({
    summary:
      'put a staff member (a nurse or physician of the unit) on call in a care unit from one time to another',
    args: z.object({ unit: id, staff: id, from: time, to: time }),
    run: ({ db }, a) =>
      addShift(db, {
        unitId: a.unit,
        staffId: a.staff,
        startsAt: new Date(a.from),
        endsAt: new Date(a.to),
        createdBy: null,
      }),
    describe: (s) => `on call ${line(s)}`,
  }),

  'oncall list': define({
    summary: "a care unit's on-call shifts (default: from a day ago to 14 days ahead)",
    args: z.object({ unit: id, from: time.optional(), to: time.optional() }),
    run: async ({ db }, a) => {
      await mustExist(db, 'care unit', a.unit, 'unit');
      const w = rosterWindow(new Date(), a.from, a.to);
      return shiftsOf(db, a.unit, w.from, w.to);
    },
    describe: (list) => (list.length ? list.map(line).join('\n') : 'no shifts'),
  }),

  'oncall now': define({
    summary: 'who is on call in a care unit now (or --at a time)',
    args: z.object({ unit: id, at: time.optional() }),
    run: async ({ db }, a) => {
      await mustExist(db, 'care unit', a.unit, 'unit');
      return onCallAt(db, a.unit, a.at ? new Date(a.at) : new Date());
    },
    describe: (s) => (s ? `on call ${line(s)}` : 'nobody is on call'),
  }),

  'oncall remove': define({
    summary: "remove a shift from a care unit's roster",
    positional: ['shift'],
    args: z.object({ shift: id, unit: id }),
    run: ({ db }, a) => removeShift(db, a.unit, a.shift),
    describe: (r) => `shift ${r.id} removed`,
  }),
};

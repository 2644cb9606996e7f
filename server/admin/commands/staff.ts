// The admin commands for staff: adding a member to a care unit and giving one a new password,
// each password generated and shown only once.
import { z } from 'zod';
import { addStaff, setStaffEmail, setStaffPassword } from '../../registry/index.js';
import { define, id, name } from './define.js';

const staffRole = z.enum(['nurse', 'physician', 'admin']);
const username = z.string().trim().min(1).max(100);
/** Where notifications reach the person (an escalated alert while on call). */
const email = z.email().max(254);

export const staffCommands = {
  'staff add': define({
    summary: 'add a staff member to a care unit; prints a generated password once',
    args: z.object({
      unit: id,
      username: z
        .string()
        .trim()
        .regex(/^[a-z0-9._-]{2,40}$/, 'lower-case letters, digits, . _ -'),
      role: staffRole,
      name: name.optional(),
      email: email.optional(),
    }),
    run: ({ db }, a) =>
      addStaff(db, {
        unitId: a.unit,
        username: a.username,
        role: a.role,
        displayName: a.name,
        email: a.email,
      }),
    describe: (r) => `staff ${r.id}\npassword ${r.password}\n(shown only this once)`,
  }),

  'staff password': define({
    summary: 'give a staff member a new generated password (shown once); their sessions end',
    positional: ['username'],
    args: z.object({ username }),
    run: ({ db }, a) => setStaffPassword(db, a.username),
    describe: (r) =>
      `staff ${r.id} (${r.username})\npassword ${r.password}\n(shown only this once)`,
  }),

  'staff email': define({
    summary:
      "set where notifications reach a staff member (an alert escalated to them on call); 'none' removes it",
    positional: ['username'],
    args: z.object({ username, email: z.union([email, z.literal('none')]) }),
    run: ({ db }, a) => setStaffEmail(db, a.username, a.email === 'none' ? null : a.email),
    describe: (r) => `staff ${r.id} (${r.username}): email ${r.email ?? 'none'}`,
  }),
};

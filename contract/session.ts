// Signing in and the signed-in person (`Me` in docs/api.md).
import { z } from 'zod';

export const staffRoleSchema = z.enum(['nurse', 'physician', 'admin']);
export type StaffRole = z.infer<typeof staffRoleSchema>;

export const signInSchema = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(1000),
});
export type SignIn = z.infer<typeof signInSchema>;

export const meSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  /** Every care unit the person works in, with their role there. */
  units: z.array(z.object({ id: z.string(), name: z.string(), role: staffRoleSchema })),
});
export type Me = z.infer<typeof meSchema>;

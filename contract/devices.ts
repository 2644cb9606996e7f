// A patient's devices as the staff API lists, adds and revokes them.
import { z } from 'zod';

export const deviceSchema = z.object({
  id: z.string(),
  label: z.string().nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type Device = z.infer<typeof deviceSchema>;

export const addDeviceSchema = z.object({ label: z.string().trim().min(1).max(100).optional() });
/** The secret is shown this once; the hub keeps only its hash. */
export const addedDeviceSchema = z.object({ deviceId: z.string(), secret: z.string() });
export const revokedDeviceSchema = z.object({ id: z.string(), revokedAt: z.string() });

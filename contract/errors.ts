// What every refusal looks like on the wire: { error: { code, message, field? } } (docs/api.md).
// The codes are the domain's (server/errors.ts throws them); the staff API maps each to a status.
import { z } from 'zod';

/** Every code a refusal can carry. */
export const domainErrorCodes = [
  'invalid', // the input is wrong (`field` names it)
  'unauthenticated', // nobody signed in, or a wrong name or password
  'forbidden', // signed in, but the person's role does not allow it
  'not_found', // no such thing (or none the person may know of)
  'conflict', // the present state does not allow it (already resolved, name taken)
  'too_many', // too many attempts; try again after `retryAfterS`
] as const;
export type DomainErrorCode = (typeof domainErrorCodes)[number];

/** The one error shape: a refusal's code, or `internal` for a failure of the hub (500). */
export const errorSchema = z.object({
  error: z.object({
    code: z.enum([...domainErrorCodes, 'internal']),
    message: z.string(),
    /** The input at fault, as a path into the body or query (`plan.weight.gain3dKg`). */
    field: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorSchema>;

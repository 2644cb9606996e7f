// Small shapes several parts of the contract share.
import { z } from 'zod';

/** A text in both of the dashboard's languages. */
export const localizedSchema = z.object({ sv: z.string(), en: z.string() });
export type Localized = z.infer<typeof localizedSchema>;

/** A member of staff as others see them. */
export const personSchema = z.object({ id: z.string(), displayName: z.string() });
export type Person = z.infer<typeof personSchema>;

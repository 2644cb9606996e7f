import { z } from 'zod';

/** An IANA time zone this runtime knows, such as Europe/Stockholm: where a patient's day is. */
export const timeZoneSchema = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/Stockholm');

// A reading's values as they cross the wire (a patient's `latest`, a `readings` push) and a
// patient's readings of one type as a chart series (docs/api.md), in canonical units.
import { z } from 'zod';
import { readingTypes } from '../devices/contract.js';
import { localizedSchema } from './common.js';

export const readingTypeSchema = z.enum(readingTypes);

/** What a reading measured, in canonical units. */
export const measuredValuesSchema = z.object({
  /** The canonical value; for blood pressure the systolic pressure is in `systolic`. */
  value: z.number().nullable(),
  systolic: z.number().nullable(),
  diastolic: z.number().nullable(),
  pulse: z.number().nullable(),
  /** ACVPU letter of a consciousness reading. */
  code: z.string().nullable(),
  unit: z.string().nullable(),
});
export type MeasuredValues = z.infer<typeof measuredValuesSchema>;

/** The values and when they were measured (ISO 8601). */
export const readingValuesSchema = measuredValuesSchema.extend({ measuredAt: z.string() });
export type ReadingValues = z.infer<typeof readingValuesSchema>;

const iso = z.iso.datetime({ offset: true });
/** Which readings: one type, between `from` and `to` (default: the 14 days before now). */
export const seriesQuerySchema = z
  .object({ type: readingTypeSchema, from: iso.optional(), to: iso.optional() })
  .refine((q) => !q.from || !q.to || new Date(q.from) < new Date(q.to), {
    message: 'from must be before to',
    path: ['from'],
  });
export type SeriesQuery = z.infer<typeof seriesQuerySchema>;

/** One reading, or the mean, least and greatest of a bucket's `n` readings. */
export const seriesPointSchema = z.object({
  t: z.string(),
  value: z.number().nullable(),
  systolic: z.number().nullable(),
  diastolic: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  n: z.number().int(),
});
export type SeriesPoint = z.infer<typeof seriesPointSchema>;

/** The weight chart's baseline and the limits the weight rules use (server/rules/reference.ts). */
export const seriesReferenceSchema = z.object({
  baseline: z
    .object({ mean: z.number(), sd: z.number(), from: z.string(), to: z.string() })
    .nullable(),
  lines: z.array(z.object({ label: localizedSchema, value: z.number() })),
});
export type SeriesReference = z.infer<typeof seriesReferenceSchema>;

export const seriesSchema = z.object({
  type: readingTypeSchema,
  /** null: every reading (up to 14 days); hourly up to 90 days; daily beyond. */
  bucket: z.enum(['hour', 'day']).nullable(),
  points: z.array(seriesPointSchema),
  reference: seriesReferenceSchema.nullable(),
});
export type Series = z.infer<typeof seriesSchema>;

// The rows of a cohort's files (docs/simulation.md "Evaluating any cohort"), each checked with
// zod: the reading types and units of the device contract, the plan as the plan API takes it.
// A row's cells arrive as text, named by the file's header; what applies to a row depends on its
// type, and a cell that does not apply must be empty, so a shifted column is refused, not read.
import { z } from 'zod';
import { readingTypes } from '../../devices/contract.js';
import { timeZoneSchema } from '../../devices/timeZone.js';
import { checkPlan, isInvalidPlan, type PatientPlan } from '../../server/plans/plan.js';

/** Each file's columns: those every file has, then those it may add (written by the export). */
export const COLUMNS = {
  'readings.csv': {
    required: ['patient', 'measured_at', 'type', 'value', 'systolic', 'diastolic', 'unit'],
    // a cuff's pulse (the rules read it, personal.ts): without it the simulated cohort's round
    // trip would lose the blood-pressure pulses
    optional: ['pulse'],
  },
  'episodes.csv': {
    required: ['patient', 'kind', 'start', 'peak'],
    // recovered: the report counts alerts up to the end as true (score.ts); empty, the peak
    optional: ['end'],
  },
  'patients.csv': { required: ['patient', 'time_zone', 'plan'], optional: [] },
} as const satisfies Record<string, { required: readonly string[]; optional: readonly string[] }>;
export type CohortFileName = keyof typeof COLUMNS;

const patient = z
  .string()
  .min(1, 'must name the patient')
  .max(64, 'must be at most 64 characters')
  .refine((v) => !v.includes('\u0000') && v.isWellFormed(), 'must be plain text');

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A number, or nothing for an empty cell. */
const number = z.string().transform((s, ctx) => {
  if (s === '') return undefined;
  if (!NUMBER.test(s)) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(s.slice(0, 40))} is not a number` });
    return z.NEVER;
  }
  return Number(s);
});

const TIME_MESSAGE = 'must be an RFC 3339 time with an offset, e.g. 2026-01-05T07:12:00+01:00';
const time = z.iso.datetime({ offset: true, error: TIME_MESSAGE });

/** The contract's reading types that carry numbers (a consciousness code has no column here). */
const csvReadingTypes = z.enum(readingTypes).exclude(['consciousness'], {
  error: (issue) =>
    `unknown type ${JSON.stringify(String(issue.input).slice(0, 40))}; expected one of ${readingTypes.filter((t) => t !== 'consciousness').join(', ')}`,
});

export const readingRowSchema = z
  .object({
    patient,
    measured_at: time,
    type: csvReadingTypes,
    value: number,
    systolic: number,
    diastolic: number,
    pulse: number.optional(),
    unit: z.string().min(1, 'must name the unit (UCUM, as the device contract has it)'),
  })
  .superRefine((r, ctx) => {
    const bp = r.type === 'blood_pressure';
    const needed = bp ? (['systolic', 'diastolic'] as const) : (['value'] as const);
    const empty = bp ? (['value'] as const) : (['systolic', 'diastolic', 'pulse'] as const);
    for (const k of needed) {
      if (r[k] === undefined) {
        ctx.addIssue({ code: 'custom', path: [k], message: `is required for ${r.type}` });
      }
    }
    for (const k of empty) {
      if (r[k] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [k], message: `must be empty for ${r.type}` });
      }
    }
  });
export type ReadingRow = z.output<typeof readingRowSchema>;

/** A date (the local midnight that starts it, in the patient's zone) or an instant. */
const when = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'must be a date (YYYY-MM-DD) or an RFC 3339 time with an offset',
});

export const episodeRowSchema = z.object({
  patient,
  kind: z.enum(['decompensation', 'other'], {
    error: (issue) =>
      `unknown kind ${JSON.stringify(String(issue.input).slice(0, 40))}; expected decompensation or other (a deterioration that is not heart failure)`,
  }),
  start: when,
  peak: when,
  end: z.union([z.literal('').transform(() => undefined), when]).optional(),
});
export type EpisodeRow = z.output<typeof episodeRowSchema>;

/** A plan as the plan API takes it (checkPlan: the partial plan, then the plan it resolves to). */
const plan = z.string().transform((s, ctx): PatientPlan => {
  if (s.trim() === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(s);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `is not JSON (${(e as Error).message})` });
    return z.NEVER;
  }
  try {
    return checkPlan(json);
  } catch (e) {
    if (!isInvalidPlan(e)) throw e;
    ctx.addIssue({ code: 'custom', message: `is no plan: ${e.message}` });
    return z.NEVER;
  }
});

export const patientRowSchema = z
  .object({ patient, time_zone: z.union([z.literal(''), timeZoneSchema]), plan })
  .superRefine((r, ctx) => {
    if (r.time_zone && r.plan.timeZone && r.plan.timeZone !== r.time_zone) {
      ctx.addIssue({
        code: 'custom',
        path: ['plan'],
        message: `sets timeZone ${r.plan.timeZone}, the row ${r.time_zone}`,
      });
    }
  })
  .transform((r) => ({
    patient: r.patient,
    // the row's zone is the plan's (the rules read it there)
    plan: r.time_zone ? { ...r.plan, timeZone: r.time_zone } : r.plan,
  }));
export type PatientRow = z.output<typeof patientRowSchema>;

// A seeded heart-failure cohort for the alert-quality report: stable and decompensating
// virtual patients, each lived through a warm-up (so that trend and personal detectors have
// the history they would have in a running programme) and then a scored period.
import { z } from 'zod';
import { patientPlanSchema, type PatientPlan } from '../../server/plans/plan.js';
import type { RuleReading } from '../../server/rules/types.js';
import { createPatient } from '../patients/index.js';
import { hashSeed } from '../patients/random.js';
import type { ProfileName, VirtualPatient } from '../patients/types.js';
import { toRuleReadings } from './ruleReadings.js';

const DAY = 86_400_000;

export const cohortOptionsSchema = z.strictObject({
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  patients: z.number().int().min(1).max(100_000).default(500),
  /** Days scored per patient. */
  days: z.number().int().min(7).max(3660).default(180),
  /**
   * Days lived before scoring; no episode starts in them. Default 35: the rules' look-back
   * (server/rules/evaluate.ts lookBackDays), so the first scored day is judged with full history.
   */
  warmUpDays: z.number().int().min(0).max(365).default(35),
  /**
   * Share of patients of the decompensating profile (the rest are stable). 1/3 gives about
   * 0.8 decompensations per patient-year, between HeartPhone's 0.70 and EHJ-DH 2023's ~0.97.
   */
  decompensatingShare: z
    .number()
    .min(0)
    .max(1)
    .default(1 / 3),
  /** Decompensations per year of the decompensating profile (its own default when unset). */
  decompensationsPerYear: z.number().min(0).max(20).optional(),
  /** Every decompensation adds this weight (kg) instead of a drawn one (what-if). */
  decompensationGainKg: z.number().min(-5).max(15).optional(),
  /** First scored instant. */
  start: z.date().default(new Date('2026-01-05T00:00:00+01:00')),
});
export type CohortOptions = z.input<typeof cohortOptionsSchema>;
export type ResolvedCohortOptions = z.output<typeof cohortOptionsSchema>;

export interface CohortMember {
  id: string;
  profile: ProfileName;
  patient: VirtualPatient;
}

/** Patient `i` is decompensating when the running share crosses a whole number: evenly spread. */
const isDecompensating = (i: number, share: number) =>
  Math.floor((i + 1) * share + 1e-9) > Math.floor(i * share + 1e-9);

/** Member `i` of the cohort `o` (deterministic: any process builds the same patient). */
export function cohortMember(o: ResolvedCohortOptions, i: number): CohortMember {
  const livedFrom = new Date(o.start.getTime() - o.warmUpDays * DAY);
  const profile: ProfileName = isDecompensating(i, o.decompensatingShare)
    ? 'hf-decompensating'
    : 'hf-stable';
  const patient = createPatient(profile, {
    seed: hashSeed(o.seed, 'cohort', i),
    start: livedFrom,
    days: o.warmUpDays + o.days,
    quietDays: o.warmUpDays,
    ...(o.decompensationsPerYear !== undefined && profile === 'hf-decompensating'
      ? { decompensationsPerYear: o.decompensationsPerYear }
      : {}),
    ...(o.decompensationGainKg === undefined
      ? {}
      : { decompensationGainKg: o.decompensationGainKg }),
  });
  return { id: `p${i}`, profile, patient };
}

/**
 * A deterioration of the ground truth: a decompensation, or another (an infection: a real
 * deterioration, but not heart failure), from its start through its peak to its end.
 */
export interface TruthEpisode {
  kind: 'decompensation' | 'other';
  start: Date;
  peak: Date;
  end: Date;
}

/**
 * One patient as the evaluation reads them, simulated or from a cohort's files
 * (cohortFiles.ts): the plan they are judged with, their readings as the rules read stored ones
 * (in measurement order) and their ground truth.
 */
export interface CohortPatient {
  id: string;
  /** Counted as a decompensating patient in the report (the profile; from files: any episode). */
  decompensating: boolean;
  plan: PatientPlan;
  readings: RuleReading[];
  episodes: TruthEpisode[];
}

/** The instants a cohort is scored between: before `from` its readings are history only. */
export interface ScoredPeriod {
  from: Date;
  to: Date;
}

export const scoredPeriod = (o: Pick<ResolvedCohortOptions, 'start' | 'days'>): ScoredPeriod => ({
  from: o.start,
  to: new Date(o.start.getTime() + o.days * DAY),
});

/** Member `i` of the simulated cohort `o` as the evaluation reads it (its warm-up included). */
export function simulatedPatient(o: ResolvedCohortOptions, i: number): CohortPatient {
  const m = cohortMember(o, i);
  return {
    id: m.id,
    decompensating: m.profile === 'hf-decompensating',
    plan: patientPlanSchema.parse(m.patient.suggestedPlan) as PatientPlan,
    readings: toRuleReadings(m.id, m.patient.measurements(new Date(0), scoredPeriod(o).to)),
    episodes: m.patient.truth.episodes.map((e) => ({
      kind: e.kind === 'decompensation' ? 'decompensation' : 'other',
      start: e.start,
      peak: e.peak,
      end: e.end,
    })),
  };
}

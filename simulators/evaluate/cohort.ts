// A seeded heart-failure cohort for the alert-quality report: stable and decompensating
// virtual patients, each lived through a warm-up (so that trend and personal detectors have
// the history they would have in a running programme) and then a scored period.
import { z } from 'zod';
import { createPatient } from '../patients/index.js';
import { hashSeed } from '../patients/random.js';
import type { ProfileName, VirtualPatient } from '../patients/types.js';

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

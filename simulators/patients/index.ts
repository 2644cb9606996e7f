// Virtual patients: `createPatient(profile, { seed, start, days })` gives a seeded patient of
// one of the profiles in `profileNames` (types.ts), whose home measurements over the span come
// from physiology (baselines, slow drift, weekly rhythm, episodes) and human habits (when they
// measure, what they forget). See docs/simulation.md for the model and its sources.
import { z } from 'zod';
import { atrialFibrillationModel } from './atrialFibrillation.js';
import { copdModel } from './copd.js';
import {
  FRAIL_FORGETFUL,
  HF_DECOMPENSATING,
  HF_STABLE,
  heartFailureModel,
  type HeartFailureOptions,
} from './heartFailure.js';
import { hypertensionModel } from './hypertension.js';
import { localCalendar, STOCKHOLM, type LocalCalendar } from './localCalendar.js';
import { palliativeModel } from './palliative.js';
import { profileNames, type ProfileName, type VirtualPatient } from './types.js';
import { assemble, type PatientSpan, type ProfileModel } from './virtualPatient.js';

export * from './types.js';

export const createPatientOptionsSchema = z.strictObject({
  /** Everything random about the patient follows from it. */
  seed: z.number().int().min(0).max(0xffffffff),
  /** The first instant simulated; day 0 is its local date in Europe/Stockholm. */
  start: z.date(),
  /** Local days simulated (measurements after them are not produced). */
  days: z
    .number()
    .int()
    .min(1)
    .max(10 * 366),
  /**
   * No episode starts before this day index, so that the personal detectors have a baseline
   * (default 14, their baseline window). The evaluator sets it to its warm-up.
   */
  quietDays: z.number().int().min(0).optional(),
  /** Heart-failure profiles: decompensations per patient-year instead of the profile's own. */
  decompensationsPerYear: z.number().min(0).max(20).optional(),
  /**
   * Heart-failure profiles: every decompensation adds this weight (kg) instead of one drawn
   * from the TEN-HMS-like distribution (what-if cohorts and tests).
   */
  decompensationGainKg: z.number().min(-5).max(15).optional(),
  /**
   * COPD: severe exacerbations peaking at these instants, each with a spot check of SpO2 and
   * pulse at its peak (a scenario's `acute` event: an urgent finding at a known time).
   */
  acute: z.array(z.date()).optional(),
});
export type CreatePatientOptions = z.input<typeof createPatientOptionsSchema>;

export const profileSchema = z.enum(profileNames);

function model(
  profile: ProfileName,
  span: PatientSpan,
  cal: LocalCalendar,
  o: CreatePatientOptions,
): ProfileModel {
  const quietDays = o.quietDays ?? 14;
  if (o.acute?.length && profile !== 'copd') {
    throw new Error(`an acute exacerbation is modelled for copd, not ${profile}`);
  }
  const hf = (options: Omit<HeartFailureOptions, 'quietDays'>) => {
    const rate = o.decompensationsPerYear;
    const rates = rate === undefined ? options.rates : { ...options.rates, decompensation: rate };
    const gain = o.decompensationGainKg;
    return heartFailureModel(profile, span, {
      ...options,
      rates,
      quietDays,
      ...(gain === undefined ? {} : { fixedGainKg: gain }),
    });
  };
  switch (profile) {
    case 'hf-stable':
      return hf(HF_STABLE);
    case 'hf-decompensating':
      return hf(HF_DECOMPENSATING);
    case 'frail-forgetful':
      return hf(FRAIL_FORGETFUL);
    case 'hypertension':
      return hypertensionModel(span);
    case 'atrial-fibrillation':
      return atrialFibrillationModel(span);
    case 'copd':
      return copdModel(
        span,
        quietDays,
        (o.acute ?? []).map((at) => ({
          t: cal.dayTime(at),
          at: new Date(Math.round(at.getTime() / 1000) * 1000),
        })),
      );
    case 'palliative':
      return palliativeModel(span);
  }
}

/** A seeded virtual patient of `profile` over `days` local days from `start`. */
export function createPatient(profile: ProfileName, options: CreatePatientOptions): VirtualPatient {
  const p = profileSchema.parse(profile);
  const o = createPatientOptionsSchema.parse(options);
  const span: PatientSpan = { seed: o.seed, start: o.start, days: o.days };
  const cal = localCalendar(o.start, STOCKHOLM);
  return assemble(p, span, cal, model(p, span, cal, o));
}

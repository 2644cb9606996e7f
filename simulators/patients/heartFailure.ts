// Heart-failure patients measuring themselves every morning (weight, then blood pressure with
// pulse, then SpO2 and pulse on an oximeter, as in TIM-HF2's daily set: Koehler et al., Lancet
// 2018 [V]). One model serves the stable patient, the one who decompensates and the frail one
// who forgets: they differ in episode rates, adherence and habits. Figures and their sources:
// docs/simulation.md ("Heart failure").
import {
  drawEpisodes,
  effectAt,
  hospitalisedAt,
  type EpisodeCourse,
  type EpisodeRates,
} from './episodes.js';
import {
  bloodPressure,
  forgetfulDays,
  habitMinute,
  heartRate,
  oxygenSaturation,
  slowDrift,
  weighing,
} from './measure.js';
import { clamp, Rng } from './random.js';
import type { SimMeasurement } from './types.js';
import type { PatientSpan, ProfileModel, SimDay } from './virtualPatient.js';

/**
 * Morning weight by weekday relative to the week's mean (kg, before the patient's own
 * amplitude): highest after the weekend, falling through the week (weekend salt and fluids;
 * Orsama et al., Obes Facts 2014, "weight rhythms" [M]). Sunday first.
 */
const WEEKLY_KG: readonly number[] = [0.2, 0.3, 0.15, 0, -0.1, -0.2, -0.05];
const WEEKLY_MEAN = WEEKLY_KG.reduce((a, b) => a + b, 0) / 7;

export interface HeartFailureOptions {
  rates: EpisodeRates;
  /** Give the patient at least one decompensation in the span. */
  atLeastOne: boolean;
  /** No episode starts before this day (a baseline for the detectors). */
  quietDays: number;
  /** Forgetful spells: chance to start forgetting on a day, and to resume. Null: reliable. */
  forgetful: { pForget: number; pResume: number } | null;
  /** Days missed at random by a reliable patient (travel, a bad morning). */
  missShare: number;
  /** Share of days with a second weighing (forgot having weighed, or checking the scale). */
  secondWeighing: number;
  /** Measures SpO2 and pulse on an oximeter after the blood pressure. */
  oximeter: boolean;
  /** Habitual time of the morning weighing (minutes after midnight), its mean and spread. */
  habit: { mean: number; sd: number; jitterSd: number };
  /** Population the patient is drawn from: weight (kg) mean and SD. */
  weightKg: { mean: number; sd: number };
  /** Every decompensation adds this weight (kg) instead of a drawn one. */
  fixedGainKg?: number;
}

export const HF_STABLE: Omit<HeartFailureOptions, 'quietDays'> = {
  rates: { decompensation: 0, infection: 0.4, exacerbation: 0 },
  atLeastOne: false,
  forgetful: null,
  missShare: 0.04,
  secondWeighing: 0.03,
  oximeter: true,
  habit: { mean: 7 * 60 + 10, sd: 35, jitterSd: 15 },
  // Swedish heart-failure registry patients weigh about 80 kg on average [M].
  weightKg: { mean: 80, sd: 15 },
};

export const HF_DECOMPENSATING: Omit<HeartFailureOptions, 'quietDays'> = {
  ...HF_STABLE,
  // A high-risk patient: 1.5 decompensations a year on top of the guaranteed one; cohorts
  // average 0.7-1.0 per patient-year (HeartPhone: 28 in 87 patients x 23.9 weeks; EHJ-DH 2023:
  // 64 in 74 patients x median 327 days) [V].
  rates: { decompensation: 1.5, infection: 0.4, exacerbation: 0 },
  atLeastOne: true,
};

export const FRAIL_FORGETFUL: Omit<HeartFailureOptions, 'quietDays'> = {
  rates: { decompensation: 0.5, infection: 0.6, exacerbation: 0 },
  atLeastOne: false,
  // About a quarter of days missed, in spells of ~3 days [U]: a design choice to exercise the
  // missing-measurement rules, not a published adherence figure.
  forgetful: { pForget: 0.12, pResume: 0.35 },
  missShare: 0,
  secondWeighing: 0.08,
  oximeter: false,
  habit: { mean: 9 * 60, sd: 45, jitterSd: 50 },
  weightKg: { mean: 68, sd: 12 },
};

interface HeartFailureBaseline {
  weightKg: number;
  pulse: number;
  systolic: number;
  diastolic: number;
}

/**
 * The plan a heart-failure team would set: the daily morning set, the dry weight at the
 * patient's settled weight, and personal limits where the patient's own normal would trip a
 * default every week (a slow pulse on beta-blockers, a low or high usual pressure), as teams
 * do rather than silencing the alert [U].
 */
function heartFailurePlan(
  b: HeartFailureBaseline,
  o: HeartFailureOptions,
): Record<string, unknown> {
  const dueBy = o.forgetful ? '12:00' : '10:00';
  const graceHours = o.forgetful ? 8 : 4;
  const daily = (type: string) => ({ type, everyDays: 1, dueBy, graceHours });
  const bloodPressure: Record<string, number> = {};
  if (b.systolic < 108) bloodPressure.lowSystolic = Math.max(80, Math.round(b.systolic - 20));
  if (b.systolic > 122) bloodPressure.averageSystolic = Math.round(b.systolic + 13);
  if (b.diastolic > 76) bloodPressure.averageDiastolic = Math.round(b.diastolic + 9);
  return {
    timeZone: 'Europe/Stockholm',
    measurements: [
      daily('body_weight'),
      daily('blood_pressure'),
      ...(o.oximeter ? [daily('spo2')] : []),
    ],
    weight: { dryWeightKg: Math.round(b.weightKg * 10) / 10 },
    ...(b.pulse < 62
      ? { vitals: { pulse: { contactLow: Math.max(42, Math.round(b.pulse - 12)) } } }
      : {}),
    ...(Object.keys(bloodPressure).length ? { bloodPressure } : {}),
  };
}

export function heartFailureModel(
  name: string,
  span: PatientSpan,
  o: HeartFailureOptions,
): ProfileModel {
  const rng = Rng.of(span.seed, name, 'baseline');
  const base = {
    weightKg: clamp(rng.normal(o.weightKg.mean, o.weightKg.sd), 45, 140),
    // Day-to-day scale noise 0.3-0.5 kg SD (hydration, meals, clothing) [M].
    noiseSdKg: rng.uniform(0.3, 0.5),
    weeklyAmplitude: rng.uniform(0.5, 1.2),
    // Resting pulse on beta-blockers ~70/min (HFrEF trials, SwedeHF) [M]; day-to-day SD ~3 [M].
    pulse: rng.clampedNormal(70, 8, 52, 95),
    // Systolic ~120 mmHg on RAS inhibitors and beta-blockers (SwedeHF) [M].
    systolic: rng.clampedNormal(120, 12, 92, 160),
    diastolic: rng.clampedNormal(72, 8, 50, 95),
    spo2: rng.uniform(94, 97.5),
    habit: clamp(rng.normal(o.habit.mean, o.habit.sd), 5 * 60 + 30, 11 * 60),
    // Occasional weighing in clothes or shoes: +0.4-1.2 kg on ~1 % of days [U].
    clothedShare: 0.01,
  };
  const courses: EpisodeCourse[] = drawEpisodes(
    Rng.of(span.seed, name, 'episodes'),
    o.rates,
    span.days,
    o.quietDays,
    o.atLeastOne,
    o.fixedGainKg,
  );
  // Weight wanders ~0.8 kg SD with a month's memory (appetite, activity, dose changes) [U];
  // with the day-to-day noise it gives a 14-day change of ~0.9 kg SD outside episodes (TEN-HMS
  // before admissions for other reasons: -0.2 +/- 1.1 kg [V]).
  const drift = slowDrift(Rng.of(span.seed, name, 'drift'), span.days, 0.8, 30);
  const forgets = o.forgetful
    ? forgetfulDays(
        Rng.of(span.seed, name, 'adherence'),
        span.days,
        o.forgetful.pForget,
        o.forgetful.pResume,
      )
    : null;

  function day(d: SimDay): SimMeasurement[] {
    const r = d.rng;
    // every draw below is made whatever is skipped, so one choice never shifts the others
    const missed = r.chance(o.missShare) || (forgets?.[d.index] ?? false);
    const minute = habitMinute(r, base.habit, d.weekday, o.habit.jitterSd);
    const t = d.index + minute / 1440;
    const fx = (signal: 'weightKg' | 'pulse' | 'spo2' | 'systolic') => effectAt(courses, t, signal);
    const weekly = (WEEKLY_KG[d.weekday]! - WEEKLY_MEAN) * base.weeklyAmplitude;
    const clothed = r.chance(base.clothedShare) ? r.uniform(0.4, 1.2) : 0;
    const kg = base.weightKg + (drift[d.index] ?? 0) + weekly + fx('weightKg');
    const scaleKg = kg + r.normal(0, base.noiseSdKg) + clothed;
    const second = r.chance(o.secondWeighing);
    const secondAfter = r.uniform(10, 180);
    const secondKg = kg + r.normal(0, base.noiseSdKg * 0.5) + r.uniform(0, 0.6); // after breakfast
    const restingPulse = base.pulse + fx('pulse') + r.normal(0, 3);
    const bpAfter = r.uniform(3, 8);
    const systolic = base.systolic + fx('systolic') + r.normal(0, 7);
    const diastolic = base.diastolic + 0.5 * fx('systolic') + r.normal(0, 5);
    const cuffPulse = restingPulse + r.normal(0, 2.5);
    const oxAfter = bpAfter + r.uniform(2, 6);
    const spo2 = base.spo2 + fx('spo2') + r.normal(0, 0.8);
    const oxPulse = restingPulse + r.normal(0, 2.5);
    if (missed || hospitalisedAt(courses, t)) return [];
    const out = [
      weighing(d.at(minute), scaleKg),
      bloodPressure(d.at(minute + bpAfter), systolic, diastolic, cuffPulse),
    ];
    if (second) out.push(weighing(d.at(minute + secondAfter), secondKg));
    if (o.oximeter) {
      out.push(oxygenSaturation(d.at(minute + oxAfter), spo2));
      out.push(heartRate(d.at(minute + oxAfter), oxPulse));
    }
    return out;
  }

  return { courses, suggestedPlan: heartFailurePlan(base, o), day };
}

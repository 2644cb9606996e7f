// The alert-quality evaluation: a seeded heart-failure cohort through the real pure rules, each
// rule scored against the cohort's ground truth, with a check that the simulated weight change
// before decompensations looks like the TEN-HMS figures it was modelled on. No hub, no
// database: server/rules/evaluate.ts over each patient's readings, in measurement order.
import {
  dailyFirstWeights,
  dayNumber,
  localDate,
  type DailyWeight,
} from '../../server/rules/localDay.js';
import { patientPlanSchema, resolvePlan, type PatientPlan } from '../../server/rules/plan.js';
import {
  PUBLISHED_EPISODE_RATES,
  REPORT_ROWS,
  REPORTED_RULES,
  ZHANG_WEIGHT_CHANGE,
  type PublishedFigure,
} from './comparisons.js';
import { cohortOptionsSchema, heartFailureCohort, type CohortOptions } from './cohort.js';
import { ruleDays } from './ruleFindings.js';
import { toRuleReadings } from './ruleReadings.js';
import { scoreRules, type RuleScore, type ScoredPatient } from './score.js';

const DAY = 86_400_000;
const YEAR_DAYS = 365.25;

export interface MeanSd {
  n: number;
  mean: number | null;
  sd: number | null;
}

export interface EvaluationReport {
  cohort: {
    seed: number;
    patients: number;
    decompensatingPatients: number;
    days: number;
    warmUpDays: number;
    start: string;
    patientYears: number;
    readings: number;
    decompensations: number;
    decompensationsPerPatientYear: number;
    infections: number;
    publishedEpisodeRates: Array<{ source: string; perPatientYear: number }>;
  };
  /** 14-day weight change (kg) before each peak, and in episode-free stretches. */
  weightChange14d: {
    beforePeak: MeanSd;
    background: MeanSd;
    published: typeof ZHANG_WEIGHT_CHANGE;
  };
  rows: Array<{
    key: string;
    label: string;
    rules: string[];
    score: RuleScore;
    published: PublishedFigure[];
  }>;
  /** Every other rule that fired on the cohort, scored the same way. */
  otherRules: Array<{ rule: string; score: RuleScore }>;
  runtimeMs: number;
}

function meanSd(xs: number[]): MeanSd {
  if (xs.length === 0) return { n: 0, mean: null, sd: null };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd =
    xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : null;
  return { n: xs.length, mean, sd };
}

/** The daily weight on local day `day`, or the nearest within `slack` days (earlier first). */
function weightNear(byDay: Map<number, number>, day: number, slack: number): number | undefined {
  for (let k = 0; k <= slack; k++) {
    const v = byDay.get(day - k) ?? byDay.get(day + k);
    if (v !== undefined) return v;
  }
  return undefined;
}

export function evaluateCohort(options: CohortOptions = {}): EvaluationReport {
  const began = performance.now();
  const o = cohortOptionsSchema.parse(options);
  const from = o.start;
  const to = new Date(o.start.getTime() + o.days * DAY);
  const members = heartFailureCohort(o);
  const patientYears = (o.patients * o.days) / YEAR_DAYS;
  const scored: ScoredPatient[] = [];
  const fired = new Set<string>();
  const beforePeak: number[] = [];
  const background: number[] = [];
  let readings = 0;
  let infections = 0;

  for (const m of members) {
    const plan = resolvePlan(patientPlanSchema.parse(m.patient.suggestedPlan) as PatientPlan);
    const measured = toRuleReadings(m.id, m.patient.measurements(new Date(0), to));
    readings += measured.filter((r) => r.measuredAt >= from).length;
    const rules = ruleDays(measured, plan, from);
    for (const rule of rules.keys()) fired.add(rule);
    const inWindow = (t: Date) => t >= from && t < to;
    const episodes = m.patient.truth.episodes.filter((e) => inWindow(e.peak));
    infections += episodes.filter((e) => e.kind === 'infection').length;
    const decompensations = episodes.filter((e) => e.kind === 'decompensation');
    scored.push({
      episodes: decompensations.map((e) => ({
        start: e.start.getTime(),
        peak: e.peak.getTime(),
        end: e.end.getTime(),
      })),
      rules,
    });

    // Zhang 2009's measure: weight change over the 14 days before the admission
    const daily: DailyWeight[] = dailyFirstWeights(measured, plan.timeZone);
    const byDay = new Map(daily.map((w) => [dayNumber(w.day), w.kg]));
    const localDayOf = (t: Date) => dayNumber(localDate(t, plan.timeZone));
    for (const e of decompensations) {
      const peakDay = localDayOf(e.peak);
      const atPeak = weightNear(byDay, peakDay, 1);
      const before = weightNear(byDay, peakDay - 14, 1);
      if (atPeak !== undefined && before !== undefined) beforePeak.push(atPeak - before);
    }
    const busy = m.patient.truth.episodes.map((e) => [
      e.start.getTime() - 14 * DAY,
      e.end.getTime() + 14 * DAY,
    ]);
    for (let t = from.getTime() + 14 * DAY; t < to.getTime(); t += 30 * DAY) {
      if (busy.some(([a, b]) => t >= a! && t - 14 * DAY <= b!)) continue;
      const d = localDayOf(new Date(t));
      const now = weightNear(byDay, d, 1);
      const then = weightNear(byDay, d - 14, 1);
      if (now !== undefined && then !== undefined) background.push(now - then);
    }
  }

  const decompensations = scored.reduce((a, p) => a + p.episodes.length, 0);
  return {
    cohort: {
      seed: o.seed,
      patients: o.patients,
      decompensatingPatients: members.filter((m) => m.profile === 'hf-decompensating').length,
      days: o.days,
      warmUpDays: o.warmUpDays,
      start: o.start.toISOString(),
      patientYears,
      readings,
      decompensations,
      decompensationsPerPatientYear: decompensations / patientYears,
      infections,
      publishedEpisodeRates: PUBLISHED_EPISODE_RATES,
    },
    weightChange14d: {
      beforePeak: meanSd(beforePeak),
      background: meanSd(background),
      published: ZHANG_WEIGHT_CHANGE,
    },
    rows: REPORT_ROWS.map((r) => ({
      ...r,
      score: scoreRules(scored, r.rules, patientYears),
    })),
    otherRules: [...fired]
      .filter((rule) => !REPORTED_RULES.has(rule))
      .sort()
      .map((rule) => ({ rule, score: scoreRules(scored, [rule], patientYears) })),
    runtimeMs: performance.now() - began,
  };
}

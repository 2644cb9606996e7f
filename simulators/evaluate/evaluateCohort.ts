// The alert-quality evaluation: a seeded heart-failure cohort (or one read from files,
// cohortFiles.ts) through the real pure rules, each rule scored against the cohort's ground truth, with a check that the simulated weight change
// before decompensations looks like the TEN-HMS figures it was modelled on. No hub, no
// database: server/rules/evaluate.ts over each patient's readings, in measurement order.
import {
  dailyFirstWeights,
  dayNumber,
  localDate,
  type DailyWeight,
} from '../../server/rules/localDay.js';
import { resolvePlan } from '../../server/plans/plan.js';
import {
  PUBLISHED_EPISODE_RATES,
  REPORT_ROWS,
  REPORTED_RULES,
  ZHANG_WEIGHT_CHANGE,
  type PublishedFigure,
} from './comparisons.js';
import {
  cohortOptionsSchema,
  scoredPeriod,
  simulatedPatient,
  type CohortOptions,
  type CohortPatient,
  type ResolvedCohortOptions,
  type ScoredPeriod,
  type TruthEpisode,
} from './cohort.js';
import { ruleDays, type RuleDay } from './ruleFindings.js';
import { scoreRules, type RuleScore, type ScoredEpisode, type ScoredPatient } from './score.js';

const DAY = 86_400_000;
const YEAR_DAYS = 365.25;

export interface MeanSd {
  n: number;
  mean: number | null;
  sd: number | null;
}

/** What the report says of the cohort it scored. */
export interface CohortDescription {
  /** The simulated cohort's seed; null for a cohort read from files. */
  seed: number | null;
  /** Several seeded cohorts pooled into one (seeds.ts): their seeds; seed is then null. */
  seeds?: number[] | null;
  /** The directory a cohort was read from; null when simulated. */
  source?: string | null;
  patients: number;
  /** Days scored. */
  days: number;
  /** Days of history before the scored period. */
  warmUpDays: number;
  /** First scored instant. */
  start: Date;
}

export interface EvaluationReport {
  cohort: {
    seed: number | null;
    seeds: number[] | null;
    source: string | null;
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
  /** Every rule that fired, scored alone. */
  byRule: Record<string, RuleScore>;
  /**
   * Every rule that fired, scored as one detector: all that the runner pages a nurse about
   * ('info' findings page nobody and are left out before scoring, ruleFindings.ts; so are the
   * findings the heart-failure score replaced, which the rows above count as their rule's).
   */
  paging: RuleScore;
  /**
   * The report's heart-failure detectors (REPORT_ROWS) as one: `paging` less the rules that are
   * not heart-failure specific (weight loss, low blood pressure, pulse or SpO2...).
   */
  heartFailure: RuleScore;
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

/** One patient's part of the evaluation, as plain data (it crosses worker threads). */
export interface MemberResult {
  decompensating: boolean;
  readings: number;
  infections: number;
  episodes: ScoredEpisode[];
  otherEpisodes: ScoredEpisode[];
  rules: Array<[string, RuleDay[]]>;
  /** 14-day weight changes before each peak, and in episode-free stretches (kg). */
  beforePeak: number[];
  background: number[];
}

/** Runs cohort member `i` through the rules and measures it against its truth. */
export function evaluateMember(o: ResolvedCohortOptions, i: number): MemberResult {
  return evaluatePatient(simulatedPatient(o, i), scoredPeriod(o));
}

/** Runs one patient through the rules over `period` and measures them against their truth. */
export function evaluatePatient(p: CohortPatient, period: ScoredPeriod): MemberResult {
  const { from, to } = period;
  const plan = resolvePlan(p.plan);
  // readings after the period are no part of it (a cohort's files may go on)
  const measured = p.readings.filter((r) => r.measuredAt < to);
  const rules = ruleDays(measured, plan, from);
  const episodes = p.episodes.filter((e) => e.peak >= from && e.peak < to);
  const decompensations = episodes.filter((e) => e.kind === 'decompensation');
  const scored = (e: TruthEpisode): ScoredEpisode => ({
    start: e.start.getTime(),
    peak: e.peak.getTime(),
    end: e.end.getTime(),
  });

  // Zhang 2009's measure: weight change over the 14 days before the admission, and the same
  // change where nothing happens (14 days clear of any episode on either side)
  const daily: DailyWeight[] = dailyFirstWeights(measured, plan.timeZone);
  const byDay = new Map(daily.map((w) => [dayNumber(w.day), w.kg]));
  const localDayOf = (t: Date) => dayNumber(localDate(t, plan.timeZone));
  const change = (day: number) => {
    const now = weightNear(byDay, day, 1);
    const then = weightNear(byDay, day - 14, 1);
    return now !== undefined && then !== undefined ? [now - then] : [];
  };
  const busy = p.episodes.map((e) => [e.start.getTime() - 14 * DAY, e.end.getTime() + 14 * DAY]);
  const background: number[] = [];
  for (let t = from.getTime() + 14 * DAY; t < to.getTime(); t += 30 * DAY) {
    if (busy.some(([a, b]) => t >= a! && t - 14 * DAY <= b!)) continue;
    background.push(...change(localDayOf(new Date(t))));
  }
  return {
    decompensating: p.decompensating,
    readings: measured.filter((r) => r.measuredAt >= from).length,
    infections: episodes.filter((e) => e.kind === 'other').length,
    episodes: decompensations.map(scored),
    // any other episode that overlaps the scored period
    otherEpisodes: p.episodes
      .filter((e) => e.kind !== 'decompensation' && e.end >= from && e.start < to)
      .map(scored),
    rules: [...rules],
    beforePeak: decompensations.flatMap((e) => change(localDayOf(e.peak))),
    background,
  };
}

/** The report from every member's result (in member order). */
export function summarise(
  o: CohortDescription,
  results: readonly MemberResult[],
  runtimeMs: number,
): EvaluationReport {
  const patientYears = (o.patients * o.days) / YEAR_DAYS;
  const scored: ScoredPatient[] = results.map((r) => ({
    episodes: r.episodes,
    otherEpisodes: r.otherEpisodes,
    rules: new Map(r.rules),
  }));
  const fired = [...new Set(results.flatMap((r) => r.rules.map(([rule]) => rule)))].sort();
  const sum = (f: (r: MemberResult) => number) => results.reduce((a, r) => a + f(r), 0);
  const decompensations = sum((r) => r.episodes.length);
  return {
    cohort: {
      seed: o.seed,
      seeds: o.seeds ?? null,
      source: o.source ?? null,
      patients: o.patients,
      decompensatingPatients: results.filter((r) => r.decompensating).length,
      days: o.days,
      warmUpDays: o.warmUpDays,
      start: o.start.toISOString(),
      patientYears,
      readings: sum((r) => r.readings),
      decompensations,
      decompensationsPerPatientYear: decompensations / patientYears,
      infections: sum((r) => r.infections),
      publishedEpisodeRates: PUBLISHED_EPISODE_RATES,
    },
    weightChange14d: {
      beforePeak: meanSd(results.flatMap((r) => r.beforePeak)),
      background: meanSd(results.flatMap((r) => r.background)),
      published: ZHANG_WEIGHT_CHANGE,
    },
    rows: REPORT_ROWS.map((r) => ({
      ...r,
      score: scoreRules(scored, r.rules, patientYears),
    })),
    otherRules: fired
      .filter((rule) => !REPORTED_RULES.has(rule))
      .map((rule) => ({ rule, score: scoreRules(scored, [rule], patientYears) })),
    byRule: Object.fromEntries(
      fired.map((rule) => [rule, scoreRules(scored, [rule], patientYears)]),
    ),
    paging: scoreRules(scored, fired, patientYears, true),
    heartFailure: scoreRules(scored, [...REPORTED_RULES], patientYears, true),
    runtimeMs,
  };
}

/** The whole evaluation in this thread. */
export function evaluateCohort(options: CohortOptions = {}): EvaluationReport {
  const began = performance.now();
  const o = cohortOptionsSchema.parse(options);
  const results = Array.from({ length: o.patients }, (_, i) => evaluateMember(o, i));
  return summarise(o, results, performance.now() - began);
}

/** A cohort given as its patients (read from files), scored over `d`'s period in this thread. */
export function evaluatePatients(
  patients: readonly CohortPatient[],
  d: CohortDescription,
): EvaluationReport {
  const began = performance.now();
  const period = scoredPeriod(d);
  const results = patients.map((p) => evaluatePatient(p, period));
  return summarise(d, results, performance.now() - began);
}

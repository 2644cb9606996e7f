// Operating curves: each detector of the grid (sweepGrid.ts) scored at every point of its grid,
// the cohort's readings generated (or read) once and replayed through the real rules with each
// point's plan laid over the patient's own, then scored as the report scores a rule (score.ts:
// sensitivity, false alerts per patient-year, median warning). Per detector, the best point is
// the most sensitive one within a budget of false alerts (1 and 2 a patient-year).
import { resolvePlan, type PatientPlan } from '../../server/plans/plan.js';
import {
  cohortOptionsSchema,
  scoredPeriod,
  simulatedPatient,
  type CohortOptions,
  type CohortPatient,
  type ScoredPeriod,
} from './cohort.js';
import type { CohortDescription } from './evaluateCohort.js';
import { dealt, inOrder, runWorker } from './parallel.js';
import { ruleDays, type RuleDay } from './ruleFindings.js';
import { scoreRules, type ScoredEpisode, type ScoredPatient } from './score.js';
import { SWEEP_GRID, type SweepDetector } from './sweepGrid.js';

const YEAR_DAYS = 365.25;

/** `over` laid on `base`, object by object (a list, such as measurements, is replaced whole). */
export function mergePlan(base: PatientPlan, over: PatientPlan): PatientPlan {
  const merge = (a: unknown, b: unknown): unknown => {
    const isObject = (v: unknown): v is Record<string, unknown> =>
      typeof v === 'object' && v !== null && !Array.isArray(v);
    if (b === undefined) return a;
    if (!isObject(a) || !isObject(b)) return b;
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = merge(a[k], v);
    return out;
  };
  return merge(base, over) as PatientPlan;
}

/** One patient's part of a sweep, as plain data (it crosses worker threads). */
export interface SweepMemberResult {
  episodes: ScoredEpisode[];
  otherEpisodes: ScoredEpisode[];
  /** [detector][point]: the finding days of the detector's rules. */
  days: Array<Array<Array<[string, RuleDay[]]>>>;
  /** Time spent simulating or reading the patient, and replaying the rules (ms). */
  generateMs: number;
  replayMs: number;
}

/** One patient through every point of `grid` over `period`. */
export function sweepPatient(
  p: CohortPatient,
  period: ScoredPeriod,
  grid: readonly SweepDetector[],
  generateMs = 0,
): SweepMemberResult {
  const began = performance.now();
  const { from, to } = period;
  const scored = (e: { start: Date; peak: Date; end: Date }): ScoredEpisode => ({
    start: e.start.getTime(),
    peak: e.peak.getTime(),
    end: e.end.getTime(),
  });
  const days = grid.map((d) => {
    const types = new Set<string>(d.readingTypes);
    const readings = p.readings.filter((r) => r.measuredAt < to && types.has(r.type));
    return d.points.map((point) => {
      const found = ruleDays(readings, resolvePlan(mergePlan(p.plan, point.plan)), from);
      return d.rules.flatMap((rule): Array<[string, RuleDay[]]> => {
        const ds = found.get(rule);
        return ds ? [[rule, ds]] : [];
      });
    });
  });
  return {
    episodes: p.episodes
      .filter((e) => e.kind === 'decompensation' && e.peak >= from && e.peak < to)
      .map(scored),
    otherEpisodes: p.episodes
      .filter((e) => e.kind !== 'decompensation' && e.end >= from && e.start < to)
      .map(scored),
    days,
    generateMs,
    replayMs: performance.now() - began,
  };
}

export interface CurvePoint {
  params: Record<string, number | string>;
  /** null when the cohort has no decompensation. */
  sensitivity: number | null;
  episodes: number;
  detected: number;
  falseAlertsPerPatientYear: number;
  medianWarningDays: number | null;
  ppv: number | null;
}

/** False alerts per patient-year the best points are chosen within. */
export const BUDGETS = [1, 2] as const;

export interface DetectorCurve {
  key: string;
  label: string;
  rules: string[];
  /** One point per grid point, by false alerts (then sensitivity) ascending. */
  curve: CurvePoint[];
  /** Per budget: the most sensitive point within it, or null when none is. */
  best: Array<{ maxFalseAlertsPerPatientYear: number; point: CurvePoint | null }>;
}

export interface SweepReport {
  cohort: {
    seed: number | null;
    /** The seeds pooled into one cohort (seeds.ts); null for one seed or files. */
    seeds: number[] | null;
    source: string | null;
    patients: number;
    days: number;
    start: string;
    patientYears: number;
    decompensations: number;
  };
  detectors: DetectorCurve[];
  points: number;
  runtimeMs: number;
  /** CPU time over all threads: making the readings (once), and the rules' replays (ms). */
  generateMs: number;
  replayMs: number;
}

/**
 * The most sensitive point with at most `maxFalse` false alerts per patient-year; of equals, the
 * one with fewer false alerts, then the longer warning. Null when no point within it detects an
 * episode (a setting that never fires is no operating point).
 */
export function bestPoint(curve: readonly CurvePoint[], maxFalse: number): CurvePoint | null {
  let best: CurvePoint | null = null;
  const better = (a: CurvePoint, b: CurvePoint) =>
    (a.sensitivity ?? -1) - (b.sensitivity ?? -1) ||
    b.falseAlertsPerPatientYear - a.falseAlertsPerPatientYear ||
    (a.medianWarningDays ?? -1) - (b.medianWarningDays ?? -1);
  for (const p of curve) {
    if (p.falseAlertsPerPatientYear > maxFalse || !p.sensitivity) continue;
    if (best === null || better(p, best) > 0) best = p;
  }
  return best;
}

/** The curves from every member's result (in member order). */
export function summariseSweep(
  d: CohortDescription,
  results: readonly SweepMemberResult[],
  grid: readonly SweepDetector[],
  runtimeMs: number,
): SweepReport {
  const patientYears = (d.patients * d.days) / YEAR_DAYS;
  const detectors = grid.map((det, i): DetectorCurve => {
    const curve = det.points
      .map((point, j): CurvePoint => {
        const cohort: ScoredPatient[] = results.map((r) => ({
          episodes: r.episodes,
          otherEpisodes: r.otherEpisodes,
          rules: new Map(r.days[i]![j]!),
        }));
        const s = scoreRules(cohort, det.rules, patientYears);
        return {
          params: point.params,
          sensitivity: s.sensitivity,
          episodes: s.episodes,
          detected: s.detected,
          falseAlertsPerPatientYear: s.falseAlertsPerPatientYear,
          medianWarningDays: s.medianWarningDays,
          ppv: s.ppv,
        };
      })
      .sort(
        (a, b) =>
          a.falseAlertsPerPatientYear - b.falseAlertsPerPatientYear ||
          (a.sensitivity ?? 0) - (b.sensitivity ?? 0),
      );
    return {
      key: det.key,
      label: det.label,
      rules: det.rules,
      curve,
      best: BUDGETS.map((max) => ({
        maxFalseAlertsPerPatientYear: max,
        point: bestPoint(curve, max),
      })),
    };
  });
  const sum = (f: (r: SweepMemberResult) => number) => results.reduce((a, r) => a + f(r), 0);
  return {
    cohort: {
      seed: d.seed,
      seeds: d.seeds ?? null,
      source: d.source ?? null,
      patients: d.patients,
      days: d.days,
      start: d.start.toISOString(),
      patientYears,
      decompensations: sum((r) => r.episodes.length),
    },
    detectors,
    points: grid.reduce((a, det) => a + det.points.length, 0),
    runtimeMs,
    generateMs: sum((r) => r.generateMs),
    replayMs: sum((r) => r.replayMs),
  };
}

/** Simulated cohort member `i`, timed, through the grid. */
export function sweepMember(
  o: ReturnType<typeof cohortOptionsSchema.parse>,
  i: number,
  grid: readonly SweepDetector[],
): SweepMemberResult {
  const began = performance.now();
  const p = simulatedPatient(o, i);
  return sweepPatient(p, scoredPeriod(o), grid, performance.now() - began);
}

export type SweepWork =
  | {
      options: ReturnType<typeof cohortOptionsSchema.parse>;
      indices: number[];
      grid: SweepDetector[];
    }
  | { patients: CohortPatient[]; description: CohortDescription; grid: SweepDetector[] };

/** A worker's (or this thread's) share of a sweep. */
export function sweepWork(work: SweepWork): SweepMemberResult[] {
  if ('indices' in work) return work.indices.map((i) => sweepMember(work.options, i, work.grid));
  const period = scoredPeriod(work.description);
  return work.patients.map((p) => sweepPatient(p, period, work.grid));
}

/** The simulated cohort swept on `threads` worker threads (in this thread when 1). */
export async function sweepCohortInParallel(
  options: CohortOptions,
  threads: number,
  grid: SweepDetector[] = SWEEP_GRID,
): Promise<SweepReport> {
  const began = performance.now();
  const o = cohortOptionsSchema.parse(options);
  return summariseSweep(o, await sweepResults(o, threads, grid), grid, performance.now() - began);
}

/** Every member's part of a sweep of the simulated cohort `o`, in member order (seeds.ts pools them). */
export async function sweepResults(
  o: ReturnType<typeof cohortOptionsSchema.parse>,
  threads: number,
  grid: SweepDetector[],
): Promise<SweepMemberResult[]> {
  const all = Array.from({ length: o.patients }, (_, i) => i);
  return threads <= 1 || o.patients < 2 * threads
    ? sweepWork({ options: o, indices: all, grid })
    : await spread(o.patients, threads, (indices) => ({ options: o, indices, grid }));
}

/** A cohort read from files swept on `threads` worker threads (in this thread when 1). */
export async function sweepPatientsInParallel(
  patients: readonly CohortPatient[],
  d: CohortDescription,
  threads: number,
  grid: SweepDetector[] = SWEEP_GRID,
): Promise<SweepReport> {
  const began = performance.now();
  const results =
    threads <= 1 || patients.length < 2 * threads
      ? sweepWork({ patients: [...patients], description: d, grid })
      : await spread(patients.length, threads, (indices) => ({
          patients: indices.map((i) => patients[i]!),
          description: d,
          grid,
        }));
  return summariseSweep(d, results, grid, performance.now() - began);
}

async function spread(
  n: number,
  threads: number,
  work: (indices: number[]) => SweepWork,
): Promise<SweepMemberResult[]> {
  const parts = dealt(n, threads);
  const outputs = await Promise.all(
    parts.map((indices) => runWorker<SweepMemberResult[]>('sweepWorker', work(indices))),
  );
  return inOrder(parts, outputs);
}

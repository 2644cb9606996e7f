// The heart-failure score's operating curve on the simulated cohorts it was tuned on, so that the
// plan editor's what-if shows a care team the same figures docs/simulation.md chose the default
// by: the share of decompensations a setting alerted, its false alerts per patient-year and its
// median warning. Copied from `npm run evaluate -- --sweep --seeds 1-5 --patients 500 --days 180
// --json` (detector `personal_score`, `curve`); test/unit/rules/scoreCurve.test.ts holds the
// default plan to a point of it and the settings not swept to what the sweep ran with. After a
// change to the score or the simulator, run the sweep again and replace POINTS.
import type { CohortFigures } from '../../contract/plans.js';
import type { ResolvedPlan } from '../plans/plan.js';

/** The settings every point shares: the defaults when the sweep ran (not swept). */
export const SWEPT_WITH = {
  replacesRules: true,
  excludeRecentDays: 3,
  minBaselineDays: 10,
  runDays: 14,
  clip: 4,
  pulse: 1,
  spo2: 1,
  sdFloor: { weight: 0.3, pulse: 3, spo2: 0.7, systolic: 4 },
} as const;

export const COHORTS = { seeds: '1-5', patients: 500, days: 180 } as const;

export interface CurvePoint {
  h: number;
  k: number;
  weight: number;
  systolic: number;
  baselineDays: number;
  sensitivity: number;
  falseAlertsPerPatientYear: number;
  medianWarningDays: number | null;
}

// prettier-ignore
export const POINTS: readonly CurvePoint[] = [
  { h: 3, k: 0.5, weight: 0.3, systolic: 0.3, baselineDays: 28, sensitivity: 0.9316, falseAlertsPerPatientYear: 7.171, medianWarningDays: 4.88 },
  { h: 3, k: 0.75, weight: 0.3, systolic: 0.3, baselineDays: 28, sensitivity: 0.8665, falseAlertsPerPatientYear: 2.782, medianWarningDays: 3.74 },
  { h: 3, k: 1, weight: 0.3, systolic: 0.3, baselineDays: 28, sensitivity: 0.7938, falseAlertsPerPatientYear: 0.958, medianWarningDays: 3.01 },
  { h: 4, k: 0.5, weight: 0.3, systolic: 0.3, baselineDays: 28, sensitivity: 0.8739, falseAlertsPerPatientYear: 3.623, medianWarningDays: 4.03 },
  { h: 4, k: 0.75, weight: 0.3, systolic: 0.3, baselineDays: 28, sensitivity: 0.8013, falseAlertsPerPatientYear: 1.144, medianWarningDays: 3.08 },
  { h: 4, k: 1, weight: 0.3, systolic: 0.3, baselineDays: 28, sensitivity: 0.7115, falseAlertsPerPatientYear: 0.325, medianWarningDays: 2.51 },
  { h: 5, k: 0.5, weight: 0.3, systolic: 0.3, baselineDays: 28, sensitivity: 0.813, falseAlertsPerPatientYear: 1.899, medianWarningDays: 3.42 },
  { h: 5, k: 0.75, weight: 0.3, systolic: 0.3, baselineDays: 28, sensitivity: 0.7265, falseAlertsPerPatientYear: 0.519, medianWarningDays: 2.75 },
  { h: 5, k: 1, weight: 0.3, systolic: 0.3, baselineDays: 28, sensitivity: 0.6197, falseAlertsPerPatientYear: 0.136, medianWarningDays: 2.18 },
  { h: 6, k: 0.5, weight: 0.3, systolic: 0.3, baselineDays: 28, sensitivity: 0.7628, falseAlertsPerPatientYear: 1.011, medianWarningDays: 2.86 },
  { h: 6, k: 0.75, weight: 0.3, systolic: 0.3, baselineDays: 28, sensitivity: 0.6474, falseAlertsPerPatientYear: 0.252, medianWarningDays: 2.26 },
  { h: 6, k: 1, weight: 0.3, systolic: 0.3, baselineDays: 28, sensitivity: 0.5598, falseAlertsPerPatientYear: 0.082, medianWarningDays: 1.93 },
  { h: 7, k: 0.5, weight: 0.3, systolic: 0.3, baselineDays: 28, sensitivity: 0.6934, falseAlertsPerPatientYear: 0.546, medianWarningDays: 2.62 },
  { h: 7, k: 0.75, weight: 0.3, systolic: 0.3, baselineDays: 28, sensitivity: 0.5951, falseAlertsPerPatientYear: 0.123, medianWarningDays: 2.12 },
  { h: 7, k: 1, weight: 0.3, systolic: 0.3, baselineDays: 28, sensitivity: 0.4797, falseAlertsPerPatientYear: 0.048, medianWarningDays: 1.76 },
  { h: 5, k: 0.75, weight: 0, systolic: 0, baselineDays: 28, sensitivity: 0.6624, falseAlertsPerPatientYear: 0.288, medianWarningDays: 2.46 },
  { h: 5, k: 0.75, weight: 0, systolic: 0.3, baselineDays: 28, sensitivity: 0.6784, falseAlertsPerPatientYear: 0.291, medianWarningDays: 2.43 },
  { h: 5, k: 0.75, weight: 0.6, systolic: 0, baselineDays: 28, sensitivity: 0.7329, falseAlertsPerPatientYear: 1.39, medianWarningDays: 2.94 },
  { h: 5, k: 0.75, weight: 0.6, systolic: 0.3, baselineDays: 28, sensitivity: 0.75, falseAlertsPerPatientYear: 1.318, medianWarningDays: 2.88 },
  { h: 5, k: 0.75, weight: 1, systolic: 0, baselineDays: 28, sensitivity: 0.7222, falseAlertsPerPatientYear: 3.161, medianWarningDays: 3.31 },
  { h: 5, k: 0.75, weight: 1, systolic: 0.3, baselineDays: 28, sensitivity: 0.7233, falseAlertsPerPatientYear: 3.067, medianWarningDays: 3.31 },
  { h: 5, k: 0.75, weight: 0.3, systolic: 0.3, baselineDays: 14, sensitivity: 0.7201, falseAlertsPerPatientYear: 0.624, medianWarningDays: 2.73 },
  { h: 5, k: 0.75, weight: 0.3, systolic: 0.3, baselineDays: 42, sensitivity: 0.7115, falseAlertsPerPatientYear: 0.453, medianWarningDays: 2.65 },
];

/** The curve's point for `plan`'s score setting, or null when it is not one. */
export function cohortFigures(plan: ResolvedPlan): CohortFigures | null {
  const s = plan.personal.score;
  const w = SWEPT_WITH;
  const same =
    s.replacesRules === w.replacesRules &&
    s.excludeRecentDays === w.excludeRecentDays &&
    s.minBaselineDays === w.minBaselineDays &&
    s.runDays === w.runDays &&
    s.clip === w.clip &&
    s.weights.pulse === w.pulse &&
    s.weights.spo2 === w.spo2 &&
    s.sdFloor.weight === w.sdFloor.weight &&
    s.sdFloor.pulse === w.sdFloor.pulse &&
    s.sdFloor.spo2 === w.sdFloor.spo2 &&
    s.sdFloor.systolic === w.sdFloor.systolic;
  if (!same) return null;
  const p = POINTS.find(
    (x) =>
      x.h === s.h &&
      x.k === s.k &&
      x.weight === s.weights.weight &&
      x.systolic === s.weights.systolic &&
      x.baselineDays === s.baselineDays,
  );
  if (!p) return null;
  return {
    sensitivity: p.sensitivity,
    falseAlertsPerPatientYear: p.falseAlertsPerPatientYear,
    medianWarningDays: p.medianWarningDays,
    ...COHORTS,
  };
}

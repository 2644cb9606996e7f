// Issue 19's measurement discipline: "Tune on seeds 1-5; report on seeds 6-10, never tuned on."
// `--sweep --seeds 1-5 --held-out 6-10` chooses each detector's best points on the tuning seeds
// (sweep.ts), then scores exactly those settings (not chosen again) on the held-out seeds, and
// checks what pages a nurse under the default plan on the held-out seeds against the targets.
import type { RuleScore } from './score.js';
import type { CurvePoint, SweepReport } from './sweep.js';
import type { SweepDetector } from './sweepGrid.js';
import { paramsText } from './sweepReport.js';

/** Issue 19's targets for what pages a nurse (held-out seeds, 500 patients x 180 days each). */
export const TARGETS = {
  /** HeartPhone's sensitivity. */
  sensitivity: 0.82,
  falseAlertsPerPatientYear: 1.0,
  medianWarningDays: 3,
  /** No detector loses more sensitivity than this (points) from tuning to held-out seeds. */
  maxLossPoints: 5,
} as const;

/** Only the grid points some budget chose on the tuning seeds: all a held-out run scores. */
export function chosenGrid(tuning: SweepReport, grid: readonly SweepDetector[]): SweepDetector[] {
  return grid.map((det) => {
    const d = tuning.detectors.find((x) => x.key === det.key);
    const chosen = new Set(
      (d?.best ?? []).flatMap((b) => (b.point ? [paramsText(b.point.params)] : [])),
    );
    return { ...det, points: det.points.filter((p) => chosen.has(paramsText(p.params))) };
  });
}

export interface HeldOutRow {
  key: string;
  label: string;
  maxFalseAlertsPerPatientYear: number;
  /** The setting chosen on the tuning seeds; null when no point was within the budget. */
  params: CurvePoint['params'] | null;
  tuning: CurvePoint | null;
  heldOut: CurvePoint | null;
  /** Held-out minus tuning sensitivity, in percentage points. */
  differencePoints: number | null;
  /** True when the held-out sensitivity is more than TARGETS.maxLossPoints lower. */
  lossOverLimit: boolean;
}

/** Per detector and budget: the tuning seeds' best point and the same setting held out. */
export function heldOutRows(tuning: SweepReport, heldOut: SweepReport): HeldOutRow[] {
  return tuning.detectors.flatMap((d) =>
    d.best.map(({ maxFalseAlertsPerPatientYear, point }): HeldOutRow => {
      const key = point ? paramsText(point.params) : null;
      const held =
        heldOut.detectors
          .find((x) => x.key === d.key)
          ?.curve.find((p) => paramsText(p.params) === key) ?? null;
      const differencePoints =
        point?.sensitivity != null && held?.sensitivity != null
          ? (held.sensitivity - point.sensitivity) * 100
          : null;
      return {
        key: d.key,
        label: d.label,
        maxFalseAlertsPerPatientYear,
        params: point?.params ?? null,
        tuning: point,
        heldOut: held,
        differencePoints,
        lossOverLimit: differencePoints !== null && -differencePoints > TARGETS.maxLossPoints,
      };
    }),
  );
}

export interface TargetCheck {
  target: 'sensitivity' | 'falseAlertsPerPatientYear' | 'medianWarningDays';
  /** 'min': the value must reach the goal; 'max': it must not exceed it. */
  kind: 'min' | 'max';
  goal: number;
  value: number | null;
  met: boolean;
  /** How far past the goal (positive: met with room; negative: short by), in the goal's units. */
  margin: number | null;
}

/** What pages a nurse against the targets. */
export function checkTargets(
  paging: Pick<RuleScore, 'sensitivity' | 'falseAlertsPerPatientYear' | 'medianWarningDays'>,
): TargetCheck[] {
  const check = (
    target: TargetCheck['target'],
    kind: TargetCheck['kind'],
    goal: number,
    value: number | null,
  ): TargetCheck => {
    const margin = value === null ? null : kind === 'min' ? value - goal : goal - value;
    return { target, kind, goal, value, met: margin !== null && margin >= 0, margin };
  };
  return [
    check('sensitivity', 'min', TARGETS.sensitivity, paging.sensitivity),
    check(
      'falseAlertsPerPatientYear',
      'max',
      TARGETS.falseAlertsPerPatientYear,
      paging.falseAlertsPerPatientYear,
    ),
    check('medianWarningDays', 'min', TARGETS.medianWarningDays, paging.medianWarningDays),
  ];
}

export interface HeldOutReport {
  tuningSeeds: number[];
  heldOutSeeds: number[];
  rows: HeldOutRow[];
  /** What pages a nurse (every rule that fired) under the default plan, on the held-out seeds. */
  paging: RuleScore;
  /** The heart-failure detectors alone (the report's rows as one), for comparison. */
  heartFailure: RuleScore;
  targets: TargetCheck[];
  /** The held-out cohort, as the sweep describes it. */
  cohort: SweepReport['cohort'];
  runtimeMs: number;
}

// What the weight chart draws behind the weights: the personal baseline and the limits the
// weight rules judge by, so that a nurse sees why an alert came (or did not). Pure.
import type { ResolvedPlan } from '../plans/plan.js';
import { dailyFirstWeights } from './localDay.js';
import { deviation } from './personal.js';
import type { RuleReading } from './types.js';

export interface WeightReference {
  baseline: { mean: number; sd: number; from: string; to: string } | null;
  lines: { label: { sv: string; en: string }; value: number }[];
}

/** How many days of weights the reference needs before the chart's end. */
export function weightReferenceDays(plan: ResolvedPlan): number {
  const p = plan.personal;
  return p.baselineDays + p.excludeRecentDays + p.consecutive + 2;
}

/** The reference at the last of `weights` (the patient's weighings, oldest first). */
export function weightReferenceOf(weights: RuleReading[], plan: ResolvedPlan): WeightReference {
  const p = plan.personal;
  const daily = dailyFirstWeights(weights, plan.timeZone).map((w) => ({
    day: w.day,
    value: w.kg,
    readings: [w.reading],
  }));
  const d = deviation(daily, 'up', p.weight.kUp, p.weight.sdFloor, p);
  const baseline = d
    ? { mean: d.mean, sd: d.sd, from: d.baseline[0]!.day, to: d.baseline.at(-1)!.day }
    : null;
  const lines: WeightReference['lines'] = [];
  if (baseline) {
    lines.push({
      label: { sv: 'Baslinje + gräns för 3 dygn', en: 'Baseline + 3-day gain limit' },
      value: baseline.mean + plan.weight.gain3dKg,
    });
  }
  const dry = plan.weight.dryWeightKg;
  if (dry !== undefined) {
    const tol = plan.weight.dryWeightToleranceKg;
    lines.push(
      { label: { sv: 'Torrvikt - tolerans', en: 'Dry weight - tolerance' }, value: dry - tol },
      { label: { sv: 'Torrvikt + tolerans', en: 'Dry weight + tolerance' }, value: dry + tol },
    );
  }
  return { baseline, lines };
}

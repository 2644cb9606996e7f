// The held-out check as a person reads it (heldOut.ts): per detector and budget, the setting
// chosen on the tuning seeds, its scores there and on the held-out seeds and the difference;
// then what pages a nurse about heart failure on the held-out seeds against issue 19's targets.
import { TARGETS, type HeldOutReport, type HeldOutRow, type TargetCheck } from './heldOut.js';
import type { RuleScore } from './score.js';
import type { CurvePoint } from './sweep.js';
import { seedsText } from './seedList.js';
import { paramsText } from './sweepReport.js';
import { score as jsonScore } from './report.js';

const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? 'n/a' : `${(v * 100).toFixed(1)} %`;
const score = (p: CurvePoint | null) =>
  p === null
    ? 'n/a'
    : `${pct(p.sensitivity)} (${p.detected}/${p.episodes}), ${p.falseAlertsPerPatientYear.toFixed(2)}`;

const scoreText = (s: RuleScore) =>
  `sensitivity ${pct(s.sensitivity)} (${s.detected}/${s.episodes}), ` +
  `${s.falseAlertsPerPatientYear.toFixed(2)} false alerts/pt-yr, median warning ` +
  (s.medianWarningDays === null ? 'n/a' : `${s.medianWarningDays.toFixed(1)} d`);

const COLUMNS = ['Detector', 'Budget', 'Setting (chosen on tuning)', 'Tuning', 'Held-out', 'Diff'];

function cells(r: HeldOutRow): string[] {
  return [
    r.label,
    `<= ${r.maxFalseAlertsPerPatientYear}`,
    r.params === null ? 'none within the budget' : paramsText(r.params),
    score(r.tuning),
    score(r.heldOut),
    r.differencePoints === null
      ? 'n/a'
      : `${r.differencePoints >= 0 ? '+' : ''}${r.differencePoints.toFixed(1)} pts${r.lossOverLimit ? ' LOSS > 5' : ''}`,
  ];
}

const TARGET_TEXT: Record<TargetCheck['target'], (v: number) => string> = {
  sensitivity: (v) => `${(v * 100).toFixed(1)} %`,
  falseAlertsPerPatientYear: (v) => `${v.toFixed(2)} false alerts/pt-yr`,
  medianWarningDays: (v) => `${v.toFixed(1)} d median warning`,
};

export function targetText(t: TargetCheck): string {
  const f = TARGET_TEXT[t.target];
  const goal = `${t.kind === 'min' ? '>=' : '<='} ${f(t.goal)}`;
  if (t.value === null || t.margin === null) return `${goal}: n/a (not met)`;
  const by =
    t.target === 'sensitivity'
      ? `${(Math.abs(t.margin) * 100).toFixed(1)} points`
      : t.target === 'falseAlertsPerPatientYear'
        ? `${Math.abs(t.margin).toFixed(2)} a patient-year`
        : `${Math.abs(t.margin).toFixed(1)} days`;
  const miss = t.kind === 'max' ? `not met, over by ${by}` : `not met, short by ${by}`;
  return `${goal}: ${f(t.value)}, ${t.met ? `met with ${by} to spare` : miss}`;
}

export function formatHeldOut(h: HeldOutReport): string {
  const rows = h.rows.map(cells);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const line = (cs: readonly string[]) =>
    cs.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const c = h.cohort;
  const losses = h.rows.filter((r) => r.lossOverLimit);
  return [
    `Tuning (${seedsText(h.tuningSeeds)}) against held-out (${seedsText(h.heldOutSeeds)}, never tuned on): ` +
      `${c.patients} patients x ${c.days} days (${c.patientYears.toFixed(1)} patient-years), ` +
      `${c.decompensations} decompensations held out`,
    'Each cell: sensitivity (detected/episodes), false alerts per patient-year. Diff: held-out minus tuning sensitivity.',
    '',
    line(COLUMNS),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    '',
    losses.length
      ? `Losing more than ${TARGETS.maxLossPoints} points held out: ${losses.map((r) => `${r.label} (<= ${r.maxFalseAlertsPerPatientYear})`).join('; ')}`
      : `No detector loses more than ${TARGETS.maxLossPoints} points held out.`,
    '',
    `What pages a nurse about heart failure (the default heart-failure detectors as one) on the held-out seeds: ${scoreText(h.heartFailure)}`,
    ...h.targets.map((t) => `  target ${targetText(t)}`),
    `  (every rule the hub pages on, default plan: ${scoreText(h.paging)})`,
    `Held-out runtime ${(h.runtimeMs / 1000).toFixed(1)} s wall.`,
  ].join('\n');
}

/** The held-out check as `--json` prints it (beside the tuning sweep). */
export const heldOutJson = (h: HeldOutReport) => ({
  ...h,
  paging: jsonScore(h.paging),
  heartFailure: jsonScore(h.heartFailure),
  maxLossPoints: TARGETS.maxLossPoints,
});

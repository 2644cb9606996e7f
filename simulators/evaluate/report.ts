// The alert-quality report as a person reads it: the cohort, a check of the model against
// TEN-HMS, then one line per rule with the published figures it corresponds to beneath it.
import type { PublishedFigure } from './comparisons.js';
import type { EvaluationReport, MeanSd } from './evaluateCohort.js';
import type { RuleScore } from './score.js';
import { seedsText } from './seedList.js';

const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? 'n/a' : `${Math.round(v * 100)} %`;
const num = (v: number | null, decimals = 1) => (v === null ? 'n/a' : v.toFixed(decimals));
const kg = (m: MeanSd) =>
  m.mean === null
    ? 'n/a'
    : `${m.mean >= 0 ? '+' : ''}${m.mean.toFixed(2)} +/- ${num(m.sd, 2)} kg (n=${m.n})`;

const COLUMNS = [
  'Rule',
  'Sensitivity',
  'Median warning',
  'False alerts/pt-yr',
  'In infections/pt-yr',
  'PPV',
] as const;

function cells(label: string, s: RuleScore): string[] {
  return [
    label,
    `${pct(s.sensitivity)} (${s.detected}/${s.episodes})`,
    s.medianWarningDays === null ? 'n/a' : `${s.medianWarningDays.toFixed(1)} d`,
    s.falseAlertsPerPatientYear.toFixed(2),
    s.otherEpisodeAlertsPerPatientYear.toFixed(2),
    pct(s.ppv),
  ];
}

function published(f: PublishedFigure): string {
  const parts = [
    f.sensitivity !== undefined ? `sensitivity ${pct(f.sensitivity)}` : '',
    f.falseAlertRate !== undefined ? `false-alert rate ${pct(f.falseAlertRate)}` : '',
    f.ppv !== undefined ? `PPV ${pct(f.ppv)}` : '',
  ].filter(Boolean);
  return `    published: ${f.source}: ${parts.join(', ')}`;
}

function table(rows: Array<{ cells: string[]; notes: string[] }>): string[] {
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r.cells[i]!.length)));
  const line = (cs: readonly string[]) =>
    cs.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [line(COLUMNS), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of rows) out.push(line(r.cells), ...r.notes);
  return out;
}

/** A score as `--json` prints it. */
export interface Score {
  /** Share of decompensations detected (0..1); null when the cohort has none. */
  sensitivity: number | null;
  episodes: number;
  detected: number;
  medianWarningDays: number | null;
  falseAlertsPerPatientYear: number;
  /** Share of alerts that open during a decompensation; null without alerts. */
  ppv: number | null;
}

/** A rule's score as `--json` gives it (the issue's `Score`). */
export const score = (s: RuleScore): Score => ({
  sensitivity: s.sensitivity,
  episodes: s.episodes,
  detected: s.detected,
  medianWarningDays: s.medianWarningDays,
  falseAlertsPerPatientYear: s.falseAlertsPerPatientYear,
  ppv: s.ppv,
});

/** `--json`: every rule that fired, scored alone, and all that pages a nurse as one. */
export function scoresJson(r: EvaluationReport): { rules: Record<string, Score>; paging: Score } {
  return {
    rules: Object.fromEntries(Object.entries(r.byRule).map(([rule, s]) => [rule, score(s)])),
    paging: score(r.paging),
  };
}

export function formatReport(r: EvaluationReport): string {
  const c = r.cohort;
  const rates = c.publishedEpisodeRates
    .map((p) => `${p.source} ${p.perPatientYear.toFixed(2)}`)
    .join('; ');
  const w = r.weightChange14d;
  const simulated = c.source === null;
  const lines = [
    simulated
      ? `Alert quality on a simulated heart-failure cohort (${c.seeds ? `${seedsText(c.seeds)}, pooled` : `seed ${c.seed}`})`
      : `Alert quality on the cohort in ${c.source} (scored from ${c.start})`,
    `cohort: ${c.patients} patients (${c.decompensatingPatients} ${simulated ? 'decompensating profile' : 'with a decompensation'}), ${c.days} days scored after ${c.warmUpDays} days of warm-up, ${c.patientYears.toFixed(1)} patient-years, ${c.readings} readings`,
    `episodes: ${c.decompensations} decompensations (${c.decompensationsPerPatientYear.toFixed(2)} per patient-year; published: ${rates}); ${c.infections} ${simulated ? 'infections' : 'other deteriorations'}`,
    `weight change over the 14 days before the peak: ${kg(w.beforePeak)}; published (TEN-HMS, Zhang 2009): +${w.published.beforeWorseningHf.mean} +/- ${w.published.beforeWorseningHf.sd} kg`,
    `weight change over 14 episode-free days: ${kg(w.background)}; published before other admissions: ${w.published.beforeOtherAdmission.mean} +/- ${w.published.beforeOtherAdmission.sd} kg`,
    '',
    'Sensitivity: episodes with a finding between start and peak. Warning: peak minus first such finding.',
    'Alerts: runs of days with findings. False: opening outside every episode of the truth; in infections: during one',
    '(a deterioration, not heart failure). PPV: alerts opening during a decompensation / all alerts.',
    '',
    ...table([
      ...r.rows.map((row) => ({
        cells: cells(row.label, row.score),
        notes: row.published.map(published),
      })),
      {
        cells: cells('What pages a nurse about heart failure (the rows as one)', r.heartFailure),
        notes: [],
      },
      { cells: cells('All that pages a nurse (every rule)', r.paging), notes: [] },
    ]),
  ];
  if (r.otherRules.length) {
    lines.push('', 'Other rules that fired (not heart-failure specific):');
    lines.push(...table(r.otherRules.map((o) => ({ cells: cells(o.rule, o.score), notes: [] }))));
  }
  lines.push(
    '',
    'Published figures and their citations: docs/clinical-evidence.md section 1.6; their denominators and operating points differ from this model (see docs/simulation.md).',
    `runtime: ${(r.runtimeMs / 1000).toFixed(1)} s`,
  );
  return lines.join('\n');
}

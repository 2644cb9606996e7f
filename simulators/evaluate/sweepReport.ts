// A sweep as a person reads it: per detector, its operating curve (one line per grid point, by
// false alerts per patient-year) and the most sensitive point within 1 and 2 false alerts.
import { seedsText } from './seedList.js';
import { BUDGETS, type CurvePoint, type SweepReport } from './sweep.js';

const pct = (v: number | null) => (v === null ? 'n/a' : `${Math.round(v * 100)} %`);

export const paramsText = (p: CurvePoint['params']) =>
  Object.entries(p)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

const COLUMNS = ['Parameters', 'Sensitivity', 'False alerts/pt-yr', 'Median warning', 'PPV'];

function cells(p: CurvePoint): string[] {
  return [
    paramsText(p.params),
    `${pct(p.sensitivity)} (${p.detected}/${p.episodes})`,
    p.falseAlertsPerPatientYear.toFixed(2),
    p.medianWarningDays === null ? 'n/a' : `${p.medianWarningDays.toFixed(1)} d`,
    pct(p.ppv),
  ];
}

function table(rows: string[][]): string[] {
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const line = (cs: readonly string[]) =>
    cs.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(COLUMNS), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

/** The best point within `max` false alerts per patient-year, as one line. */
export function bestText(max: number, p: CurvePoint | null): string {
  if (p === null)
    return `best at <= ${max} false alert(s)/pt-yr: none reaches it (no setting within it detects an episode)`;
  const warning = p.medianWarningDays === null ? 'n/a' : `${p.medianWarningDays.toFixed(1)} d`;
  return (
    `best at <= ${max} false alert(s)/pt-yr: ${paramsText(p.params)}: sensitivity ` +
    `${pct(p.sensitivity)}, ${p.falseAlertsPerPatientYear.toFixed(2)} false alerts/pt-yr, ` +
    `median warning ${warning}`
  );
}

export function formatSweep(r: SweepReport): string {
  const c = r.cohort;
  const from = c.source ?? (c.seeds ? seedsText(c.seeds) : `seed ${c.seed}`);
  const out = [
    `Operating curves (${from}): ${c.patients} patients x ${c.days} days ` +
      `(${c.patientYears.toFixed(1)} patient-years), ${c.decompensations} decompensations; ` +
      `${r.points} grid points`,
    '',
  ];
  for (const d of r.detectors) {
    out.push(`${d.label} (${d.rules.join(', ')})`, ...table(d.curve.map(cells)));
    for (const b of d.best) out.push(`  ${bestText(b.maxFalseAlertsPerPatientYear, b.point)}`);
    out.push('');
  }
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  out.push(
    `Runtime ${s(r.runtimeMs)} wall. CPU over all threads: readings made once ${s(r.generateMs)}, ` +
      `rules replayed ${s(r.replayMs)} (${r.points} points; making the readings again for each ` +
      `point would add about ${s(r.generateMs * (r.points - 1))}).`,
  );
  return out.join('\n');
}

/** The sweep as `--json` prints it. */
export const sweepJson = (r: SweepReport) => ({ ...r, budgets: BUDGETS });

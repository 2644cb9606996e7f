// A finding's threshold as a chart draws it: its unit, and the lines it puts on the readings'
// chart (a weight-change rule's limit drawn from the weight it is measured from, a dry weight's
// tolerance, each pressure's edge). Pure: from the finding as stored, whatever its age.
import type { ThresholdLine } from '../../contract/alerts.js';
import { units, type ReadingType } from '../../devices/contract.js';
import type { Finding } from '../shapes/finding.js';

/** The canonical unit of a reading type (UCUM); null for a consciousness level. */
export function canonicalUnit(type: ReadingType): string | null {
  if (type === 'blood_pressure') return 'mm[Hg]';
  if (type === 'consciousness') return null;
  return units[type].canonical;
}

type Field = ThresholdLine['field'];
/** Where each signal of the personal detector and the heart-failure score is read. */
const SIGNALS: Record<string, { type: ReadingType; field: Field; unit: string }> = {
  weight: { type: 'body_weight', field: 'value', unit: 'kg' },
  pulse: { type: 'heart_rate', field: 'value', unit: '/min' },
  systolic: { type: 'blood_pressure', field: 'systolic', unit: 'mm[Hg]' },
  spo2: { type: 'spo2', field: 'value', unit: '%' },
};

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function thresholdView(f: Partial<Finding>): {
  unit: string | null;
  lines: ThresholdLine[];
} {
  const rule = f.rule ?? '';
  const t = f.threshold?.value;
  const num = isNumber(t) ? t : null;
  const named = typeof t === 'object' && t !== null ? t : {};
  const readings = f.readings ?? [];
  const lines: ThresholdLine[] = [];
  const line = (type: ReadingType, field: Field, value: unknown, unit: string, of = rule) => {
    if (isNumber(value)) lines.push({ rule: of, type, field, value, unit });
  };
  /** A signal's line; a pulse read from blood-pressure readings is their `pulse`. */
  const signalLine = (signal: string, value: unknown, of: string) => {
    const s = SIGNALS[signal];
    if (!s) return;
    const bpPulse =
      signal === 'pulse' && !readings.some((r) => r.type === 'heart_rate') && readings.length > 0;
    if (bpPulse) line('blood_pressure', 'pulse', value, s.unit, of);
    else line(s.type, s.field, value, s.unit, of);
  };

  if (rule.startsWith('weight.')) {
    const base = f.values?.baseline;
    if (/^weight\.(gain|loss)_\d+d$/.test(rule) && isNumber(base) && num !== null) {
      // a change from the weight it is measured from: the limit above (gain) or below (loss) it
      line('body_weight', 'value', rule.includes('gain') ? base + num : base - num, 'kg');
    }
    const { dryWeightKg: dry, toleranceKg: tol } = named as Record<string, number>;
    if (isNumber(dry) && isNumber(tol)) {
      line('body_weight', 'value', rule.includes('above') ? dry + tol : dry - tol, 'kg');
    }
    return { unit: 'kg', lines };
  }
  if (rule.startsWith('bp.')) {
    if (num !== null) line('blood_pressure', 'systolic', num, 'mm[Hg]');
    line('blood_pressure', 'systolic', (named as Record<string, number>).systolic, 'mm[Hg]');
    line('blood_pressure', 'diastolic', (named as Record<string, number>).diastolic, 'mm[Hg]');
    return { unit: 'mm[Hg]', lines };
  }
  if (rule === 'personal.combined') {
    // each signal's own limit: several units
    for (const [of, limit] of Object.entries(named)) {
      signalLine(/^personal\.([a-z]+)_/.exec(of)?.[1] ?? '', limit, of);
    }
    return { unit: null, lines };
  }
  if (rule === 'personal.score') {
    // no limit in a reading's unit: each signal's own level, the baseline it was judged against
    for (const signal of Object.keys(SIGNALS)) {
      signalLine(signal, f.values?.[`${signal}Baseline`], rule);
    }
    return { unit: null, lines };
  }
  const signal = /^personal\.([a-z]+)_(up|down)$/.exec(rule)?.[1];
  if (signal) {
    signalLine(signal, (named as Record<string, number>).limit, rule);
    return { unit: SIGNALS[signal]?.unit ?? null, lines };
  }
  // a single vital sign judged against a number
  const type = readings[0]?.type;
  const unit = type ? canonicalUnit(type) : null;
  if (type && unit && num !== null) line(type, 'value', num, unit);
  return { unit: num !== null ? unit : null, lines };
}

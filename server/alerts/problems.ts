// One card per patient and problem (issue 18, item 2). The rules judge the same measurement in
// several ways: five weight rules (1-day, 3-day, MACD, personal baseline, dry weight) can all fire
// on one heart-failure patient's gain, and a nurse who sees four weight cards, "ökat" beside
// "minskat", stops trusting the list. So an alert is kept per patient and *problem*: every rule of
// one problem that fires adds itself to the problem's open alert ("these rules agree"), and a
// finding in the opposite direction replaces the ones it contradicts instead of standing beside
// them. Pure: the lifecycle stores what these say.
import type { Finding } from '../shapes/finding.js';

/** What a rule is about: the readings one nurse's judgement covers. */
export type Problem = string;
export type Direction = 'up' | 'down';

/**
 * The problem of a rule: the measured quantity for the threshold and trend rules, so that
 * `weight.gain_3d`, `weight.macd` and `personal.weight_up` are one weight problem and
 * `bp.very_high` and `personal.systolic_up` one blood-pressure problem. NEWS2 and the combined
 * personal finding judge several signals together and stay problems of their own; so do the
 * missed measurements (one per type), the failed rule evaluation and the on-call notice.
 * Kept in step with migration 013, which grouped the alerts stored before.
 */
export function problemOf(rule: string): Problem {
  const [family, name = ''] = rule.split('.', 2);
  switch (family) {
    case 'weight':
      return 'weight';
    case 'bp':
      return 'blood_pressure';
    case 'pulse':
    case 'spo2':
    case 'temperature':
    case 'glucose':
    case 'respiratory_rate':
    case 'consciousness':
      return family;
    case 'personal':
      if (name.startsWith('weight_')) return 'weight';
      if (name.startsWith('systolic_')) return 'blood_pressure';
      if (name.startsWith('pulse_')) return 'pulse';
      return rule;
    default:
      return rule;
  }
}

const UP = /(^|_)(gain|up|high|very_high|high_average|fever|high_fever|above_dry_weight)$|^macd$/;
const DOWN = /(^|_)(loss|down|low|very_low|below_dry_weight)$|^macd_loss$/;

/**
 * Which way a rule says the value has gone: a gain, a rise or a high value is 'up', a loss, a
 * fall or a low value 'down'; null where there is no direction (NEWS2, a missed measurement).
 * Within a problem, findings of opposite directions contradict each other.
 */
export function directionOf(rule: string): Direction | null {
  const name = rule.split('.').slice(1).join('.');
  const base = name.replace(/_\d+d$/, ''); // weight.gain_3d -> gain
  if (DOWN.test(base)) return 'down';
  if (UP.test(base)) return 'up';
  return null;
}

/** The value a finding is about, for "vikt 105,0 -> 105,8 kg" in the alert's history. */
export interface ProblemValue {
  /** What was measured: a reading type, or `news2` and `hf_score` for a score. */
  type: string;
  value?: number;
  systolic?: number;
  diastolic?: number;
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const PERSONAL_SIGNAL: Record<string, string> = {
  weight: 'body_weight',
  systolic: 'systolic',
  pulse: 'heart_rate',
};

/**
 * The finding's latest value: `latest` of the weight and personal rules, the blood pressure
 * (one reading or an average), a vital sign's value, the NEWS2 total. Null when it names none
 * (a missed measurement).
 */
export function valueOf(f: Pick<Finding, 'rule' | 'values'>): ProblemValue | null {
  const v = f.values;
  const [family, name = ''] = f.rule.split('.', 2);
  if (family === 'news2') return num(v.total) ? { type: 'news2', value: v.total } : null;
  // the heart-failure score judges several signals: its value is the score itself
  if (f.rule === 'personal.score')
    return num(v.score) ? { type: 'hf_score', value: v.score } : null;
  if (num(v.systolic) && num(v.diastolic) && family === 'bp') {
    return { type: 'blood_pressure', systolic: v.systolic, diastolic: v.diastolic };
  }
  if (num(v.averageSystolic) && num(v.averageDiastolic)) {
    return { type: 'blood_pressure', systolic: v.averageSystolic, diastolic: v.averageDiastolic };
  }
  if (num(v.latest)) {
    const type =
      family === 'personal'
        ? (PERSONAL_SIGNAL[name.split('_')[0]!] ?? family)
        : family === 'weight'
          ? 'body_weight'
          : family!;
    return { type, value: v.latest };
  }
  const numeric = Object.entries(v).filter(([, x]) => num(x));
  if (numeric.length === 1) return { type: numeric[0]![0], value: numeric[0]![1] as number };
  return null;
}

/** A finding as an alert keeps it: with its problem, direction and value, which the SQL reads. */
export type StoredFinding = Finding & {
  problem: Problem;
  direction: Direction | null;
  value: ProblemValue | null;
};

export const storedFinding = (f: Finding): StoredFinding => ({
  ...f,
  problem: problemOf(f.rule),
  direction: directionOf(f.rule),
  value: valueOf(f),
});

// The heart-failure score's arithmetic (server/rules/personalScore.ts makes findings of it): a
// multi-signal statistical-process-control chart on the patient's own daily values.
//
// Each day, each signal's value becomes a z-score against the patient's own trailing baseline
// (the `baselineDays` calendar days ending `excludeRecentDays` before it: mean, and the sample
// SD but never below the signal's floor), signed so that worse is positive: weight up, resting
// pulse up, SpO2 down, systolic pressure down; z is clipped at +/- `clip` so that one wild
// reading cannot page alone. The day's score is the weighted sum of the z of the signals
// measured that day over the root of the summed squared weights of every signal the patient has
// a baseline of (one not measured that day counts as its own mean), so that on a stable day it
// stays ~N(0, 1) whichever signals the patient measures. A one-sided CUSUM (Page, Biometrika
// 1954) accumulates the days' scores over the last `runDays` days, less the reference `k` each
// day: C = max(0, C + score - k); it pages when C exceeds the decision interval `h`. A CUSUM
// finds a small sustained shift soonest for a given false-alarm rate (Moustakides, Ann Stat
// 1986), which is what a decompensation building over one to three weeks is. Resting pulse and
// SpO2 count most by default, weight and systolic pressure less (EHJ Digital Health 2023: heart
// rate PPV 92 % against weight's 16 %; the weights are chosen on the simulated cohorts'
// curves, docs/simulation.md). Sources: docs/clinical-evidence.md.
//
// Pure and allocation-light: it runs for each weight, pressure, pulse and SpO2 reading.
import type { PersonalSettings } from '../../contract/plan.js';
import { dayNumber } from './localDay.js';

export const SCORE_SIGNALS = ['weight', 'pulse', 'spo2', 'systolic'] as const;
export type ScoreSignal = (typeof SCORE_SIGNALS)[number];

/** Which way is worse for heart failure: +1 a rise, -1 a fall. */
export const WORSE: Record<ScoreSignal, 1 | -1> = { weight: 1, pulse: 1, spo2: -1, systolic: -1 };

/** The score's settings (contract/plan.ts `personal.score`), what the arithmetic reads of them. */
export type ScoreSettings = Omit<PersonalSettings['score'], 'replacesRules'>;

/** One signal's daily values: day numbers ascending, one value each. */
export interface ScoreSeries {
  days: readonly number[];
  values: readonly number[];
}

/** One signal's part in one day's score. */
export interface ScorePart {
  signal: ScoreSignal;
  value: number;
  mean: number;
  /** The SD used: max(sample SD, floor). */
  sd: number;
  /** Signed so that worse is positive, clipped. */
  z: number;
  baselineDays: number;
}

export interface ScoreDay {
  day: number;
  score: number;
  /** The CUSUM after this day. */
  cusum: number;
  /** The signals measured that day (with a baseline). */
  parts: ScorePart[];
  /** Root of the summed squared weights of the signals with a baseline: the day's divisor. */
  norm: number;
}

/** Prefix sums of a series' values and squares, for any baseline's mean and SD in O(log n). */
interface Prefixed extends ScoreSeries {
  sum: Float64Array;
  squares: Float64Array;
}

function prefixed(s: ScoreSeries): Prefixed {
  const n = s.values.length;
  const sum = new Float64Array(n + 1);
  const squares = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const v = s.values[i]!;
    sum[i + 1] = sum[i]! + v;
    squares[i + 1] = squares[i]! + v * v;
  }
  return { ...s, sum, squares };
}

/** The first index whose day is `day` or later. */
function firstFrom(days: readonly number[], day: number): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (days[mid]! < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A signal's baseline before `day`: mean, SD used and count; null when too short. */
function baselineBefore(
  signal: ScoreSignal,
  p: Prefixed,
  day: number,
  s: ScoreSettings,
): { mean: number; sd: number; n: number } | null {
  const end = day - s.excludeRecentDays; // exclusive
  const from = firstFrom(p.days, end - s.baselineDays);
  const to = firstFrom(p.days, end);
  const n = to - from;
  if (n < s.minBaselineDays || n < 2) return null;
  const mean = (p.sum[to]! - p.sum[from]!) / n;
  const variance = Math.max(0, (p.squares[to]! - p.squares[from]! - n * mean * mean) / (n - 1));
  return { mean, sd: Math.max(Math.sqrt(variance), s.sdFloor[signal]), n };
}

/**
 * The score of each day of the last `runDays` days up to `today` (a day number) on which a
 * signal with a baseline was measured, and the CUSUM through them. Signals of weight 0 are left
 * out. A day's score divides by the weights of every signal that has a baseline that day,
 * measured or not: a signal not (yet) measured counts as its own mean, so that a morning's
 * weighing alone says only its share of the day (weight 0.3 of pulse's 1), not the whole.
 */
export function scoreDays(
  series: Partial<Record<ScoreSignal, ScoreSeries>>,
  today: number,
  s: ScoreSettings,
): ScoreDay[] {
  const first = today - s.runDays + 1;
  const used: Array<[ScoreSignal, Prefixed]> = [];
  const days = new Set<number>();
  for (const signal of SCORE_SIGNALS) {
    const raw = series[signal];
    if (!raw || s.weights[signal] <= 0 || raw.days.length === 0) continue;
    const p = prefixed(raw);
    used.push([signal, p]);
    for (let i = firstFrom(p.days, first); i < p.days.length && p.days[i]! <= today; i++)
      days.add(p.days[i]!);
  }
  let cusum = 0;
  const out: ScoreDay[] = [];
  for (const day of [...days].sort((a, b) => a - b)) {
    const parts: ScorePart[] = [];
    let weighted = 0;
    let squares = 0;
    for (const [signal, p] of used) {
      const b = baselineBefore(signal, p, day, s);
      if (!b) continue;
      const w = s.weights[signal];
      squares += w * w;
      const i = firstFrom(p.days, day);
      if (p.days[i] !== day) continue;
      const value = p.values[i]!;
      const raw = (WORSE[signal] * (value - b.mean)) / b.sd;
      const z = Math.max(-s.clip, Math.min(s.clip, raw));
      weighted += w * z;
      parts.push({ signal, value, mean: b.mean, sd: b.sd, z, baselineDays: b.n });
    }
    if (parts.length === 0) continue;
    const score = weighted / Math.sqrt(squares);
    cusum = Math.max(0, cusum + score - s.k);
    out.push({ day, score, cusum, parts, norm: Math.sqrt(squares) });
  }
  return out;
}

/** Day numbers and values of a series of { day: 'YYYY-MM-DD', value }. */
export function scoreSeriesOf(daily: ReadonlyArray<{ day: string; value: number }>): ScoreSeries {
  return { days: daily.map((d) => dayNumber(d.day)), values: daily.map((d) => d.value) };
}

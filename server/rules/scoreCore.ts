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
import { after } from './sorted.js';

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
  /** The signals with a baseline that day, measured or not. */
  based: ScoreSignal[];
}

/** The first index whose day is `day` or later (day numbers are whole). */
const firstFrom = (days: readonly number[], day: number): number => after(days, day - 1);

/**
 * One signal as the days go by: its next value in the run (`next`), and its baseline window
 * [lo, hi) with the sums of its values and squares, less `origin` (the first value: sums of
 * small numbers keep the variance exact).
 */
interface Cursor {
  signal: ScoreSignal;
  weight: number;
  days: readonly number[];
  values: readonly number[];
  next: number;
  lo: number;
  hi: number;
  sum: number;
  squares: number;
  origin: number;
}

/**
 * The score of each day of the last `runDays` days up to `today` (a day number) on which a
 * signal with a baseline was measured, and the CUSUM through them. Signals of weight 0 are left
 * out. A day's score divides by the weights of every signal that has a baseline that day,
 * measured or not: a signal not (yet) measured counts as its own mean, so that a morning's
 * weighing alone says only its share of the day (weight 0.3 of pulse's 1), not the whole.
 * Each baseline slides with the days (no arrays made): this runs for every reading that feeds
 * the score, and the first version (prefix sums per call) made the whole evaluation 2.5x slower.
 */
export function scoreDays(
  series: Partial<Record<ScoreSignal, ScoreSeries>>,
  today: number,
  s: ScoreSettings,
): ScoreDay[] {
  const first = today - s.runDays + 1;
  const cursors: Cursor[] = [];
  for (const signal of SCORE_SIGNALS) {
    const raw = series[signal];
    const weight = s.weights[signal];
    if (!raw || weight <= 0 || raw.days.length === 0) continue;
    const lo = firstFrom(raw.days, first - s.excludeRecentDays - s.baselineDays);
    const next = firstFrom(raw.days, first);
    const origin = raw.values[0]!;
    cursors.push({ signal, weight, ...raw, next, lo, hi: lo, sum: 0, squares: 0, origin });
  }
  let cusum = 0;
  const out: ScoreDay[] = [];
  for (let day = first; day <= today; day++) {
    let measured = false;
    for (const c of cursors) if (c.days[c.next] === day) measured = true;
    if (!measured) continue;
    const end = day - s.excludeRecentDays; // the baseline: [end - baselineDays, end)
    const start = end - s.baselineDays;
    const parts: ScorePart[] = [];
    const based: ScoreSignal[] = [];
    let weighted = 0;
    let squares = 0;
    for (const c of cursors) {
      while (c.hi < c.days.length && c.days[c.hi]! < end) {
        const v = c.values[c.hi++]! - c.origin;
        c.sum += v;
        c.squares += v * v;
      }
      while (c.lo < c.hi && c.days[c.lo]! < start) {
        const v = c.values[c.lo++]! - c.origin;
        c.sum -= v;
        c.squares -= v * v;
      }
      const measuredToday = c.days[c.next] === day;
      if (measuredToday) c.next++;
      const n = c.hi - c.lo;
      if (n < s.minBaselineDays || n < 2) continue;
      squares += c.weight * c.weight;
      based.push(c.signal);
      if (!measuredToday) continue;
      const centred = c.sum / n;
      const variance = Math.max(0, (c.squares - n * centred * centred) / (n - 1));
      const sd = Math.max(Math.sqrt(variance), s.sdFloor[c.signal]);
      const mean = centred + c.origin;
      const value = c.values[c.next - 1]!;
      const z = Math.max(-s.clip, Math.min(s.clip, (WORSE[c.signal] * (value - mean)) / sd));
      weighted += c.weight * z;
      parts.push({ signal: c.signal, value, mean, sd, z, baselineDays: n });
    }
    if (parts.length === 0) continue;
    const norm = Math.sqrt(squares);
    const score = weighted / norm;
    cusum = Math.max(0, cusum + score - s.k);
    out.push({ day, score, cusum, parts, norm, based });
  }
  return out;
}

/** Day numbers and values of a series of { day: 'YYYY-MM-DD', value }. */
export function scoreSeriesOf(
  daily: ReadonlyArray<{ day: string; value: number; dayN?: number }>,
): ScoreSeries {
  const days = new Array<number>(daily.length);
  const values = new Array<number>(daily.length);
  for (let i = 0; i < daily.length; i++) {
    days[i] = daily[i]!.dayN ?? dayNumber(daily[i]!.day);
    values[i] = daily[i]!.value;
  }
  return { days, values };
}

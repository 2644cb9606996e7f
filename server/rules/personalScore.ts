// The heart-failure score as a rule: `personal.score` pages when the CUSUM of the patient's own
// weight, resting pulse, SpO2 and systolic pressure (scoreCore.ts) passes its decision interval
// on the day of the reading judged. It replaces, once a signal has a baseline, the rules it
// subsumes for that signal (`replacedBy` below): on the simulated cohorts they paged ~13 false
// alerts per patient-year for 74 % of decompensations, the score ~1 for 80 %
// (docs/simulation.md, "The heart-failure score"). Before the baseline exists (a new patient, a
// new scale) the rules of thumb keep paging: they need one day of history, the score ten; so
// they do for a patient who only weighs (quietReplaced).
import { reason } from '../../contract/reasons.js';
import { dayNumber, dayOfNumber } from './localDay.js';
import type { DailyValue } from './personal.js';
import {
  SCORE_SIGNALS,
  scoreDays,
  scoreSeriesOf,
  type ScoreDay,
  type ScoreSettings,
  type ScoreSignal,
} from './scoreCore.js';
import { refOf, type Finding } from './types.js';

const REF =
  'Heart-failure score: CUSUM (Page 1954) of own-baseline z-scores of weight, resting pulse, SpO2 and systolic pressure (personalised SPC, Eur Heart J Digit Health 2023;4:455; HeartPhone, Ledwidge 2013); operating point from the simulated cohorts [U]';

const round3 = (v: number) => Math.round(v * 1000) / 1000;
const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** The run the CUSUM has been above zero for, ending today: the days that made the score. */
function currentRun(days: readonly ScoreDay[]): ScoreDay[] {
  let i = days.length;
  while (i > 0 && days[i - 1]!.cusum > 0) i--;
  return days.slice(i);
}

/** What each signal added to the score over `run` (weighted z, may be negative). */
function contributions(run: readonly ScoreDay[], s: ScoreSettings): Map<ScoreSignal, number> {
  const out = new Map<ScoreSignal, number>();
  for (const d of run) {
    for (const p of d.parts)
      out.set(p.signal, (out.get(p.signal) ?? 0) + (s.weights[p.signal] * p.z) / d.norm);
  }
  return out;
}

export interface ScoreJudgement {
  /** The finding when the score passes its limit on `today`; null otherwise. */
  finding: Finding | null;
  /** The signals with a baseline today, measured yet or not: the score judges them (`replacedBy`). */
  armed: Set<ScoreSignal>;
}

/**
 * Judges the score on local day `today` ('YYYY-MM-DD') from the daily series (values up to and
 * including today; later days are ignored). `personal` holds the settings the care team set.
 */
export function judgeScore(
  seriesOf: (signal: ScoreSignal) => readonly DailyValue[],
  today: string,
  s: ScoreSettings,
  personal: ReadonlySet<string> = new Set(),
): ScoreJudgement {
  const todayN = dayNumber(today);
  const daily = new Map<ScoreSignal, readonly DailyValue[]>();
  const series: Partial<Record<ScoreSignal, ReturnType<typeof scoreSeriesOf>>> = {};
  for (const signal of SCORE_SIGNALS) {
    if (s.weights[signal] <= 0) continue;
    const values = seriesOf(signal);
    daily.set(signal, values);
    series[signal] = scoreSeriesOf(values);
  }
  const days = scoreDays(series, todayN, s);
  const armed = new Set<ScoreSignal>();
  const last = days.at(-1);
  if (last?.day === todayN) for (const signal of last.based) armed.add(signal);
  if (!last || last.day !== todayN || !(last.cusum > s.h)) return { finding: null, armed };

  const run = currentRun(days);
  const added = contributions(run, s);
  // the signals that raised the score, most first; their latest value in the run and baseline
  const raising = [...added]
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([signal]) => signal);
  const latest = (signal: ScoreSignal) => {
    for (let i = run.length - 1; i >= 0; i--) {
      const p = run[i]!.parts.find((x) => x.signal === signal);
      if (p) return p;
    }
    return undefined;
  };
  const parts = raising.map((signal) => latest(signal)!);
  const firstDay = dayOfNumber(run[0]!.day);
  const readings = [...daily]
    .flatMap(([, values]) => values.filter((v) => v.day >= firstDay && v.day <= today))
    .flatMap((v) => v.readings);
  const times = readings.map((r) => r.measuredAt.getTime());
  const keys = [...personal].filter((k) => k.startsWith('personal.score.'));
  const severity = last.cusum >= 2 * s.h ? 'high' : 'medium';
  return {
    armed,
    finding: {
      rule: 'personal.score',
      severity,
      reason: reason('personal.score', {
        signals: parts.map((p) => p.signal),
        values: parts.map((p) => round6(p.value)),
        means: parts.map((p) => round6(p.mean)),
        score: round6(last.cusum),
        limit: s.h,
        days: run.length,
      }),
      values: {
        score: round3(last.cusum),
        ...Object.fromEntries(parts.map((p) => [p.signal, round3(p.value)])),
        ...Object.fromEntries(parts.map((p) => [`${p.signal}Baseline`, round3(p.mean)])),
        days: run.length,
      },
      threshold: {
        value: { h: s.h, k: s.k },
        source: keys.length ? 'personal' : 'default',
        reference: REF,
        ...(keys.length ? { keys } : {}),
      },
      window: {
        from: new Date(Math.min(...times)).toISOString(),
        to: new Date(Math.max(...times)).toISOString(),
      },
      readings: readings.map(refOf),
    },
  };
}

/**
 * The rules the score replaces for each signal once that signal has its baseline: what it
 * subsumes (a gain of weight, a rise of pulse, a fall of systolic pressure, any two together).
 * Not replaced: MACD of weight (weight counts 0.3 in the score, so a decompensation that shows
 * in weight alone would build it slowly or never; MACD pages on a sustained rise at 0.01-0.03
 * false alerts a patient-year on the cohorts, PPV ~90 %), the weight rules of loss, absolute
 * limits and NEWS2.
 */
export const replacedBy: Readonly<Record<string, ScoreSignal | 'any'>> = {
  'weight.gain_1d': 'weight',
  'weight.gain_3d': 'weight',
  // the dry weight stays the care team's target, but on the cohorts it paged 3.4 false alerts a
  // patient-year for 31 % of decompensations: the weight's own trend in the score does better
  'weight.above_dry_weight': 'weight',
  'personal.weight_up': 'weight',
  'personal.pulse_up': 'pulse',
  'personal.systolic_down': 'systolic',
  'personal.combined': 'any',
};

/**
 * `findings` with those the score replaces lowered to 'info' (shown, paging nobody) when the
 * score has a baseline of their signal and of pulse or SpO2, which carry its evidence: for a
 * patient who only weighs, the score is a weight chart alone, and the rules of thumb keep paging
 * (the cohorts the replacement was chosen on measured pulse with every blood pressure).
 */
export function quietReplaced(findings: Finding[], armed: ReadonlySet<ScoreSignal>): Finding[] {
  if (!armed.has('pulse') && !armed.has('spo2')) return findings;
  return findings.map((f) => {
    const signal = replacedBy[f.rule];
    if (!signal) return f;
    if (signal === 'any' || armed.has(signal))
      return { ...f, severity: 'info', replacedBy: 'personal.score' };
    return f;
  });
}

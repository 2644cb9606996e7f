// A personalised detector: each signal judged against the patient's own recent mean and spread
// rather than a population threshold. Idea: HeartPhone (Ledwidge et al., Eur J Heart Fail 2013:
// individualised moving average, 82 % sensitivity vs 21 % for 2 kg in 2-3 days; Crofton patent
// US20120330683: moving average +/- SD, escalate after N consecutive breaches) and the
// personalised SPC algorithm of Eur Heart J Digital Health 2023;4(6):455 (heart rate and
// systolic pressure outperformed weight). Many decompensations show little weight gain
// (TEN-HMS: +0.9 +/- 2.1 kg in the 14 days before admission; Zhang 2009), so weight, resting
// pulse and systolic pressure are judged together and a combination is escalated.
//
// Series, one value per local day: weight = first valid weighing (`dailyFirstWeights`); pulse =
// mean of heart_rate readings and blood-pressure monitor pulses; systolic = mean of the day's
// blood-pressure readings. Questionable readings are skipped (`isQuestionable`), as are
// monitor pulses clamped out of range.
//
// A new reading is judged on the series it feeds (`signalsOf`): a weighing on weight, a heart
// rate on pulse, a blood pressure on pulse and systolic pressure; the other series only count
// towards personal.combined when one of its own is off.
//
// For each series: the tested values are its last `consecutive` daily values (days with a value;
// gaps are skipped). The baseline is the values in the `baselineDays` calendar days before the
// first tested day, leaving out the `excludeRecentDays` days just before it. With at least
// `minBaselineDays` baseline values, SD = max(sample SD, floor), and a rule fires when every
// tested value is beyond mean +/- k * SD (strictly).
//
// All parameters are design proposals [U] (the papers' windows, k and N were not captured):
// configurable per patient. `personal` holds the settings paths the care team set, prefixed
// with `personal.` (e.g. `personal.pulse.kUp`, `personal.baselineDays`); a finding's threshold
// source is 'personal' when one of the settings it used is among them.
import type { PersonalSettings } from '../../contract/plan.js';
import {
  dayNumber,
  dayOfNumber,
  firstWeightOfDay,
  inTimeOrder,
  isQuestionable,
  localDate,
  type DailyWeight,
} from './localDay.js';
import type { ReadingType } from '../../devices/contract.js';
import { reason } from '../../contract/reasons.js';
import { refOf, type Finding, type RuleReading } from './types.js';

/** One value per local day and the readings it came from. */
export interface DailyValue {
  day: string;
  value: number;
  readings: RuleReading[];
  /** `day` as a day number, made once with the value (the score reads it for every reading). */
  dayN?: number;
}

export type PersonalSignal = 'weight' | 'pulse' | 'systolic';

const finite = (v: number | null): v is number => v !== null && Number.isFinite(v);

/** A monitor's pulse flagged out of range is a clamped value, not a measurement. */
const PULSE_OUT_OF_RANGE = ['pulse_rate_over_range', 'pulse_rate_under_range'];

/** A day's mean of the values `pick` finds in its valid readings (measurement order). */
const meanOfDay =
  (pick: (r: RuleReading) => number | null) =>
  (readings: RuleReading[], day: string): DailyValue | null => {
    let sum = 0;
    const used: RuleReading[] = [];
    for (const r of readings) {
      if (isQuestionable(r.deviceStatus)) continue;
      const v = pick(r);
      if (!finite(v)) continue;
      sum += v;
      used.push(r);
    }
    return used.length
      ? { day, value: sum / used.length, readings: used, dayN: dayNumber(day) }
      : null;
  };

/**
 * A day's first valid weighing, both as the personal detector and as the weight rules read a
 * day (DailyWeight): one series serves both, without a copy per reading.
 */
function weightOfDay(readings: RuleReading[], day: string): (DailyValue & DailyWeight) | null {
  const w = firstWeightOfDay(readings);
  return w
    ? { day, value: w.value!, readings: [w], kg: w.value!, reading: w, dayN: dayNumber(day) }
    : null;
}

/** A day's value of each signal: a weight day is also a day as the weight rules read it. */
export interface SignalDay {
  weight: DailyValue & DailyWeight;
  pulse: DailyValue;
  systolic: DailyValue;
}

/** What each signal makes of one local day's readings (in measurement order). */
export const personalOfDay: {
  [S in PersonalSignal]: (rs: RuleReading[], day: string) => SignalDay[S] | null;
} = {
  weight: weightOfDay,
  pulse: meanOfDay((r) => {
    if (r.type === 'heart_rate') return r.value;
    if (r.type !== 'blood_pressure') return null;
    if ((r.deviceStatus ?? []).some((f) => PULSE_OUT_OF_RANGE.includes(f))) return null;
    return r.pulse;
  }),
  systolic: meanOfDay((r) => (r.type === 'blood_pressure' ? r.systolic : null)),
};

/** A day's SpO2 for the heart-failure score (personalScore.ts): the mean of its readings. */
export const spo2OfDay = meanOfDay((r) => (r.type === 'spo2' ? r.value : null));

/** The reading types each signal reads. */
export const personalTypes: Record<PersonalSignal, readonly ReadingType[]> = {
  weight: ['body_weight'],
  pulse: ['heart_rate', 'blood_pressure'],
  systolic: ['blood_pressure'],
};

/** The three daily series the detector reads (also for charts and evaluation). */
export function personalSeries(
  readings: RuleReading[],
  timeZone: string,
): Record<PersonalSignal, DailyValue[]> {
  const days = new Map<string, RuleReading[]>();
  for (const r of inTimeOrder(readings)) {
    const day = localDate(r.measuredAt, timeZone);
    const list = days.get(day);
    if (list) list.push(r);
    else days.set(day, [r]);
  }
  const ordered = [...days].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const series = (signal: PersonalSignal) =>
    ordered.flatMap(([day, rs]) => {
      const v = personalOfDay[signal](rs, day);
      return v ? [v] : [];
    });
  return { weight: series('weight'), pulse: series('pulse'), systolic: series('systolic') };
}

/** The outcome of judging one series in one direction. */
export interface Deviation {
  /** The last `consecutive` daily values. */
  tested: DailyValue[];
  baseline: DailyValue[];
  mean: number;
  /** Sample SD of the baseline. */
  sd: number;
  /** max(sd, sdFloor): the SD the limit is built on. */
  sdUsed: number;
  k: number;
  limit: number;
  /** Every tested value is beyond the limit. */
  breached: boolean;
}

type BaselineSettings = Pick<
  PersonalSettings,
  'baselineDays' | 'excludeRecentDays' | 'consecutive' | 'minBaselineDays'
>;

/** The tested values of a series and the baseline they are judged on, for both directions. */
interface Baseline {
  tested: DailyValue[];
  baseline: DailyValue[];
  mean: number;
  sd: number;
}

/** The first index below `hi` whose day is `day` or later (`hi` when none). */
function firstDayFrom(series: readonly DailyValue[], hi: number, day: string): number {
  let lo = 0;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (series[mid]!.day < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The last `s.consecutive` values of `series` and their baseline's mean and sample SD; null
 * when there is not enough history (fewer than `s.minBaselineDays` baseline values).
 */
function baselineOf(series: DailyValue[], s: BaselineSettings): Baseline | null {
  const n = series.length;
  if (n < s.consecutive + 1) return null;
  const first = n - s.consecutive;
  const endNumber = dayNumber(series[first]!.day) - s.excludeRecentDays - 1;
  // the series is in day order and the baseline lies before the tested days: its ends found
  // by binary search ('YYYY-MM-DD' days compare as strings in day order; this runs for every
  // weight, pulse and pressure reading)
  const from = firstDayFrom(series, first, dayOfNumber(endNumber - s.baselineDays + 1));
  const to = firstDayFrom(series, first, dayOfNumber(endNumber + 1));
  const baseline = series.slice(from, to);
  if (baseline.length < s.minBaselineDays || baseline.length < 2) return null;
  let sum = 0;
  for (const v of baseline) sum += v.value;
  const mean = sum / baseline.length;
  let squares = 0;
  for (const v of baseline) squares += (v.value - mean) ** 2;
  const sd = Math.sqrt(squares / (baseline.length - 1));
  return { tested: series.slice(first), baseline, mean, sd };
}

function judged(b: Baseline, direction: 'up' | 'down', k: number, sdFloor: number): Deviation {
  const sdUsed = Math.max(b.sd, sdFloor);
  const limit = direction === 'up' ? b.mean + k * sdUsed : b.mean - k * sdUsed;
  let breached = true;
  for (const v of b.tested)
    if (direction === 'up' ? !(v.value > limit) : !(v.value < limit)) breached = false;
  return {
    tested: b.tested,
    baseline: b.baseline,
    mean: b.mean,
    sd: b.sd,
    sdUsed,
    k,
    limit,
    breached,
  };
}

/**
 * Judges the last `s.consecutive` values of `series` against its baseline; null when there is
 * not enough history (fewer than `s.minBaselineDays` baseline values).
 */
export function deviation(
  series: DailyValue[],
  direction: 'up' | 'down',
  k: number,
  sdFloor: number,
  s: BaselineSettings,
): Deviation | null {
  const b = baselineOf(series, s);
  return b && judged(b, direction, k, sdFloor);
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;
/** A reason's numbers: the catalogue rounds them as it says them; this drops binary noise only. */
const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

const REF =
  'Personalised detector: own baseline mean +/- k SD, N consecutive days (HeartPhone, Ledwidge et al., Eur J Heart Fail 2013; personalised SPC, Moazeni et al., Eur Heart J Digit Health 2023;4:455); parameters [U]';
const REF_COMBINED =
  'Several signals off the own baseline together (Ledwidge 2013; Eur Heart J Digit Health 2023: heart rate PPV 92 %; TEN-HMS: little weight gain before many admissions)';

interface Hit {
  rule: string;
  signal: PersonalSignal;
  direction: 'up' | 'down';
  dev: Deviation;
  source: 'default' | 'personal';
  /** The settings the care team set that this judgement used (Finding's `threshold.keys`). */
  keys: string[];
}

const windowOf = (dev: Deviation) => ({
  from: (dev.baseline[0] ?? dev.tested[0])!.readings[0]!.measuredAt.toISOString(),
  to: dev.tested.at(-1)!.readings.at(-1)!.measuredAt.toISOString(),
});

function single(h: Hit): Finding {
  const { dev } = h;
  return {
    rule: h.rule,
    severity: 'medium',
    reason: reason('personal.single', {
      signal: h.signal,
      direction: h.direction,
      values: dev.tested.map((v) => round6(v.value)),
      mean: round6(dev.mean),
      sd: round6(dev.sdUsed),
      sdFloored: dev.sdUsed > dev.sd,
      baselineDays: dev.baseline.length,
      limit: round6(dev.limit),
      k: dev.k,
    }),
    values: {
      latest: round3(dev.tested.at(-1)!.value),
      latestDay: dev.tested.at(-1)!.day,
      baselineMean: round3(dev.mean),
      baselineSd: round3(dev.sd),
      baselineDays: dev.baseline.length,
      consecutive: dev.tested.length,
    },
    threshold: {
      value: {
        k: dev.k,
        sdUsed: round3(dev.sdUsed),
        limit: round3(dev.limit),
      },
      source: h.source,
      reference: REF,
      ...(h.keys.length ? { keys: h.keys } : {}),
    },
    window: windowOf(dev),
    readings: dev.tested.flatMap((v) => v.readings.map(refOf)),
  };
}

/** The settings the care team set that any of `hits` used, each once (`threshold.keys`). */
function keysOf(hits: Hit[]): { keys?: string[] } {
  const keys = [...new Set(hits.flatMap((h) => h.keys))];
  return keys.length ? { keys } : {};
}

function combined(hits: Hit[]): Finding {
  const values: Finding['values'] = {};
  for (const h of hits) {
    values[h.signal] = round3(h.dev.tested.at(-1)!.value);
    values[`${h.signal}Limit`] = round3(h.dev.limit);
  }
  const windows = hits.map((h) => windowOf(h.dev));
  return {
    rule: 'personal.combined',
    severity: 'high',
    reason: reason('personal.combined', {
      signals: hits.map((h) => h.signal),
      directions: hits.map((h) => h.direction),
      values: hits.map((h) => round6(h.dev.tested.at(-1)!.value)),
      limits: hits.map((h) => round6(h.dev.limit)),
    }),
    values,
    threshold: {
      value: Object.fromEntries(hits.map((h) => [h.rule, round3(h.dev.limit)])),
      source: hits.some((h) => h.source === 'personal') ? 'personal' : 'default',
      reference: REF_COMBINED,
      ...keysOf(hits),
    },
    window: {
      from: windows.map((w) => w.from).sort()[0]!,
      to: windows
        .map((w) => w.to)
        .sort()
        .at(-1)!,
    },
    readings: hits.flatMap((h) => h.dev.tested.flatMap((v) => v.readings.map(refOf))),
  };
}

/**
 * Personalised findings on the patient's readings (any order, any types):
 * personal.weight_up, personal.weight_down, personal.pulse_up, personal.systolic_down,
 * personal.systolic_up ('medium'), and personal.combined ('high') when at least
 * `combinedMin` of weight up, pulse up and systolic down fire with last days at most
 * `combinedWithinDays` apart. The combined finding comes in addition to the single ones.
 */
export function judgePersonal(
  readings: RuleReading[],
  timeZone: string,
  s: PersonalSettings,
  personal: ReadonlySet<string> = new Set(),
): Finding[] {
  return judgePersonalSeries(personalSeries(readings, timeZone), s, personal);
}

/** judgePersonal on series already made (a patient history keeps them per day). */
export function judgePersonalSeries(
  series: Record<PersonalSignal, DailyValue[]>,
  s: PersonalSettings,
  personal: ReadonlySet<string> = new Set(),
): Finding[] {
  return judgePersonalSignals((signal) => series[signal], ALL_SIGNALS, s, personal);
}

const ALL_SIGNALS: readonly PersonalSignal[] = ['weight', 'pulse', 'systolic'];

/**
 * The signals a new reading of each type feeds. A reading is judged on these alone: a heart
 * rate does not judge the weight again (nor update a weight alert as if it had caused it), and
 * its patient's other series are made only when one of its own is off (personal.combined).
 */
export const signalsOf: Partial<Record<ReadingType, readonly PersonalSignal[]>> = {
  body_weight: ['weight'],
  heart_rate: ['pulse'],
  blood_pressure: ['pulse', 'systolic'],
};

interface Check {
  rule: string;
  signal: PersonalSignal;
  direction: 'up' | 'down';
  kKey: 'kUp' | 'kDown';
}

const CHECKS: readonly Check[] = [
  { rule: 'personal.weight_up', signal: 'weight', direction: 'up', kKey: 'kUp' },
  { rule: 'personal.weight_down', signal: 'weight', direction: 'down', kKey: 'kDown' },
  { rule: 'personal.pulse_up', signal: 'pulse', direction: 'up', kKey: 'kUp' },
  { rule: 'personal.systolic_down', signal: 'systolic', direction: 'down', kKey: 'kDown' },
  { rule: 'personal.systolic_up', signal: 'systolic', direction: 'up', kKey: 'kUp' },
];

/** Settings every signal's baseline uses: a finding's source is personal when one is set. */
const SHARED_SETTINGS = [
  'personal.baselineDays',
  'personal.excludeRecentDays',
  'personal.consecutive',
];

/** What personal.combined counts: signals that worsen in heart failure. */
const WORSENING = new Set(['personal.weight_up', 'personal.pulse_up', 'personal.systolic_down']);

/**
 * judgePersonal for the `signals` a new reading feeds, their series made on demand by
 * `seriesOf`: their single findings, and personal.combined when one of them worsens together
 * with enough others (whose series are then made too). With every signal, this is judgePersonal.
 */
export function judgePersonalSignals(
  seriesOf: (signal: PersonalSignal) => DailyValue[],
  signals: readonly PersonalSignal[],
  s: PersonalSettings,
  personal: ReadonlySet<string> = new Set(),
): Finding[] {
  const shared = SHARED_SETTINGS.some((key) => personal.has(key));
  // one baseline per signal, judged in each direction
  const baselines = new Map<PersonalSignal, Baseline | null>();
  const judge = (c: Check): Hit | null => {
    let b = baselines.get(c.signal);
    if (b === undefined) baselines.set(c.signal, (b = baselineOf(seriesOf(c.signal), s)));
    if (!b) return null;
    const settings = s[c.signal] as { kUp: number; kDown?: number; sdFloor: number };
    const dev = judged(b, c.direction, settings[c.kKey]!, settings.sdFloor);
    if (!dev.breached) return null;
    const used = [
      ...SHARED_SETTINGS,
      `personal.${c.signal}.${c.kKey}`,
      `personal.${c.signal}.sdFloor`,
    ];
    const own =
      shared ||
      personal.has(`personal.${c.signal}.${c.kKey}`) ||
      personal.has(`personal.${c.signal}.sdFloor`);
    return {
      rule: c.rule,
      signal: c.signal,
      direction: c.direction,
      dev,
      source: own ? 'personal' : 'default',
      keys: used.filter((k) => personal.has(k)),
    };
  };
  const hits: Hit[] = [];
  for (const c of CHECKS) {
    if (!signals.includes(c.signal)) continue;
    const hit = judge(c);
    if (hit) hits.push(hit);
  }
  const out = hits.map(single);

  const worsening = hits.filter((h) => WORSENING.has(h.rule));
  if (!worsening.length) return out;
  for (const c of CHECKS) {
    if (!WORSENING.has(c.rule) || signals.includes(c.signal)) continue;
    const hit = judge(c);
    if (hit) worsening.push(hit);
  }
  const lastDay = (h: Hit) => dayNumber(h.dev.tested.at(-1)!.day);
  const newest = Math.max(...worsening.map(lastDay));
  const together = worsening
    .filter((h) => lastDay(h) >= newest - s.combinedWithinDays)
    // in the order judgePersonal lists the signals, whichever reading came
    .sort(
      (a, b) =>
        CHECKS.findIndex((c) => c.rule === a.rule) - CHECKS.findIndex((c) => c.rule === b.rule),
    );
  if (together.length >= s.combinedMin) out.push(combined(together));
  return out;
}

// Heart-failure daily weight: rule-of-thumb (RoT) changes over 1 and 3 days, a MACD trend
// detector and the distance from a clinician-set dry weight. All rules read the first valid
// weighing of each local day (`dailyFirstWeights`) and judge the last day of the series given.
// Gains suggest fluid retention (contact the same day: 'high'); losses suggest over-diuresis or
// dehydration ('medium'). Every threshold is a strict "more than": exactly at it does not fire.
//
// Sources: docs/clinical-evidence.md section 1. Figures tagged [M] or [U] there are
// configurable (contract/plan.ts: the defaults with their sources); a care team can
// override each per patient.
//
// Personal overrides: the `personal` argument holds the settings paths the care team set for
// this patient, prefixed with `weight.` (e.g. `weight.gain3dKg`, `weight.macd.thresholdKg`). A
// finding says `threshold.source: 'personal'` when the threshold it used is among them. The
// dry-weight rule is always 'personal': the dry weight is set for the patient.
import type { WeightSettings } from '../../contract/plan.js';
import { reason } from '../../contract/reasons.js';
import { dayNumber, type DailyWeight } from './localDay.js';
import { keysSet, refOf, type Finding, type Severity } from './types.js';

const REF = {
  gain3d:
    'ESC 2021 HF guideline (self-care) / heartfailurematters.org: weight gain of more than 2 kg in 3 days',
  gain1d:
    'Zhang et al., Eur J Heart Fail 2009 (rule of thumb 3 lb/1.36 kg in 1 day); US HF-zone action plans',
  loss: 'Weight loss (over-diuresis, dehydration): no published rate rule, the gain limits mirrored [U]',
  macd: 'MACD of daily weight (Zhang 2009; Gyllensten, JMIR Med Inform 2016); parameters not published [U]',
  dry: 'Cleveland Clinic HF zones: call at 4 lb (1.8 kg) or more above or below the dry weight (default rounded to 2.0 kg)',
};

type Source = 'default' | 'personal';

/** Rounds away floating-point noise (82.1 - 80.1) so that "exactly at the threshold" is exact. */
const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

const sourceOf = (personal: ReadonlySet<string>, key: string): Source =>
  personal.has(`weight.${key}`) ? 'personal' : 'default';

function windowOf(ws: DailyWeight[]): { from: string; to: string } {
  return {
    from: ws[0]!.reading.measuredAt.toISOString(),
    to: ws.at(-1)!.reading.measuredAt.toISOString(),
  };
}

interface Change {
  rule: string;
  severity: Severity;
  up: boolean;
  base: DailyWeight;
  last: DailyWeight;
  change: number;
  limit: number;
  limitDays: number;
  key: string;
  reference: string;
  /** The daily weights the finding rests on, in day order. */
  used: DailyWeight[];
}

function changeFinding(c: Change, personal: ReadonlySet<string>): Finding {
  const span = dayNumber(c.last.day) - dayNumber(c.base.day);
  return {
    rule: c.rule,
    severity: c.severity,
    reason: reason('weight.change', {
      direction: c.up ? 'up' : 'down',
      fromKg: c.base.kg,
      toKg: c.last.kg,
      changeKg: Math.abs(c.change),
      days: span,
      limitKg: c.limit,
      limitDays: c.limitDays,
    }),
    values: {
      baseline: c.base.kg,
      latest: c.last.kg,
      change: c.change,
      baselineDay: c.base.day,
      latestDay: c.last.day,
      days: span,
    },
    threshold: {
      value: c.limit,
      source: sourceOf(personal, c.key),
      reference: c.reference,
      ...keysSet(personal, [`weight.${c.key}`]),
    },
    window: windowOf(c.used),
    readings: c.used.map((w) => refOf(w.reading)),
  };
}

/**
 * Rule of thumb at the last day t of `daily`:
 * - 3 days: the change from the lowest (gain) or highest (loss) weight of days t-3..t-1, using
 *   the days present in that window (nothing if none);
 * - 1 day: the change from day t-1, or from t-2 when t-1 is missing (a design decision [U]:
 *   the nearest reading inside [t-d-1, t-d]; docs/clinical-evidence.md section 1.1).
 * Rules: weight.gain_3d, weight.gain_1d ('high'); weight.loss_3d, weight.loss_1d ('medium').
 */
export function weightRuleOfThumb(
  daily: DailyWeight[],
  s: WeightSettings,
  personal: ReadonlySet<string> = new Set(),
): Finding[] {
  const last = daily.at(-1);
  if (!last) return [];
  const t = dayNumber(last.day);
  const prior = (from: number, to: number) =>
    daily.filter((w) => {
      const d = dayNumber(w.day);
      return d >= t - from && d <= t - to;
    });
  const out: Finding[] = [];

  const three = prior(3, 1);
  if (three.length) {
    const low = three.reduce((a, b) => (b.kg < a.kg ? b : a));
    const high = three.reduce((a, b) => (b.kg > a.kg ? b : a));
    const used = [...three, last];
    const gain = round6(last.kg - low.kg);
    const loss = round6(high.kg - last.kg);
    if (gain > s.gain3dKg) {
      out.push(
        changeFinding(
          {
            rule: 'weight.gain_3d',
            severity: 'high',
            up: true,
            base: low,
            last,
            change: gain,
            limit: s.gain3dKg,
            limitDays: 3,
            key: 'gain3dKg',
            reference: REF.gain3d,
            used,
          },
          personal,
        ),
      );
    }
    if (loss > s.loss3dKg) {
      out.push(
        changeFinding(
          {
            rule: 'weight.loss_3d',
            severity: 'medium',
            up: false,
            base: high,
            last,
            change: -loss,
            limit: s.loss3dKg,
            limitDays: 3,
            key: 'loss3dKg',
            reference: REF.loss,
            used,
          },
          personal,
        ),
      );
    }
  }

  // Nearest day inside [t-2, t-1]: t-1 if present, else t-2.
  const base = prior(2, 1).at(-1);
  if (base) {
    const change = round6(last.kg - base.kg);
    const used = [base, last];
    if (change > s.gain1dKg) {
      out.push(
        changeFinding(
          {
            rule: 'weight.gain_1d',
            severity: 'high',
            up: true,
            base,
            last,
            change,
            limit: s.gain1dKg,
            limitDays: 1,
            key: 'gain1dKg',
            reference: REF.gain1d,
            used,
          },
          personal,
        ),
      );
    }
    if (-change > s.loss1dKg) {
      out.push(
        changeFinding(
          {
            rule: 'weight.loss_1d',
            severity: 'medium',
            up: false,
            base,
            last,
            change,
            limit: s.loss1dKg,
            limitDays: 1,
            key: 'loss1dKg',
            reference: REF.loss,
            used,
          },
          personal,
        ),
      );
    }
  }
  return out;
}

/** One point of the MACD series. */
export interface MacdPoint {
  day: string;
  kg: number;
  emaShort: number;
  emaLong: number;
  /** emaShort - emaLong, kg. */
  macd: number;
}

/**
 * EMA_N(t) = a * w(t) + (1 - a) * EMA_N(t-1), a = 2 / (N + 1), both EMAs starting at the first
 * weight; MACD = EMA_short - EMA_long (Zhang 2009; docs/clinical-evidence.md section 1.4). Missing days are skipped:
 * the EMAs step once per day present, as if the days were consecutive (the papers do not define
 * gaps; decaying by the gap length would weigh one reading after a pause too heavily).
 */
export function macdSeries(daily: DailyWeight[], s: WeightSettings): MacdPoint[] {
  const aS = 2 / (s.macd.shortDays + 1);
  const aL = 2 / (s.macd.longDays + 1);
  const out: MacdPoint[] = [];
  let emaShort = NaN;
  let emaLong = NaN;
  for (const w of daily) {
    if (out.length === 0) {
      emaShort = w.kg;
      emaLong = w.kg;
    } else {
      emaShort = aS * w.kg + (1 - aS) * emaShort;
      emaLong = aL * w.kg + (1 - aL) * emaLong;
    }
    out.push({ day: w.day, kg: w.kg, emaShort, emaLong, macd: emaShort - emaLong });
  }
  return out;
}

/**
 * MACD at the last day: weight.macd ('medium') when above `macd.thresholdKg`,
 * weight.macd_loss ('medium') when below minus `macd.lossThresholdKg`; only with at least
 * `macd.minDays` daily weights.
 */
export function weightMacd(
  daily: DailyWeight[],
  s: WeightSettings,
  personal: ReadonlySet<string> = new Set(),
): Finding[] {
  if (daily.length < s.macd.minDays) return [];
  const p = macdSeries(daily, s).at(-1)!;
  const macd = round6(p.macd);
  const up = macd > s.macd.thresholdKg;
  const down = -macd > s.macd.lossThresholdKg;
  if (!up && !down) return [];
  const limit = up ? s.macd.thresholdKg : s.macd.lossThresholdKg;
  const used = daily.slice(-s.macd.longDays);
  return [
    {
      rule: up ? 'weight.macd' : 'weight.macd_loss',
      severity: 'medium',
      reason: reason('weight.trend', {
        direction: up ? 'up' : 'down',
        shortDays: s.macd.shortDays,
        longDays: s.macd.longDays,
        shortKg: round6(p.emaShort),
        longKg: round6(p.emaLong),
        differenceKg: Math.abs(macd),
        limitKg: limit,
      }),
      values: {
        latest: p.kg,
        emaShort: round6(p.emaShort),
        emaLong: round6(p.emaLong),
        macd,
        days: daily.length,
      },
      threshold: {
        value: up ? limit : -limit,
        source:
          sourceOf(personal, up ? 'macd.thresholdKg' : 'macd.lossThresholdKg') === 'personal' ||
          sourceOf(personal, 'macd.shortDays') === 'personal' ||
          sourceOf(personal, 'macd.longDays') === 'personal'
            ? 'personal'
            : 'default',
        reference: REF.macd,
        ...keysSet(
          personal,
          [up ? 'macd.thresholdKg' : 'macd.lossThresholdKg', 'macd.shortDays', 'macd.longDays'].map(
            (k) => `weight.${k}`,
          ),
        ),
      },
      window: windowOf(used),
      readings: used.map((w) => refOf(w.reading)),
    },
  ];
}

/**
 * Distance of the last daily weight from the clinician-set dry weight: weight.above_dry_weight
 * or weight.below_dry_weight ('medium', a "call" zone rather than a same-day rate rule) when
 * more than `dryWeightToleranceKg` away. Off without `dryWeightKg`.
 */
export function dryWeight(
  daily: DailyWeight[],
  s: WeightSettings,
  personal: ReadonlySet<string> = new Set(),
): Finding[] {
  const last = daily.at(-1);
  if (!last || s.dryWeightKg === undefined) return [];
  const dry = s.dryWeightKg;
  const diff = round6(last.kg - dry);
  if (Math.abs(diff) <= s.dryWeightToleranceKg) return [];
  const above = diff > 0;
  return [
    {
      rule: above ? 'weight.above_dry_weight' : 'weight.below_dry_weight',
      severity: 'medium',
      reason: reason('weight.dry_weight', {
        direction: above ? 'up' : 'down',
        weightKg: last.kg,
        differenceKg: Math.abs(diff),
        dryKg: dry,
        toleranceKg: s.dryWeightToleranceKg,
      }),
      values: { dryWeight: dry, latest: last.kg, change: diff },
      threshold: {
        value: { dryWeightKg: dry, toleranceKg: s.dryWeightToleranceKg },
        source: 'personal',
        reference: REF.dry,
        ...keysSet(personal, ['weight.dryWeightKg', 'weight.dryWeightToleranceKg']),
      },
      window: windowOf([last]),
      readings: [refOf(last.reading)],
    },
  ];
}

/** All weight rules at the last day of `daily`. */
export function judgeWeight(
  daily: DailyWeight[],
  s: WeightSettings,
  personal: ReadonlySet<string> = new Set(),
): Finding[] {
  return [
    ...weightRuleOfThumb(daily, s, personal),
    ...weightMacd(daily, s, personal),
    ...dryWeight(daily, s, personal),
  ];
}

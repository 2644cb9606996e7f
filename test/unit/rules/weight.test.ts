import { renderReason } from '../../../contract/reasons.js';
import { describe, expect, it } from 'vitest';
import {
  dailyFirstWeights,
  dayNumber,
  dayOfNumber,
  isQuestionable,
  localDate,
} from '../../../server/rules/localDay.js';
import { DEFAULT_WEIGHT, type WeightSettings } from '../../../contract/plan.js';
import {
  dryWeight,
  judgeWeight,
  macdSeries,
  weightMacd,
  weightRuleOfThumb,
} from '../../../server/rules/weight.js';
import type { RuleReading } from '../../../server/rules/types.js';
import { gauss, mulberry32, reading } from './support.js';

const TZ = 'Europe/Stockholm';

/** A weighing at local Stockholm time `hh:mm` on day `day` (0 = 2026-01-01, winter, UTC+1). */
const at = (day: number, hh = 7, mm = 0) => new Date(Date.UTC(2026, 0, 1 + day, hh - 1, mm));
const weigh = (when: Date | string, kg: number, deviceStatus?: string[]) =>
  reading('body_weight', when, { value: kg, ...(deviceStatus ? { deviceStatus } : {}) });

/** One morning weighing a day from 2026-01-01; null leaves the day out. */
const mornings = (kgs: Array<number | null>) =>
  kgs.flatMap((kg, day) => (kg === null ? [] : [weigh(at(day), kg)]));
const daily = (readings: RuleReading[]) => dailyFirstWeights(readings, TZ);
const rules = (kgs: Array<number | null>, s: WeightSettings = DEFAULT_WEIGHT) =>
  judgeWeight(daily(mornings(kgs)), s).map((f) => f.rule);

describe('local days', () => {
  it('puts a weighing at 23:30 UTC in winter on the next Stockholm day', () => {
    const d = new Date('2026-01-14T23:30:00Z');
    expect(localDate(d, TZ)).toBe('2026-01-15');
    expect(localDate(d, 'UTC')).toBe('2026-01-14');
    expect(localDate(new Date('2026-01-14T22:59:00Z'), TZ)).toBe('2026-01-14');
  });

  it('moves the day boundary to 22:00 UTC in summer time', () => {
    expect(localDate(new Date('2026-07-14T22:30:00Z'), TZ)).toBe('2026-07-15');
    expect(localDate(new Date('2026-07-14T21:30:00Z'), TZ)).toBe('2026-07-14');
  });

  it('counts calendar days across a daylight-saving change', () => {
    expect(dayNumber('2026-03-30') - dayNumber('2026-03-28')).toBe(2);
    expect(dayOfNumber(dayNumber('2026-03-28') + 2)).toBe('2026-03-30');
    expect(dayOfNumber(dayNumber('2026-03-01') - 1)).toBe('2026-02-28');
  });

  it('agrees with the calendar every 20 minutes over a year, clock changes included, in zones east and west', () => {
    for (const zone of [TZ, 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata']) {
      const calendar = new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 20 * 60_000) {
        const expected = calendar.format(t);
        if (localDate(new Date(t), zone) !== expected) {
          expect(`${zone} ${new Date(t).toISOString()}: ${localDate(new Date(t), zone)}`).toBe(
            `${zone} ${new Date(t).toISOString()}: ${expected}`,
          );
        }
      }
    }
  });

  it('rejects an unknown time zone instead of falling back to UTC', () => {
    expect(() => localDate(new Date(), 'Europe/Atlantis')).toThrow(RangeError);
  });

  it('keeps the first weighing of each local day and ignores a second one', () => {
    const rs = [
      weigh(at(0, 7), 80.0),
      weigh(at(0, 20), 81.4),
      weigh(at(1, 6, 45), 80.2),
      weigh(at(1, 7), 80.3),
    ];
    expect(daily(rs).map((w) => [w.day, w.kg])).toEqual([
      ['2026-01-01', 80.0],
      ['2026-01-02', 80.2],
    ]);
  });

  it('orders readings by measurement time before choosing the first of a day', () => {
    const rs = [weigh(at(0, 19), 81.4), weigh(at(0, 7), 80.0)];
    expect(daily(rs).map((w) => w.kg)).toEqual([80.0]);
  });

  it('counts a weighing at 23:30 UTC as the first of the next local day', () => {
    const rs = [
      weigh('2026-01-14T06:00:00Z', 80.0),
      weigh('2026-01-14T23:30:00Z', 80.4), // 00:30 on 15 January in Stockholm
      weigh('2026-01-15T06:00:00Z', 82.5), // second weighing of 15 January: ignored
    ];
    expect(daily(rs).map((w) => [w.day, w.kg])).toEqual([
      ['2026-01-14', 80.0],
      ['2026-01-15', 80.4],
    ]);
  });

  it('skips weighings the scale flags as questionable, so the next valid one of the day counts', () => {
    const rs = [weigh(at(0, 7), 83.0, ['body_movement']), weigh(at(0, 7, 5), 80.3)];
    expect(daily(rs).map((w) => w.kg)).toEqual([80.3]);
  });

  it('skips readings of other types and readings without a value', () => {
    const rs = [
      reading('heart_rate', at(0), { value: 70 }),
      reading('body_weight', at(1), { value: null }),
      weigh(at(2), 80),
    ];
    expect(daily(rs).map((w) => w.day)).toEqual(['2026-01-03']);
  });

  it('treats every listed device flag as questionable, and nothing else', () => {
    for (const flag of [
      'body_movement',
      'cuff_too_loose',
      'improper_position',
      'questionable_measurement',
      'invalid_measurement',
      'measurement_unavailable',
      'low_perfusion',
      'inadequate_signal',
      'poor_signal',
      'erratic_signal',
      'sensor_displaced',
      'sensor_malfunctioning',
      'equipment_malfunction',
    ]) {
      expect(isQuestionable([flag]), flag).toBe(true);
    }
    expect(isQuestionable(['irregular_pulse'])).toBe(false);
    expect(isQuestionable([])).toBe(false);
    expect(isQuestionable(undefined)).toBe(false);
  });
});

describe('weight rule of thumb, 3 days (more than 2 kg, ESC 2021)', () => {
  it('raises weight.gain_3d on a gain of 2.1 kg over 3 days, with the numbers in both languages', () => {
    const ws = daily(mornings([80.1, 80.6, 81.2, 82.2]));
    const found = weightRuleOfThumb(ws, DEFAULT_WEIGHT);
    expect(found.map((f) => f.rule)).toEqual(['weight.gain_3d']);
    const f = found[0]!;
    expect(f.severity).toBe('high');
    expect(renderReason(f.reason, 'en')).toBe(
      'Weight up 2.1 kg in 3 days (80.1 → 82.2 kg); threshold more than 2.0 kg in 3 days',
    );
    expect(renderReason(f.reason, 'sv')).toBe(
      'Vikten har ökat 2,1 kg på 3 dagar (80,1 → 82,2 kg); gräns mer än 2,0 kg på 3 dagar',
    );
    expect(f.values).toMatchObject({ baseline: 80.1, latest: 82.2, change: 2.1, days: 3 });
    expect(f.threshold).toMatchObject({ value: 2, source: 'default' });
    expect(f.threshold.reference).toMatch(/ESC 2021/);
    expect(f.window).toEqual({
      from: at(0).toISOString(),
      to: at(3).toISOString(),
    });
    expect(f.readings.map((r) => r.messageId)).toEqual(ws.map((w) => w.reading.messageId));
  });

  it('does not fire on exactly 2.0 kg (the rule is "more than")', () => {
    expect(rules([80.1, 80.6, 81.2, 82.1])).toEqual([]);
    expect(rules([80.0, 80.6, 81.2, 82.0])).toEqual([]);
  });

  it('compares with the lowest of the previous 3 days, not the oldest', () => {
    expect(rules([81.0, 80.0, 80.9, 82.1])).toEqual(['weight.gain_3d']);
  });

  it('does not look further back than 3 days', () => {
    expect(rules([79.0, 80.5, 80.5, 80.5, 81.8])).toEqual([]);
  });

  it('uses whatever days of the 3-day window exist, and nothing when none do', () => {
    expect(rules([80.0, null, null, 82.1])).toEqual(['weight.gain_3d']);
    expect(rules([80.0, null, null, null, 83.0])).toEqual([]);
  });

  it('raises weight.loss_3d (medium) on a loss of more than 2 kg from the highest of 3 days', () => {
    const [f, ...rest] = weightRuleOfThumb(
      daily(mornings([82.2, 81.6, 81.0, 80.1])),
      DEFAULT_WEIGHT,
    );
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'weight.loss_3d', severity: 'medium' });
    expect(f!.values).toMatchObject({ baseline: 82.2, latest: 80.1, change: -2.1 });
    expect(renderReason(f!.reason, 'sv')).toBe(
      'Vikten har minskat 2,1 kg på 3 dagar (82,2 → 80,1 kg); gräns mer än 2,0 kg på 3 dagar',
    );
    expect(rules([82.1, 81.6, 81.0, 80.1])).toEqual([]);
  });
});

describe('weight rule of thumb, 1 day (more than 1.36 kg, Zhang 2009)', () => {
  it('raises weight.gain_1d just above 1.36 kg and not at it', () => {
    expect(rules([80.0, 81.37])).toEqual(['weight.gain_1d']);
    expect(rules([80.0, 81.36])).toEqual([]);
    const [f] = weightRuleOfThumb(daily(mornings([80.0, 81.5])), DEFAULT_WEIGHT);
    expect(f!.severity).toBe('high');
    expect(renderReason(f!.reason, 'en')).toBe(
      'Weight up 1.5 kg in 1 day (80.0 → 81.5 kg); threshold more than 1.36 kg in 1 day',
    );
  });

  it('raises weight.loss_1d (medium) just above 1.36 kg down and not at it', () => {
    expect(rules([80.0, 78.6])).toEqual(['weight.loss_1d']);
    expect(rules([80.0, 78.64])).toEqual([]);
    const [f] = weightRuleOfThumb(daily(mornings([80.0, 78.6])), DEFAULT_WEIGHT);
    expect(f!.severity).toBe('medium');
  });

  it('compares with t-2 when t-1 is missing, and says it was 2 days', () => {
    const [f] = weightRuleOfThumb(daily(mornings([80.0, null, 81.5])), DEFAULT_WEIGHT);
    expect(f).toMatchObject({ rule: 'weight.gain_1d', values: { baselineDay: '2026-01-01' } });
    expect(renderReason(f!.reason, 'en')).toBe(
      'Weight up 1.5 kg in 2 days (80.0 → 81.5 kg); threshold more than 1.36 kg in 1 day',
    );
    expect(rules([80.0, null, null, 81.5])).toEqual([]);
  });

  it('prefers t-1 over t-2 when both exist', () => {
    expect(rules([80.0, 81.0, 81.5])).toEqual([]);
  });

  it('raises both the 3-day and the 1-day rule when both hold', () => {
    expect(rules([80.0, 80.3, 80.6, 82.1])).toEqual(['weight.gain_3d', 'weight.gain_1d']);
  });

  it('ignores a second, heavier weighing later the same day', () => {
    const rs = [...mornings([80.0, 80.1, 80.0, 80.1]), weigh(at(3, 19), 82.6)];
    expect(judgeWeight(daily(rs), DEFAULT_WEIGHT)).toEqual([]);
  });

  it('ignores a weighing the scale flags as questionable', () => {
    const rs = [...mornings([80.0, 80.1, 80.0]), weigh(at(3, 7), 90, ['invalid_measurement'])];
    expect(judgeWeight(daily(rs), DEFAULT_WEIGHT)).toEqual([]);
  });

  it("reports a threshold the care team set as the patient's own", () => {
    const s = { ...DEFAULT_WEIGHT, gain3dKg: 1.5 };
    const [f] = weightRuleOfThumb(
      daily(mornings([80.0, 80.2, 80.4, 81.6])),
      s,
      new Set(['weight.gain3dKg']),
    );
    expect(f).toMatchObject({
      rule: 'weight.gain_3d',
      threshold: { value: 1.5, source: 'personal' },
    });
  });
});

describe('weight MACD (EMA 3 - EMA 10 days)', () => {
  const ramp = (flatDays: number, slope: number, rampDays: number) =>
    Array.from(
      { length: flatDays + rampDays },
      (_, i) => Math.round((80 + Math.max(0, i - flatDays + 1) * slope) * 1000) / 1000,
    );
  const low = { ...DEFAULT_WEIGHT, macd: { ...DEFAULT_WEIGHT.macd, thresholdKg: 0.5 } };

  it('starts both averages at the first weight and uses alpha = 2 / (N + 1)', () => {
    const [p0, p1] = macdSeries(daily(mornings([80, 81])), DEFAULT_WEIGHT);
    expect(p0).toMatchObject({ emaShort: 80, emaLong: 80, macd: 0 });
    expect(p1!.emaShort).toBeCloseTo(80.5, 10);
    expect(p1!.emaLong).toBeCloseTo(80 + 2 / 11, 10);
    expect(p1!.macd).toBeCloseTo(0.5 - 2 / 11, 10);
  });

  it('fires weight.macd on a steady gain of 0.25 kg/day over 8 days (threshold 0.5 kg) while the rule of thumb stays silent', () => {
    const kgs = ramp(14, 0.25, 8);
    const found = judgeWeight(daily(mornings(kgs)), low);
    expect(found.map((f) => f.rule)).toEqual(['weight.macd']);
    expect(found[0]!.severity).toBe('medium');
    expect(found[0]!.values.macd).toBeGreaterThan(0.6);
    expect(renderReason(found[0]!.reason, 'en')).toMatch(
      /^Weight trending up: short average \(3 days\) 81\.\d+ kg is 0\.6\d kg above the long average \(10 days\) 8\d\.\d+ kg; threshold more than 0\.5 kg$/,
    );
    expect(renderReason(found[0]!.reason, 'sv')).toMatch(
      /^Viktkurvan stiger: .* gräns mer än 0,5 kg$/,
    );
  });

  it('with the default 1.0 kg threshold does not fire on that slope: MACD is 0.65 kg after 8 days and settles at 3.5 x slope', () => {
    const ws = daily(mornings(ramp(14, 0.25, 8)));
    expect(macdSeries(ws, DEFAULT_WEIGHT).at(-1)!.macd).toBeCloseTo(0.65, 2);
    expect(weightMacd(ws, DEFAULT_WEIGHT)).toEqual([]);
    const long = macdSeries(daily(mornings(ramp(14, 0.25, 40))), DEFAULT_WEIGHT);
    expect(long.at(-1)!.macd).toBeCloseTo(0.875, 3);
    expect(weightMacd(daily(mornings(ramp(14, 0.4, 8))), DEFAULT_WEIGHT)).toHaveLength(1);
  });

  it('needs at least minDays daily weights', () => {
    const kgs = ramp(2, 0.5, 7); // 9 days
    const ws = daily(mornings(kgs));
    expect(macdSeries(ws, low).at(-1)!.macd).toBeGreaterThan(0.5);
    expect(weightMacd(ws, low)).toEqual([]);
    expect(weightMacd(daily(mornings([...kgs, kgs.at(-1)! + 0.5])), low)).toHaveLength(1);
  });

  it('raises weight.macd_loss on a steady loss', () => {
    const kgs = ramp(14, -0.45, 8);
    expect(weightMacd(daily(mornings(kgs)), DEFAULT_WEIGHT).map((f) => f.rule)).toEqual([
      'weight.macd_loss',
    ]);
  });

  it('carries on over missing days with the days present', () => {
    const ws = daily(mornings([80, null, 80, null, null, 81]));
    expect(macdSeries(ws, DEFAULT_WEIGHT).map((p) => p.day)).toEqual([
      '2026-01-01',
      '2026-01-03',
      '2026-01-06',
    ]);
  });
});

describe('dry weight (Cleveland Clinic zones, tolerance 2.0 kg)', () => {
  const s = { ...DEFAULT_WEIGHT, dryWeightKg: 75 };

  it('is off when no dry weight is set', () => {
    expect(dryWeight(daily(mornings([90])), DEFAULT_WEIGHT)).toEqual([]);
  });

  it('raises weight.above_dry_weight more than 2.0 kg above, not at 2.0', () => {
    const [f] = dryWeight(daily(mornings([77.1])), s);
    expect(f).toMatchObject({
      rule: 'weight.above_dry_weight',
      values: { dryWeight: 75, latest: 77.1, change: 2.1 },
      threshold: { value: { dryWeightKg: 75, toleranceKg: 2 }, source: 'personal' },
    });
    expect(renderReason(f!.reason, 'en')).toBe(
      'Weight 77.1 kg is 2.1 kg above dry weight 75.0 kg; threshold more than 2.0 kg',
    );
    expect(renderReason(f!.reason, 'sv')).toBe(
      'Vikten 77,1 kg är 2,1 kg över torrvikten 75,0 kg; gräns mer än 2,0 kg',
    );
    expect(dryWeight(daily(mornings([77.0])), s)).toEqual([]);
  });

  it('raises weight.below_dry_weight more than 2.0 kg below, not at 2.0', () => {
    expect(dryWeight(daily(mornings([72.9])), s).map((f) => f.rule)).toEqual([
      'weight.below_dry_weight',
    ]);
    expect(dryWeight(daily(mornings([73.0])), s)).toEqual([]);
  });
});

describe('a stable patient', () => {
  it('raises nothing on any day of 60 days of realistic noise (SD 0.35 kg), in any weight rule', () => {
    const rand = mulberry32(1);
    const rs: RuleReading[] = [];
    for (let day = 0; day < 60; day++) {
      const minute = Math.floor(rand() * 60);
      rs.push(weigh(at(day, 7, minute), Math.round((80 + 0.35 * gauss(rand)) * 10) / 10));
      // an evening weighing after dinner on some days: stored, not used for trends
      if (rand() < 0.3) rs.push(weigh(at(day, 20), 81.5 + rand()));
    }
    const ws = daily(rs);
    expect(ws).toHaveLength(60);
    const s = { ...DEFAULT_WEIGHT, dryWeightKg: 80 };
    for (let i = 0; i < ws.length; i++) {
      expect(judgeWeight(ws.slice(0, i + 1), s), ws[i]!.day).toEqual([]);
    }
    // the trend detector stays far from the threshold on noise
    const peak = Math.max(...macdSeries(ws, s).map((p) => Math.abs(p.macd)));
    expect(peak).toBeLessThan(0.5);
  });
});

import { renderReason } from '../../../contract/reasons.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PERSONAL, type PersonalSettings } from '../../../contract/plan.js';
import { deviation, judgePersonal, personalSeries } from '../../../server/rules/personal.js';
import type { RuleReading } from '../../../server/rules/types.js';
import { gauss, mulberry32, reading } from './support.js';

const TZ = 'Europe/Stockholm';

/** Local Stockholm time `hh:00` on day `day` (0 = 2026-01-01, winter, UTC+1). */
const at = (day: number, hh = 7) => new Date(Date.UTC(2026, 0, 1 + day, hh - 1));
const opt = (deviceStatus?: string[]) => (deviceStatus ? { deviceStatus } : {});
const weigh = (day: number, kg: number, deviceStatus?: string[]) =>
  reading('body_weight', at(day, 7), { value: kg, ...opt(deviceStatus) });
const hr = (day: number, bpm: number, deviceStatus?: string[]) =>
  reading('heart_rate', at(day, 8), { value: bpm, ...opt(deviceStatus) });
const bp = (day: number, systolic: number, pulse: number | null, hh = 8, deviceStatus?: string[]) =>
  reading('blood_pressure', at(day, hh), {
    systolic,
    diastolic: 80,
    pulse,
    ...opt(deviceStatus),
  });

/** One reading a day of one kind, from a list of daily values (null leaves the day out). */
const days = <T>(values: Array<T | null>, make: (day: number, v: T) => RuleReading) =>
  values.flatMap((v, day) => (v === null ? [] : [make(day, v)]));

/** 14 baseline days alternating a and b (mean (a+b)/2, SD about |a-b|/2), then `then`. */
const alternating = (a: number, b: number, then: number[]) => [
  ...Array.from({ length: 14 }, (_, i) => (i % 2 ? b : a)),
  ...then,
];

const judge = (rs: RuleReading[], s: PersonalSettings = DEFAULT_PERSONAL, own?: Set<string>) =>
  judgePersonal(rs, TZ, s, own);
const rules = (rs: RuleReading[], s?: PersonalSettings) => judge(rs, s).map((f) => f.rule);

describe('personalised detector: own baseline mean +/- 2 SD, 2 consecutive days', () => {
  it('fires after 2 consecutive days beyond 2 SD, not after 1', () => {
    // pulse baseline 62/74: mean 68, SD 6.2, limit 80.5
    const base = alternating(62, 74, []);
    expect(rules(days([...base, 85], hr))).toEqual([]);
    expect(rules(days([...base, 85, 84], hr))).toEqual(['personal.pulse_up']);
    expect(rules(days([...base, 85, 80], hr))).toEqual([]);
  });

  it('says what it judged, in Swedish and English', () => {
    const [f] = judge(days(alternating(62, 74, [85, 84]), hr));
    expect(f).toMatchObject({
      rule: 'personal.pulse_up',
      severity: 'medium',
      values: { latest: 84, baselineMean: 68, baselineDays: 14, consecutive: 2 },
      threshold: { source: 'default' },
    });
    expect(renderReason(f!.reason, 'en')).toBe(
      'Resting pulse above own baseline on the last 2 days measured (85 → 84 beats/min); baseline 68 beats/min, SD 6.23 over 14 days; threshold more than 80.5 beats/min (mean + 2.0 SD)',
    );
    expect(renderReason(f!.reason, 'sv')).toBe(
      'Vilopulsen över patientens egen baslinje de 2 senaste mätdagarna (85 → 84 slag/min); baslinje 68 slag/min, SD 6,23 under 14 dagar; gräns mer än 80,5 slag/min (medel + 2,0 SD)',
    );
    expect(f!.window).toEqual({ from: at(0, 8).toISOString(), to: at(15, 8).toISOString() });
    expect(f!.readings).toHaveLength(2);
  });

  it('respects the SD floor, so a very stable patient is not paged on noise', () => {
    // weight 80.0/80.1: SD 0.05, floored to 0.3 kg -> limit 80.65 kg
    expect(rules(days(alternating(80.0, 80.1, [80.5, 80.5]), weigh))).toEqual([]);
    const s = { ...DEFAULT_PERSONAL, weight: { ...DEFAULT_PERSONAL.weight, sdFloor: 0.05 } };
    expect(rules(days(alternating(80.0, 80.1, [80.5, 80.5]), weigh), s)).toEqual([
      'personal.weight_up',
    ]);
    const [f] = judge(days(alternating(80.0, 80.1, [80.8, 80.7]), weigh));
    expect(f!.rule).toBe('personal.weight_up');
    expect(renderReason(f!.reason, 'en')).toMatch(
      /SD 0\.30 \(floor\) over 14 days; threshold more than 80\.65 kg/,
    );
    expect(renderReason(f!.reason, 'sv')).toMatch(/SD 0,30 \(lägsta tillåtna\) under 14 dagar/);
  });

  it('has floors of 3 /min for pulse and 4 mmHg for systolic pressure', () => {
    // flat baselines: limits mean +/- 2 x floor
    expect(rules(days(alternating(70, 70, [75.9, 75.9]), hr))).toEqual([]);
    expect(rules(days(alternating(70, 70, [76.1, 76.1]), hr))).toEqual(['personal.pulse_up']);
    const sys = (values: number[]) => days(values, (d, v: number) => bp(d, v, null));
    expect(rules(sys(alternating(120, 120, [112.5, 112.5])))).toEqual([]);
    expect(rules(sys(alternating(120, 120, [111.9, 111.9])))).toEqual(['personal.systolic_down']);
    expect(rules(sys(alternating(120, 120, [128.1, 128.1])))).toEqual(['personal.systolic_up']);
  });

  it('raises personal.weight_down on a loss beyond 2 SD', () => {
    expect(rules(days(alternating(80.0, 80.1, [79.2, 79.3]), weigh))).toEqual([
      'personal.weight_down',
    ]);
  });

  it('needs at least 7 baseline days', () => {
    const six = [70, 70, 70, 70, 70, 70, 90, 90];
    expect(rules(days(six, hr))).toEqual([]);
    expect(rules(days([70, ...six], hr))).toEqual(['personal.pulse_up']);
  });

  it('takes the baseline from the days before the tested ones, leaving out excludeRecentDays', () => {
    const series = Array.from({ length: 22 }, (_, i) => ({
      day: `2026-01-${String(i + 1).padStart(2, '0')}`,
      value: 70,
      readings: [],
    }));
    const d0 = deviation(series, 'up', 2, 3, DEFAULT_PERSONAL)!;
    expect(d0.tested.map((v) => v.day)).toEqual(['2026-01-21', '2026-01-22']);
    expect([d0.baseline[0]!.day, d0.baseline.at(-1)!.day]).toEqual(['2026-01-07', '2026-01-20']);
    const d3 = deviation(series, 'up', 2, 3, { ...DEFAULT_PERSONAL, excludeRecentDays: 3 })!;
    expect([d3.baseline[0]!.day, d3.baseline.at(-1)!.day]).toEqual(['2026-01-04', '2026-01-17']);
  });

  it('uses the mean of the day for pulse (heart-rate readings and monitor pulses) and systolic pressure', () => {
    const rs = [hr(0, 60), bp(0, 120, 70, 8), bp(0, 130, 80, 20), weigh(0, 80), weigh(0, 82)];
    rs.push(reading('heart_rate', at(0, 21), { value: 90 }));
    const s = personalSeries(rs, TZ);
    expect(s.pulse.map((v) => v.value)).toEqual([75]);
    expect(s.systolic.map((v) => v.value)).toEqual([125]);
    expect(s.weight.map((v) => v.value)).toEqual([80]);
  });

  it('ignores questionable readings: a loose cuff, low perfusion, a pulse out of the monitor range', () => {
    const baseline = Array.from({ length: 14 }, (_, d) => bp(d, d % 2 ? 118 : 122, 70));
    const loose = [bp(14, 95, 70, 8, ['cuff_too_loose']), bp(15, 94, 70, 8, ['cuff_too_loose'])];
    expect(rules([...baseline, ...loose])).toEqual([]);
    const perfusion = [hr(14, 120, ['low_perfusion']), hr(15, 125, ['low_perfusion'])];
    expect(rules([...baseline, ...perfusion])).toEqual([]);
    const clamped = [
      bp(14, 120, 200, 8, ['pulse_rate_over_range']),
      bp(15, 120, 200, 8, ['pulse_rate_over_range']),
    ];
    expect(rules([...baseline, ...clamped])).toEqual([]);
    const real = [bp(14, 95, 70), bp(15, 94, 70)];
    expect(rules([...baseline, ...real])).toEqual(['personal.systolic_down']);
  });

  it("reports settings the care team set as the patient's own", () => {
    const s = { ...DEFAULT_PERSONAL, pulse: { ...DEFAULT_PERSONAL.pulse, kUp: 1.5 } };
    const [f] = judge(days(alternating(62, 74, [79, 79]), hr), s, new Set(['personal.pulse.kUp']));
    expect(f).toMatchObject({ rule: 'personal.pulse_up', threshold: { source: 'personal' } });
  });
});

describe('personalised detector: several signals together', () => {
  const weights = (then: number[]) => days(alternating(80.0, 80.4, then), weigh);
  const pulses = (then: number[]) => days(alternating(64, 72, then), hr);
  const pressures = (then: number[]) =>
    days(alternating(116, 124, then), (d, v: number) => bp(d, v, null, 9));

  it('raises personal.combined (high) when pulse and weight rise together', () => {
    const found = judge([...weights([81.4, 81.6]), ...pulses([84, 86]), ...pressures([120, 120])]);
    expect(found.map((f) => f.rule)).toEqual([
      'personal.weight_up',
      'personal.pulse_up',
      'personal.combined',
    ]);
    const c = found.at(-1)!;
    expect(c.severity).toBe('high');
    expect(c.values).toMatchObject({ weight: 81.6, pulse: 86 });
    expect(renderReason(c.reason, 'en')).toMatch(
      /^Several signals off the patient's own baseline together: weight up \(81\.6 kg, limit 80\.\d+\); pulse up \(86 beats\/min, limit 7\d(\.\d)?\); possible heart-failure decompensation$/,
    );
    expect(renderReason(c.reason, 'sv')).toMatch(
      /^Flera mätvärden avviker samtidigt .*vikt upp \(81,6 kg, gräns 80,\d+\); puls upp/,
    );
    expect(c.readings).toHaveLength(4);
  });

  it('raises personal.combined when weight rises and systolic pressure falls', () => {
    const found = judge([...weights([81.4, 81.6]), ...pressures([104, 103])]);
    expect(found.map((f) => f.rule)).toEqual([
      'personal.weight_up',
      'personal.systolic_down',
      'personal.combined',
    ]);
  });

  it('does not combine a single signal, nor a rising pressure', () => {
    expect(rules([...weights([81.4, 81.6]), ...pulses([70, 66])])).toEqual(['personal.weight_up']);
    expect(rules([...weights([81.4, 81.6]), ...pressures([140, 141])])).toEqual([
      'personal.weight_up',
      'personal.systolic_up',
    ]);
  });

  it('does not combine signals whose last days lie more than a day apart', () => {
    // the pulse stopped being measured 4 days before the weight breach
    const stale = days(alternating(64, 72, [84, 86]).slice(0, 12).concat([84, 86]), hr);
    expect(rules([...weights([80.2, 80.2, 80.2, 81.4, 81.6]), ...stale])).toEqual([
      'personal.weight_up',
      'personal.pulse_up',
    ]);
  });
});

describe('a stable patient', () => {
  it('raises nothing on any day of 60 days of realistic noise in weight, pulse and pressure', () => {
    const rand = mulberry32(1);
    const rs: RuleReading[] = [];
    for (let d = 0; d < 60; d++) {
      rs.push(weigh(d, Math.round((80 + 0.35 * gauss(rand)) * 10) / 10));
      for (const hh of [8, 20]) {
        const systolic = Math.round(125 + 8 * gauss(rand));
        rs.push(bp(d, systolic, Math.round(68 + 5 * gauss(rand)), hh));
      }
    }
    for (let d = 1; d <= 60; d++) {
      const upTo = rs.filter((r) => r.measuredAt < at(d, 0));
      expect(judge(upTo), `day ${d}`).toEqual([]);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_PERSONAL } from '../../../contract/plan.js';
import { renderReason } from '../../../contract/reasons.js';
import { evaluatePatient } from '../../../server/rules/evaluate.js';
import { dayNumber } from '../../../server/rules/localDay.js';
import type { DailyValue } from '../../../server/rules/personal.js';
import { judgeScore, quietReplaced } from '../../../server/rules/personalScore.js';
import { scoreDays, type ScoreSettings } from '../../../server/rules/scoreCore.js';
import { patientPlanSchema, resolvePlan } from '../../../server/plans/plan.js';
import type { Finding, RuleReading } from '../../../server/rules/types.js';
import { gauss, mulberry32, reading } from './support.js';

const S: ScoreSettings = {
  ...DEFAULT_PERSONAL.score,
  baselineDays: 10,
  excludeRecentDays: 2,
  minBaselineDays: 5,
  runDays: 7,
  k: 0.5,
  h: 4,
  clip: 4,
  weights: { weight: 1, pulse: 1, spo2: 1, systolic: 1 },
  sdFloor: { weight: 0.5, pulse: 3, spo2: 1, systolic: 5 },
};

const D0 = dayNumber('2026-10-01');
/** A series of `values` on consecutive days from 1 October (null: no value that day). */
const series = (values: Array<number | null>) => {
  const days: number[] = [];
  const vs: number[] = [];
  values.forEach((v, i) => {
    if (v === null) return;
    days.push(D0 + i);
    vs.push(v);
  });
  return { days, values: vs };
};

describe('the heart-failure score (CUSUM of own-baseline z-scores)', () => {
  it("accumulates a signal's z over the days, less k, and pages past h", () => {
    // ten days at 70 (SD 0: the floor, 3), then 76 and 79: z 2 and 3 (the two days before each
    // are left out of its baseline)
    const pulse = series([...Array<number>(10).fill(70), 76, 79]);
    const days = scoreDays({ pulse }, D0 + 11, S);
    expect(days.map((d) => d.day - D0)).toEqual([7, 8, 9, 10, 11]);
    const last2 = days.slice(-2);
    expect(last2.map((d) => d.score)).toEqual([2, 3]);
    // 0 + 2 - 0.5 = 1.5, then 1.5 + 3 - 0.5 = 4
    expect(last2.map((d) => d.cusum)).toEqual([1.5, 4]);
    expect(last2[1]!.parts[0]).toMatchObject({ signal: 'pulse', mean: 70, sd: 3, z: 3 });
  });

  it('weighs the signals and divides by every signal with a baseline, measured that day or not', () => {
    const pulse = series([...Array<number>(10).fill(70), 76]);
    const spo2 = series([...Array<number>(10).fill(96), 94]);
    const both = scoreDays({ pulse, spo2 }, D0 + 10, S).at(-1)!;
    expect(both.score).toBeCloseTo((2 + 2) / Math.SQRT2, 12);
    // the same day before the oximeter: SpO2 counts as its own mean, not as absent
    const morning = scoreDays({ pulse, spo2: series(Array<number>(10).fill(96)) }, D0 + 10, S);
    expect(morning.at(-1)!.score).toBeCloseTo(2 / Math.SQRT2, 12);
    // a weight of 0 leaves a signal out altogether
    const noSpo2 = scoreDays({ pulse, spo2 }, D0 + 10, {
      ...S,
      weights: { ...S.weights, spo2: 0 },
    });
    expect(noSpo2.at(-1)!.score).toBe(2);
  });

  it('turns each signal so that worse is positive: SpO2 and systolic pressure down', () => {
    const spo2 = series([...Array<number>(10).fill(96), 98]);
    const systolic = series([...Array<number>(10).fill(120), 110]);
    const day = scoreDays({ spo2, systolic }, D0 + 10, S).at(-1)!;
    expect(day.parts.map((p) => [p.signal, p.z])).toEqual([
      ['spo2', -2],
      ['systolic', 2],
    ]);
  });

  it('clips one wild value at clip SD, so that it cannot page alone', () => {
    const weight = series([...Array<number>(10).fill(80), 90]);
    const day = scoreDays({ weight }, D0 + 10, S).at(-1)!;
    expect(day.parts[0]!.z).toBe(4);
    expect(day.cusum).toBe(3.5);
  });

  it('needs minBaselineDays values before a signal counts, and skips days without values', () => {
    const pulse = series([70, 70, 70, 70, 70, null, 70, 80]);
    const days = scoreDays({ pulse }, D0 + 7, S);
    // day 6's baseline (days 0-3) has 4 values, day 7's (days 0-4) 5
    expect(days.map((d) => d.day - D0)).toEqual([7]);
  });

  it('leaves out what lies outside the run of runDays up to today, and anything after today', () => {
    const pulse = series([...Array<number>(10).fill(70), 90, 90, 70, 70]);
    expect(scoreDays({ pulse }, D0 + 9, S).every((d) => d.cusum === 0)).toBe(true);
    expect(scoreDays({ pulse }, D0 + 11, S).at(-1)!.day).toBe(D0 + 11);
  });
});

const day = (i: number) => `2026-10-${String(1 + i).padStart(2, '0')}`;
const values = (vs: number[]): DailyValue[] =>
  vs.map((value, i) => ({
    day: day(i),
    value,
    readings: [reading('heart_rate', `${day(i)}T07:00:00Z`, { value })],
  }));

describe('personal.score findings', () => {
  const flat = (v: number) => Array<number>(10).fill(v);
  it('says which signals raised it, their values against their own level, and the score', () => {
    const pulse = values([...flat(70), 76, 79]);
    const spo2 = values([...flat(96), 95, 94]);
    const j = judgeScore((s) => (s === 'pulse' ? pulse : s === 'spo2' ? spo2 : []), day(11), S);
    expect(j.finding).not.toBeNull();
    const f = j.finding!;
    expect(f.rule).toBe('personal.score');
    expect(f.severity).toBe('medium');
    expect(f.reason.params).toMatchObject({ signals: ['pulse', 'spo2'], limit: 4, days: 2 });
    expect(renderReason(f.reason, 'sv')).toContain('puls 79 slag/min (egen nivå 70)');
    expect(renderReason(f.reason, 'en')).toContain('SpO2 94 % (own level 96)');
    expect(f.readings).toHaveLength(4); // the two days of each signal that made the score
    expect(f.threshold).toMatchObject({ value: { h: 4, k: 0.5 }, source: 'default' });
    expect([...j.armed].sort()).toEqual(['pulse', 'spo2']);
  });

  it('is high at twice its limit, and says so when the care team set its settings', () => {
    const pulse = values([...flat(70), 82, 82, 82]);
    const j = judgeScore(
      (s) => (s === 'pulse' ? pulse : []),
      day(12),
      S,
      new Set(['personal.score.h']),
    );
    expect(j.finding!.severity).toBe('high');
    expect(j.finding!.threshold).toMatchObject({ source: 'personal', keys: ['personal.score.h'] });
  });

  it('finds nothing on a stable patient, nor on a day other than today', () => {
    // one day 3 SD up, then back: 2.5, 2.0, 1.5 (k 0.5 a day), never past h 4
    const once = values([...flat(70), 79, 70, 70]);
    expect(judgeScore((s) => (s === 'pulse' ? once : []), day(12), S).finding).toBeNull();
    // past h on day 11 (2.5 + 2.5), but a judgement of day 12, which has no value, finds nothing
    const twice = values([...flat(70), 79, 79]);
    expect(judgeScore((s) => (s === 'pulse' ? twice : []), day(11), S).finding).not.toBeNull();
    expect(judgeScore((s) => (s === 'pulse' ? twice : []), day(12), S).finding).toBeNull();
  });
});

describe('what the score replaces', () => {
  const f = (rule: string): Finding => ({
    rule,
    severity: 'medium',
    reason: { code: 'x', params: {} } as unknown as Finding['reason'],
    values: {},
    threshold: { value: 1, source: 'default', reference: '' },
    readings: [],
  });
  it("lowers a rule to 'info' when the signal it judges has a baseline, naming the score", () => {
    const out = quietReplaced(
      [
        'weight.gain_3d',
        'weight.macd',
        'weight.loss_1d',
        'personal.pulse_up',
        'personal.combined',
      ].map(f),
      new Set(['weight', 'spo2']),
    );
    expect(out.map((x) => [x.rule, x.severity, x.replacedBy])).toEqual([
      ['weight.gain_3d', 'info', 'personal.score'],
      ['weight.macd', 'medium', undefined],
      ['weight.loss_1d', 'medium', undefined],
      ['personal.pulse_up', 'medium', undefined],
      ['personal.combined', 'info', 'personal.score'],
    ]);
    expect(quietReplaced([f('weight.gain_1d')], new Set())[0]!.severity).toBe('medium');
    // a patient who only weighs: the score is a weight chart alone, the rules of thumb page
    expect(quietReplaced([f('weight.gain_1d')], new Set(['weight']))[0]!.severity).toBe('medium');
  });
});

describe('the score in evaluation', () => {
  const rand = mulberry32(3);
  const at = (d: number, minute: number) => new Date(Date.UTC(2026, 9, 1 + d, 6, minute));
  /** A morning's set: weight, then blood pressure with its pulse, then SpO2 and pulse. */
  const morning = (d: number, kg: number, pulse: number, spo2: number): RuleReading[] => [
    reading('body_weight', at(d, 0), { value: kg }),
    reading('blood_pressure', at(d, 5), {
      systolic: 120 + 5 * gauss(rand),
      diastolic: 75,
      pulse: pulse + 2 * gauss(rand),
    }),
    reading('spo2', at(d, 10), { value: spo2 }),
    reading('heart_rate', at(d, 10), { value: pulse + 2 * gauss(rand) }),
  ];
  const stable = (days: number) =>
    Array.from({ length: days }, (_, d) =>
      morning(d, 80 + 0.4 * gauss(rand), 70 + 2 * gauss(rand), Math.round(96 + 0.7 * gauss(rand))),
    ).flat();
  const live = (readings: RuleReading[], plan = resolvePlan()) => {
    const history: RuleReading[] = [];
    return readings.flatMap((r) => {
      history.push(r);
      return evaluatePatient(history, [r], plan);
    });
  };

  it('pages on a decompensation building over days in pulse, SpO2 and weight, and quiets the rules of thumb it replaces', () => {
    const history = stable(40);
    const worse = [1, 2, 3, 4, 5].flatMap((i) =>
      morning(40 + i - 1, 80 + 0.5 * i, 70 + 3 * i, 96 - 0.7 * i),
    );
    const findings = live([...history, ...worse]).filter((f) => f.measuredAt! >= '2026-11-10');
    const score = findings.filter((f) => f.rule === 'personal.score');
    expect(score.length).toBeGreaterThan(0);
    expect(score[0]!.severity).not.toBe('info');
    const gain = findings.filter((f) => f.rule === 'weight.gain_3d');
    expect(gain.length).toBeGreaterThan(0);
    expect(gain.every((g) => g.severity === 'info' && g.replacedBy === 'personal.score')).toBe(
      true,
    );
    // with replacesRules off, the rule of thumb pages as before
    const off = resolvePlan(
      patientPlanSchema.parse({ personal: { score: { replacesRules: false } } }),
    );
    const paged = live([...history, ...worse], off).filter((f) => f.rule === 'weight.gain_3d');
    expect(paged.length).toBeGreaterThan(0);
    expect(paged.every((g) => g.severity === 'high' && !g.replacedBy)).toBe(true);
  });

  it('leaves the rules of thumb paging for a patient who only weighs, baseline or not', () => {
    const steady = Array.from({ length: 20 }, (_, d) =>
      reading('body_weight', at(d, 0), { value: 80 + 0.3 * gauss(rand) }),
    );
    const jump = reading('body_weight', at(20, 0), { value: 82.6 });
    const gain = live([...steady, jump]).filter((f) => f.rule === 'weight.gain_1d');
    expect(gain.map((g) => [g.severity, g.replacedBy])).toEqual([['high', undefined]]);
  });

  it('leaves the rules of thumb paging for a patient without a baseline yet', () => {
    const days = [80, 80.1, 79.9, 80, 80.8, 81.5, 82.2].map((kg, d) =>
      reading('body_weight', at(d, 0), { value: kg }),
    );
    const gain = live(days).filter((f) => f.rule === 'weight.gain_3d');
    expect(gain.map((g) => [g.severity, g.replacedBy])).toEqual([['high', undefined]]);
  });

  it('raises nothing on 60 stable days of four signals', () => {
    const findings = live(stable(60)).filter((f) => f.rule === 'personal.score');
    expect(findings).toEqual([]);
  });
});

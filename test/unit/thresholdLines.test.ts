// What an alert's chart draws for each rule's threshold (server/patients/thresholds.ts): the
// limit where the readings meet it, in the readings' canonical unit.
import { describe, expect, it } from 'vitest';
import { thresholdView } from '../../server/patients/thresholds.js';
import type { Finding, ReadingRef } from '../../server/shapes/finding.js';

const ref = (type: ReadingRef['type']): ReadingRef => ({
  deviceId: 'd',
  messageId: 'm',
  type,
  measuredAt: '2026-12-03T07:00:00.000Z',
});
const finding = (rule: string, value: Finding['threshold']['value'], o: Partial<Finding> = {}) => ({
  rule,
  threshold: { value, source: 'default' as const, reference: 'r' },
  values: {},
  readings: [ref('body_weight')],
  ...o,
});

describe("a threshold's lines", () => {
  it('draws a weight change from the weight it is measured from, up for a gain, down for a loss', () => {
    expect(thresholdView(finding('weight.gain_3d', 1.5, { values: { baseline: 80 } }))).toEqual({
      unit: 'kg',
      lines: [
        { rule: 'weight.gain_3d', type: 'body_weight', field: 'value', value: 81.5, unit: 'kg' },
      ],
    });
    expect(
      thresholdView(finding('weight.loss_1d', 2, { values: { baseline: 80 } })).lines[0]!.value,
    ).toBe(78);
    // a trend has no line on the weights
    expect(thresholdView(finding('weight.macd', 1)).lines).toEqual([]);
    expect(
      thresholdView(finding('weight.above_dry_weight', { dryWeightKg: 78, toleranceKg: 2 }))
        .lines[0]!.value,
    ).toBe(80);
  });

  it('draws each pressure of a blood-pressure threshold, and a vital sign at its number', () => {
    const bp = thresholdView(
      finding(
        'bp.very_high',
        { systolic: 180, diastolic: 110 },
        { readings: [ref('blood_pressure')] },
      ),
    );
    expect(bp.unit).toBe('mm[Hg]');
    expect(bp.lines.map((l) => [l.field, l.value])).toEqual([
      ['systolic', 180],
      ['diastolic', 110],
    ]);
    const spo2 = thresholdView(finding('spo2.low', 92, { readings: [ref('spo2')] }));
    expect(spo2).toEqual({
      unit: '%',
      lines: [{ rule: 'spo2.low', type: 'spo2', field: 'value', value: 92, unit: '%' }],
    });
  });

  it("draws a personal limit on its signal's readings, and each of a combined finding's", () => {
    const up = thresholdView(
      finding(
        'personal.pulse_up',
        { k: 2, sdUsed: 3, limit: 84 },
        { readings: [ref('heart_rate')] },
      ),
    );
    expect(up.lines).toEqual([
      { rule: 'personal.pulse_up', type: 'heart_rate', field: 'value', value: 84, unit: '/min' },
    ]);
    const combined = thresholdView(
      finding(
        'personal.combined',
        { 'personal.weight_up': 82.1, 'personal.systolic_down': 104 },
        { readings: [ref('body_weight'), ref('blood_pressure')] },
      ),
    );
    expect(combined.unit).toBeNull();
    expect(combined.lines.map((l) => [l.rule, l.type, l.field, l.value])).toEqual([
      ['personal.weight_up', 'body_weight', 'value', 82.1],
      ['personal.systolic_down', 'blood_pressure', 'systolic', 104],
    ]);
  });

  it("draws the heart-failure score's own levels: each signal's baseline it was judged against", () => {
    const f = finding(
      'personal.score',
      { h: 5, k: 0.75 },
      { readings: [ref('heart_rate'), ref('spo2'), ref('body_weight')] },
    );
    const score = thresholdView({
      ...f,
      values: { score: 5.6, pulse: 84, pulseBaseline: 71.2, spo2: 93, spo2Baseline: 96.1 },
    });
    expect(score.unit).toBeNull();
    expect(score.lines.map((l) => [l.type, l.field, l.value])).toEqual([
      ['heart_rate', 'value', 71.2],
      ['spo2', 'value', 96.1],
    ]);
  });

  it('draws nothing for a score, a level or a missed measurement', () => {
    expect(thresholdView(finding('news2', { medium: 5, high: 7 }, { readings: [] }))).toEqual({
      unit: null,
      lines: [],
    });
    expect(
      thresholdView(finding('missing.body_weight', '2026-12-03T09:00:00Z', { readings: [] })).lines,
    ).toEqual([]);
  });
});

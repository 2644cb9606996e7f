// Which rules make one problem, which way each says the value went, and the value an update
// names: the pure part of "one card per patient and problem" (server/alerts/problems.ts).
import { describe, expect, it } from 'vitest';
import { directionOf, problemOf, valueOf } from '../../server/alerts/problems.js';

describe('alert problems', () => {
  it('groups the five weight rules, and the blood-pressure and pulse rules, each into one problem', () => {
    for (const rule of [
      'weight.gain_1d',
      'weight.gain_3d',
      'weight.loss_1d',
      'weight.loss_3d',
      'weight.macd',
      'weight.macd_loss',
      'weight.above_dry_weight',
      'weight.below_dry_weight',
      'personal.weight_up',
      'personal.weight_down',
    ]) {
      expect(problemOf(rule), rule).toBe('weight');
    }
    for (const rule of ['bp.very_high', 'bp.high_average', 'bp.low', 'personal.systolic_up']) {
      expect(problemOf(rule), rule).toBe('blood_pressure');
    }
    expect(problemOf('pulse.very_high')).toBe('pulse');
    expect(problemOf('personal.pulse_up')).toBe('pulse');
    expect(problemOf('spo2.very_low')).toBe('spo2');
  });

  it('keeps the scores, the combined finding, missed measurements and the rest problems of their own', () => {
    for (const rule of [
      'news2',
      'personal.combined',
      'missing.body_weight',
      'missing.blood_pressure',
      'rules.failed',
      'oncall.nobody',
    ]) {
      expect(problemOf(rule), rule).toBe(rule);
    }
  });

  it('knows which way each rule says the value went', () => {
    const up = [
      'weight.gain_1d',
      'weight.gain_3d',
      'weight.macd',
      'weight.above_dry_weight',
      'personal.weight_up',
      'bp.very_high',
      'bp.high_average',
      'personal.systolic_up',
      'pulse.high',
      'pulse.very_high',
      'temperature.fever',
      'temperature.high_fever',
      'glucose.high',
      'respiratory_rate.high',
    ];
    const down = [
      'weight.loss_1d',
      'weight.loss_3d',
      'weight.macd_loss',
      'weight.below_dry_weight',
      'personal.weight_down',
      'bp.low',
      'personal.systolic_down',
      'pulse.low',
      'pulse.very_low',
      'spo2.low',
      'spo2.very_low',
      'temperature.low',
      'glucose.very_low',
    ];
    for (const rule of up) expect(directionOf(rule), rule).toBe('up');
    for (const rule of down) expect(directionOf(rule), rule).toBe('down');
    for (const rule of [
      'news2',
      'personal.combined',
      'missing.body_weight',
      'consciousness.not_alert',
    ]) {
      expect(directionOf(rule), rule).toBeNull();
    }
  });

  it('names the value a finding is about', () => {
    expect(valueOf({ rule: 'weight.gain_3d', values: { baseline: 80, latest: 82.1 } })).toEqual({
      type: 'body_weight',
      value: 82.1,
    });
    expect(
      valueOf({ rule: 'personal.pulse_up', values: { latest: 96, baselineMean: 70 } }),
    ).toEqual({ type: 'heart_rate', value: 96 });
    expect(
      valueOf({ rule: 'personal.score', values: { score: 4.5, pulse: 84, pulseBaseline: 71 } }),
    ).toEqual({ type: 'hf_score', value: 4.5 });
    expect(valueOf({ rule: 'bp.very_high', values: { systolic: 182, diastolic: 95 } })).toEqual({
      type: 'blood_pressure',
      systolic: 182,
      diastolic: 95,
    });
    expect(
      valueOf({
        rule: 'bp.high_average',
        values: { averageSystolic: 152.3, averageDiastolic: 91, readings: 6 },
      }),
    ).toEqual({ type: 'blood_pressure', systolic: 152.3, diastolic: 91 });
    expect(valueOf({ rule: 'spo2.low', values: { spo2: 90 } })).toEqual({
      type: 'spo2',
      value: 90,
    });
    expect(valueOf({ rule: 'news2', values: { total: 7, band: 'high', spo2: 91 } })).toEqual({
      type: 'news2',
      value: 7,
    });
    expect(
      valueOf({ rule: 'missing.body_weight', values: { cause: 'none', dueAt: 'x' } }),
    ).toBeNull();
  });
});

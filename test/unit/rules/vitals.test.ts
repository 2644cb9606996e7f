import { renderReason } from '../../../contract/reasons.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_VITALS } from '../../../contract/plan.js';
import { judgeVitalSign, type ThresholdContext } from '../../../server/rules/vitals.js';
import { reading } from './support.js';

const ctx: ThresholdContext = { vitals: DEFAULT_VITALS, personal: new Set(), spo2Scale: 1 };
const at = '2026-11-23T07:00:00+01:00';
const rules = (type: Parameters<typeof reading>[0], value: number, c = ctx, extra = {}) =>
  judgeVitalSign(reading(type, at, { value, ...extra }), c).map((f) => `${f.rule}:${f.severity}`);

describe('single vital signs against the default thresholds', () => {
  it.each([
    [39, ['pulse.very_low:critical']],
    [40, ['pulse.very_low:critical']],
    [41, ['pulse.low:medium']],
    [50, ['pulse.low:medium']],
    [51, []],
    [110, []],
    [111, ['pulse.high:medium']],
    [130, ['pulse.high:medium']],
    [131, ['pulse.very_high:critical']],
  ])('a pulse of %d /min gives %j', (v, expected) => {
    expect(rules('heart_rate', v)).toEqual(expected);
  });

  it.each([
    [87, ['spo2.very_low:critical']],
    [88, ['spo2.low:high']],
    [91, ['spo2.low:high']],
    [92, []],
    [99, []],
  ])('SpO2 %d %% on scale 1 gives %j', (v, expected) => {
    expect(rules('spo2', v)).toEqual(expected);
  });

  it.each([
    [83, ['spo2.very_low:critical']],
    [84, ['spo2.low:high']],
    [87, ['spo2.low:high']],
    [88, []],
    [92, []],
  ])('SpO2 %d %% for a patient on scale 2 (target 88-92 %%) gives %j', (v, expected) => {
    expect(rules('spo2', v, { ...ctx, spo2Scale: 2 })).toEqual(expected);
  });

  it.each([
    [34.9, ['temperature.low:high']],
    [35.0, ['temperature.low:high']],
    [35.1, []],
    [38.0, []],
    [38.1, ['temperature.fever:medium']],
    [39.0, ['temperature.fever:medium']],
    [39.1, ['temperature.high_fever:high']],
  ])('a temperature of %d Cel gives %j', (v, expected) => {
    expect(rules('body_temperature', v)).toEqual(expected);
  });

  it.each([
    [2.9, ['glucose.very_low:critical']],
    [3.0, ['glucose.low:high']],
    [3.9, ['glucose.low:high']],
    [4.0, []],
    [15.0, []],
    [15.1, ['glucose.high:medium']],
  ])('blood glucose %d mmol/L gives %j', (v, expected) => {
    expect(rules('blood_glucose', v)).toEqual(expected);
  });

  it.each([
    [8, ['respiratory_rate.urgent:critical']],
    [9, []],
    [20, []],
    [21, ['respiratory_rate.high:medium']],
    [24, ['respiratory_rate.high:medium']],
    [25, ['respiratory_rate.urgent:critical']],
  ])('a respiratory rate of %d /min gives %j', (v, expected) => {
    expect(rules('respiratory_rate', v)).toEqual(expected);
  });

  it('treats anything but Alert on the ACVPU scale as critical', () => {
    for (const code of ['C', 'V', 'P', 'U']) {
      expect(judgeVitalSign(reading('consciousness', at, { code }), ctx)[0]?.severity).toBe(
        'critical',
      );
    }
    expect(judgeVitalSign(reading('consciousness', at, { code: 'A' }), ctx)).toEqual([]);
  });
});

describe('a finding explains itself', () => {
  it('names the rule, the value, the threshold and where it came from, in Swedish and English', () => {
    const [f] = judgeVitalSign(reading('spo2', at, { value: 90, supplementalOxygen: true }), ctx);
    expect(f).toMatchObject({
      rule: 'spo2.low',
      values: { spo2: 90 },
      threshold: { value: 92, source: 'default' },
      remeasure: true,
    });
    expect(renderReason(f!.reason, 'en')).toBe(
      'SpO2 90 % on oxygen: low (under 92 %); contact the same day',
    );
    expect(renderReason(f!.reason, 'sv')).toBe(
      'Syremättnad 90 % med syrgas: låg (under 92 %); kontakt samma dag',
    );
    expect(f!.readings).toHaveLength(1);
  });

  it("says when the threshold is the patient's own", () => {
    const personal: ThresholdContext = {
      vitals: { ...DEFAULT_VITALS, pulse: { ...DEFAULT_VITALS.pulse, contactHigh: 95 } },
      personal: new Set(['pulse.contactHigh']),
      spo2Scale: 1,
    };
    const [f] = judgeVitalSign(reading('heart_rate', at, { value: 100 }), personal);
    expect(f!.threshold).toMatchObject({ value: 95, source: 'personal' });
  });

  it('asks for a new measurement on borderline values but not on severe ones', () => {
    expect(judgeVitalSign(reading('heart_rate', at, { value: 115 }), ctx)[0]!.remeasure).toBe(true);
    expect(
      judgeVitalSign(reading('heart_rate', at, { value: 150 }), ctx)[0]!.remeasure,
    ).toBeUndefined();
  });
});

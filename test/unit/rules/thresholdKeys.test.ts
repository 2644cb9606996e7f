// A finding names the plan settings its threshold used that the care team set (`threshold.keys`,
// paths into the plan), so that the alert can say which plan change set them and who made it.
import { describe, expect, it } from 'vitest';
import { resolvePlan } from '../../../server/plans/plan.js';
import { judgeBloodPressure } from '../../../server/rules/bloodPressure.js';
import { judgeVitalSign } from '../../../server/rules/vitals.js';
import { judgeWeight } from '../../../server/rules/weight.js';
import type { DailyWeight } from '../../../server/rules/localDay.js';
import type { RuleReading } from '../../../server/rules/types.js';

const reading = (type: RuleReading['type'], o: Partial<RuleReading> = {}): RuleReading => ({
  deviceId: 'd',
  messageId: `m-${Math.random()}`,
  type,
  measuredAt: new Date('2026-12-03T07:00:00Z'),
  receivedAt: new Date('2026-12-03T07:00:00Z'),
  value: null,
  systolic: null,
  diastolic: null,
  pulse: null,
  code: null,
  ...o,
});

const day = (d: string, kg: number): DailyWeight => ({
  day: d,
  kg,
  reading: reading('body_weight', { value: kg, measuredAt: new Date(`${d}T07:00:00Z`) }),
});

describe('threshold.keys', () => {
  it("names a weight rule's own setting when the care team set it, and nothing for a default", () => {
    const plan = resolvePlan({ weight: { gain3dKg: 1.5 } });
    const found = judgeWeight(
      [day('2026-12-01', 80), day('2026-12-02', 80.2), day('2026-12-03', 81.8)],
      plan.weight,
      plan.overridden,
    );
    const byRule = Object.fromEntries(found.map((f) => [f.rule, f.threshold]));
    expect(byRule['weight.gain_3d']).toMatchObject({
      source: 'personal',
      keys: ['weight.gain3dKg'],
    });
    expect(byRule['weight.gain_1d']!.source).toBe('default');
    expect(byRule['weight.gain_1d']).not.toHaveProperty('keys');
  });

  it("writes a vital sign's key as the plan's path (under vitals)", () => {
    const plan = resolvePlan({ vitals: { pulse: { contactHigh: 100 } } });
    const [f] = judgeVitalSign(reading('heart_rate', { value: 105 }), {
      vitals: plan.vitals,
      personal: plan.overridden,
      spo2Scale: 1,
    });
    expect(f!.threshold).toMatchObject({
      value: 100,
      source: 'personal',
      keys: ['vitals.pulse.contactHigh'],
    });
  });

  it('names both pressures of a blood-pressure threshold only when set', () => {
    const plan = resolvePlan({ bloodPressure: { severeSystolic: 170 } });
    const [f] = judgeBloodPressure(
      [reading('blood_pressure', { systolic: 172, diastolic: 90 })],
      plan.bloodPressure,
      plan.overridden,
    );
    expect(f!.threshold.keys).toEqual(['bloodPressure.severeSystolic']);
  });
});

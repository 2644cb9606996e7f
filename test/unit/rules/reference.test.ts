import { describe, expect, it } from 'vitest';
import { resolvePlan } from '../../../server/plans/plan.js';
import { weightReferenceDays, weightReferenceOf } from '../../../server/rules/reference.js';
import type { RuleReading } from '../../../server/rules/types.js';

const DAY = 86_400_000;
const start = Date.UTC(2026, 10, 1, 6);
const weighing = (day: number, kg: number): RuleReading => ({
  deviceId: 'scale',
  messageId: `w-${day}`,
  type: 'body_weight',
  measuredAt: new Date(start + day * DAY),
  receivedAt: new Date(start + day * DAY),
  value: kg,
  systolic: null,
  diastolic: null,
  pulse: null,
  code: null,
});

describe("the weight chart's reference", () => {
  it('draws the baseline plus the 3-day limit, and the dry weight with its tolerance', () => {
    const plan = resolvePlan({ weight: { dryWeightKg: 80, dryWeightToleranceKg: 1.5 } });
    const weights = Array.from({ length: weightReferenceDays(plan) }, (_, d) =>
      weighing(d, 80 + (d % 2) * 0.2),
    );
    const ref = weightReferenceOf(weights, plan);
    expect(ref.baseline).not.toBeNull();
    expect(ref.baseline!.mean).toBeGreaterThan(79.9);
    expect(ref.baseline!.mean).toBeLessThan(80.3);
    expect(ref.lines.map((l) => l.label.en)).toEqual([
      'Baseline + 3-day gain limit',
      'Dry weight - tolerance',
      'Dry weight + tolerance',
    ]);
    expect(ref.lines[0]!.value).toBeCloseTo(ref.baseline!.mean + plan.weight.gain3dKg, 6);
    expect(ref.lines.slice(1).map((l) => l.value)).toEqual([78.5, 81.5]);
  });

  it('draws nothing without enough weighings or a dry weight', () => {
    const plan = resolvePlan({});
    expect(weightReferenceOf([weighing(0, 80)], plan)).toEqual({ baseline: null, lines: [] });
  });
});

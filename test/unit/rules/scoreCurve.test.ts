import { describe, expect, it } from 'vitest';
import { DEFAULT_PERSONAL } from '../../../contract/plan.js';
import { patientPlanSchema, resolvePlan } from '../../../server/plans/plan.js';
import { cohortFigures, POINTS, SWEPT_WITH } from '../../../server/rules/scoreCurve.js';
import { SWEEP_GRID } from '../../../simulators/evaluate/sweepGrid.js';

describe("the heart-failure score's curve, as the what-if shows it", () => {
  it('was swept with the settings the default plan has (those not swept)', () => {
    const s = DEFAULT_PERSONAL.score;
    expect({
      replacesRules: s.replacesRules,
      excludeRecentDays: s.excludeRecentDays,
      minBaselineDays: s.minBaselineDays,
      runDays: s.runDays,
      clip: s.clip,
      pulse: s.weights.pulse,
      spo2: s.weights.spo2,
      sdFloor: s.sdFloor,
    }).toEqual(SWEPT_WITH);
  });

  it("holds every point of the sweep's grid, and the default plan is one of them", () => {
    const grid = SWEEP_GRID.find((d) => d.key === 'personal_score')!.points.map((p) => p.params);
    expect(
      POINTS.map(({ h, k, weight, systolic, baselineDays }) => ({
        h,
        k,
        weight,
        systolic,
        baselineDays,
      })),
    ).toEqual(grid);
    const figures = cohortFigures(resolvePlan())!;
    expect(figures).not.toBeNull();
    expect(figures.falseAlertsPerPatientYear).toBeLessThanOrEqual(1);
    expect(figures).toMatchObject({ seeds: '1-5', patients: 500, days: 180 });
  });

  it('gives the figures of a setting on the curve, and none off it or with the rules paging', () => {
    const at = (score: object) =>
      cohortFigures(resolvePlan(patientPlanSchema.parse({ personal: { score } })));
    const p = POINTS.find((x) => x.h === 7 && x.k === 1)!;
    expect(at({ h: 7, k: 1 })).toMatchObject({ sensitivity: p.sensitivity });
    expect(at({ h: 7.5 })).toBeNull();
    expect(at({ runDays: 10 })).toBeNull();
    expect(at({ replacesRules: false })).toBeNull();
  });
});

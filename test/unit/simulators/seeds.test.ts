import { describe, expect, it } from 'vitest';
import { evaluateCohort } from '../../../simulators/evaluate/evaluateCohort.js';
import {
  checkTargets,
  chosenGrid,
  heldOutRows,
  TARGETS,
} from '../../../simulators/evaluate/heldOut.js';
import { formatHeldOut, targetText } from '../../../simulators/evaluate/heldOutReport.js';
import { seedListSchema, seedsText } from '../../../simulators/evaluate/seedList.js';
import {
  evaluateSeedsInParallel,
  heldOutCheck,
  sweepSeedsInParallel,
} from '../../../simulators/evaluate/seeds.js';
import type { CurvePoint, DetectorCurve, SweepReport } from '../../../simulators/evaluate/sweep.js';
import { SWEEP_GRID } from '../../../simulators/evaluate/sweepGrid.js';

const tiny = { patients: 6, days: 40 };

describe('--seeds', () => {
  it('reads a range or a list, and refuses the empty, the doubled and the malformed', () => {
    expect(seedListSchema.parse('1-5')).toEqual([1, 2, 3, 4, 5]);
    expect(seedListSchema.parse('1,2,3')).toEqual([1, 2, 3]);
    expect(seedListSchema.parse('6-7,9')).toEqual([6, 7, 9]);
    for (const bad of ['5-1', '1,1', '1-3,2', 'a', '1,', '-1', '1-200'])
      expect(seedListSchema.safeParse(bad).success, bad).toBe(false);
    expect(seedsText([1, 2, 3, 4, 5])).toBe('seeds 1-5');
    expect(seedsText([1, 3])).toBe('seeds 1, 3');
    expect(seedsText([2])).toBe('seed 2');
  });

  it('pools the seeds into one cohort: patients kept apart, episodes and alerts summed', async () => {
    const one = evaluateCohort({ ...tiny, seed: 1 });
    const two = evaluateCohort({ ...tiny, seed: 2 });
    const pooled = await evaluateSeedsInParallel(tiny, [1, 2], 1);
    expect(pooled.cohort.seeds).toEqual([1, 2]);
    expect(pooled.cohort.seed).toBeNull();
    expect(pooled.cohort.patients).toBe(12);
    expect(pooled.cohort.patientYears).toBeCloseTo(one.cohort.patientYears * 2, 9);
    expect(pooled.cohort.decompensations).toBe(
      one.cohort.decompensations + two.cohort.decompensations,
    );
    expect(pooled.cohort.decompensations).toBeGreaterThan(0);
    // scored patient by patient: had patient i of seed 1 and of seed 2 been merged, their
    // alerts would run together and the counts would not add up
    for (const k of ['episodes', 'detected', 'alerts', 'falseAlerts'] as const)
      expect(pooled.paging[k], k).toBe(one.paging[k] + two.paging[k]);
    expect(pooled.paging.alerts).toBeGreaterThan(0);
    // a single seed through the pooled path is the plain --seed evaluation
    const alone = await evaluateSeedsInParallel(tiny, [1], 1);
    expect(alone.paging).toEqual(one.paging);
    expect(alone.cohort.seed).toBe(1);
  });

  it('pools a sweep the same way: each point sums the seeds', async () => {
    const grid = [SWEEP_GRID[0]!];
    const [one, two, pooled] = await Promise.all([
      sweepSeedsInParallel(tiny, [1], 1, grid),
      sweepSeedsInParallel(tiny, [2], 1, grid),
      sweepSeedsInParallel(tiny, [1, 2], 1, grid),
    ]);
    expect(pooled.cohort.patients).toBe(12);
    for (const p of pooled.detectors[0]!.curve) {
      const at = (r: SweepReport) =>
        r.detectors[0]!.curve.find((q) => JSON.stringify(q.params) === JSON.stringify(p.params))!;
      expect(p.episodes).toBe(at(one).episodes + at(two).episodes);
      expect(p.detected).toBe(at(one).detected + at(two).detected);
    }
  });
});

const point = (gain1dKg: number, sensitivity: number, falseAlerts: number): CurvePoint => ({
  params: { gain1dKg },
  sensitivity,
  episodes: 100,
  detected: Math.round(sensitivity * 100),
  falseAlertsPerPatientYear: falseAlerts,
  medianWarningDays: 4,
  ppv: null,
});

const report = (curve: CurvePoint[], best: DetectorCurve['best']): SweepReport => ({
  cohort: {
    seed: null,
    seeds: [1, 2],
    source: null,
    patients: 10,
    days: 180,
    start: '2026-01-05T00:00:00.000Z',
    patientYears: 4.9,
    decompensations: 100,
  },
  detectors: [
    { key: 'rot_1d', label: 'Rule of thumb, 1 day', rules: ['weight.gain_1d'], curve, best },
  ],
  points: curve.length,
  runtimeMs: 0,
  generateMs: 0,
  replayMs: 0,
});

describe('--held-out', () => {
  // tuning chose 1.6 kg within 1 false alert and 1.2 kg within 2
  const tuning = report(
    [point(2.0, 0.4, 0.5), point(1.6, 0.6, 0.9), point(1.2, 0.7, 1.8)],
    [
      { maxFalseAlertsPerPatientYear: 1, point: point(1.6, 0.6, 0.9) },
      { maxFalseAlertsPerPatientYear: 2, point: point(1.2, 0.7, 1.8) },
    ],
  );

  it('scores the settings chosen on the tuning seeds, not chosen again on the held-out ones', () => {
    // held out, 2.0 kg would now be the best within 1 false alert: it must not be picked
    const held = report(
      [point(2.0, 0.9, 0.2), point(1.6, 0.5, 0.8), point(1.2, 0.68, 1.5)],
      [
        { maxFalseAlertsPerPatientYear: 1, point: point(2.0, 0.9, 0.2) },
        { maxFalseAlertsPerPatientYear: 2, point: point(2.0, 0.9, 0.2) },
      ],
    );
    const rows = heldOutRows(tuning, held);
    expect(rows.map((r) => r.params)).toEqual([{ gain1dKg: 1.6 }, { gain1dKg: 1.2 }]);
    expect(rows[0]!.heldOut!.sensitivity).toBe(0.5);
    expect(rows[0]!.differencePoints).toBeCloseTo(-10, 9);
    expect(rows[0]!.lossOverLimit).toBe(true);
    expect(rows[1]!.differencePoints).toBeCloseTo(-2, 9);
    expect(rows[1]!.lossOverLimit).toBe(false);
  });

  it('replays only the chosen points on the held-out seeds', () => {
    const grid = chosenGrid(tuning, [SWEEP_GRID[0]!]);
    expect(grid[0]!.points.map((p) => p.params)).toEqual([{ gain1dKg: 1.2 }, { gain1dKg: 1.6 }]);
  });

  it('runs end to end on tiny cohorts with the tuning choice', async () => {
    const grid = SWEEP_GRID.slice(0, 2);
    const t = await sweepSeedsInParallel(tiny, [1, 2], 1, grid);
    const h = await heldOutCheck(tiny, t, [1, 2], [3], 1, grid);
    expect(h.heldOutSeeds).toEqual([3]);
    expect(h.cohort.patients).toBe(6);
    expect(h.rows.map((r) => r.params)).toEqual(
      t.detectors.flatMap((d) => d.best.map((b) => b.point?.params ?? null)),
    );
    for (const r of h.rows) if (r.params) expect(r.heldOut?.params).toEqual(r.params);
    const direct = await evaluateSeedsInParallel(tiny, [3], 1);
    expect(h.paging).toEqual(direct.paging);
    expect(h.targets).toEqual(checkTargets(direct.heartFailure));
    const text = formatHeldOut(h);
    expect(text).toContain('Tuning (seeds 1-2) against held-out (seed 3, never tuned on)');
    expect(text).toMatch(/target >= 82\.0 %: /);
  });
});

describe("issue 19's targets", () => {
  it('says met or not, and by how much', () => {
    const [s, f, w] = checkTargets({
      sensitivity: 0.75,
      falseAlertsPerPatientYear: 0.8,
      medianWarningDays: 3,
    });
    expect(s).toMatchObject({ target: 'sensitivity', goal: 0.82, met: false });
    expect(s!.margin).toBeCloseTo(-0.07, 9);
    expect(targetText(s!)).toBe('>= 82.0 %: 75.0 %, not met, short by 7.0 points');
    expect(f).toMatchObject({ goal: 1, met: true });
    expect(f!.margin).toBeCloseTo(0.2, 9);
    expect(targetText(f!)).toBe(
      '<= 1.00 false alerts/pt-yr: 0.80 false alerts/pt-yr, met with 0.20 a patient-year to spare',
    );
    expect(w).toMatchObject({ goal: 3, met: true, margin: 0 }); // exactly on the target meets it
    const over = checkTargets({
      sensitivity: 0.9,
      falseAlertsPerPatientYear: 2.5,
      medianWarningDays: null,
    });
    expect(over.map((t) => t.met)).toEqual([true, false, false]);
    expect(targetText(over[1]!)).toContain('not met, over by 1.50 a patient-year');
    expect(over[2]!.margin).toBeNull();
    expect(TARGETS.maxLossPoints).toBe(5);
  });
});

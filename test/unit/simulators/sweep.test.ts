import { describe, expect, it } from 'vitest';
import { checkPlan, resolvePlan } from '../../../server/plans/plan.js';
import { evaluateCohort } from '../../../simulators/evaluate/evaluateCohort.js';
import {
  bestPoint,
  mergePlan,
  sweepCohortInParallel,
  type CurvePoint,
} from '../../../simulators/evaluate/sweep.js';
import { onFrontier, sweepSvg, X_TITLE, Y_TITLE } from '../../../simulators/evaluate/sweepChart.js';
import { SWEEP_GRID } from '../../../simulators/evaluate/sweepGrid.js';
import { formatSweep, sweepJson } from '../../../simulators/evaluate/sweepReport.js';

const small = { patients: 12, days: 40, seed: 3 };

/** The point of each detector that is the hub's default plan (contract/plan.ts). */
const DEFAULTS: Record<string, Record<string, number | string>> = {
  rot_1d: { gain1dKg: 1.36 },
  rot_3d: { gain3dKg: 2 },
  macd: { shortDays: 3, longDays: 10, thresholdKg: 1 },
  personal_any: { k: 2, consecutive: 2, baselineDays: 14, sdFloor: 'x1' },
  personal_combined: { members: 'w+p+s', needed: 2, k: 2, withinDays: 1 },
  personal_score: { h: 3, k: 1, weight: 0.3, systolic: 0.3, baselineDays: 28 },
};

const point = (sensitivity: number | null, falseAlerts: number, warning = 1): CurvePoint => ({
  params: { s: sensitivity ?? 'n/a', f: falseAlerts },
  sensitivity,
  episodes: 10,
  detected: Math.round((sensitivity ?? 0) * 10),
  falseAlertsPerPatientYear: falseAlerts,
  medianWarningDays: warning,
  ppv: null,
});

/** Well-formed XML: every tag closed in order, attributes quoted, no stray `<` or `&`. */
function wellFormed(xml: string): boolean {
  const stack: string[] = [];
  let bad = false;
  const text = xml.replace(/<[^>]*>/g, (tag) => {
    const m = /^<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>$/.exec(tag);
    if (!m || (m[1] && stack.pop() !== m[2])) bad = true;
    else if (!m[1] && !m[4]) stack.push(m[2]!);
    return '';
  });
  return !bad && stack.length === 0 && !/<|&(?!(amp|lt|gt|quot|apos|#\d+|#x[\da-f]+);)/i.test(text);
}

describe('npm run evaluate -- --sweep', () => {
  const sweep = sweepCohortInParallel(small, 1);

  it('gives each detector one curve point per grid point, sorted by false alerts', async () => {
    const r = await sweep;
    expect(r.detectors.map((d) => d.key)).toEqual(SWEEP_GRID.map((d) => d.key));
    expect(r.points).toBe(SWEEP_GRID.reduce((a, d) => a + d.points.length, 0));
    for (const [i, d] of r.detectors.entries()) {
      const grid = SWEEP_GRID[i]!;
      expect(d.curve).toHaveLength(grid.points.length);
      expect(d.curve.map((p) => p.params)).toEqual(
        expect.arrayContaining(grid.points.map((p) => p.params)),
      );
      const fa = d.curve.map((p) => p.falseAlertsPerPatientYear);
      expect(fa).toEqual([...fa].sort((a, b) => a - b));
      for (const p of d.curve) expect(p.episodes).toBe(r.cohort.decompensations);
      expect(d.best.map((b) => b.maxFalseAlertsPerPatientYear)).toEqual([1, 2]);
    }
    expect(r.cohort.decompensations).toBeGreaterThan(0);
    const text = formatSweep(r);
    expect(text).toContain('Rule of thumb, 1 day (weight.gain_1d)');
    expect(text).toMatch(/best at <= 1 false alert\(s\)\/pt-yr: /);
    expect(text).toMatch(/Runtime \d+\.\d s wall/);
    expect(JSON.parse(JSON.stringify(sweepJson(r))).detectors).toHaveLength(SWEEP_GRID.length);
  });

  it("scores the default point as the full evaluation scores the rule (the sweep's reading types lose nothing)", async () => {
    const r = await sweep;
    const full = evaluateCohort(small);
    for (const d of r.detectors) {
      const at = d.curve.find((p) => JSON.stringify(p.params) === JSON.stringify(DEFAULTS[d.key]));
      const row = full.rows.find((x) => x.key === d.key)!.score;
      expect(at, d.key).toBeDefined();
      expect({ key: d.key, ...at, params: undefined }).toEqual({
        key: d.key,
        params: undefined,
        sensitivity: row.sensitivity,
        episodes: row.episodes,
        detected: row.detected,
        falseAlertsPerPatientYear: row.falseAlertsPerPatientYear,
        medianWarningDays: row.medianWarningDays,
        ppv: row.ppv,
      });
    }
  });

  it('gives the same curves on two worker threads as in one', async () => {
    const tiny = { patients: 4, days: 14, seed: 5 };
    const [one, two] = await Promise.all([
      sweepCohortInParallel(tiny, 1),
      sweepCohortInParallel(tiny, 2),
    ]);
    expect(two.detectors).toEqual(one.detectors);
    // three worker threads each replaying 77 grid points: ~2 s alone, 5 s on a loaded machine
  }, 30_000);

  it('only tries plans the hub accepts, laid over the patient plan without losing it', () => {
    for (const d of SWEEP_GRID) {
      for (const p of d.points) expect(() => checkPlan(p.plan), JSON.stringify(p)).not.toThrow();
    }
    const merged = mergePlan(
      { weight: { dryWeightKg: 80, macd: { thresholdKg: 2 } }, timeZone: 'Europe/Helsinki' },
      { weight: { gain1dKg: 1, macd: { shortDays: 5, longDays: 15 } } },
    );
    const plan = resolvePlan(merged);
    expect(plan.timeZone).toBe('Europe/Helsinki');
    expect(plan.weight).toMatchObject({ dryWeightKg: 80, gain1dKg: 1 });
    expect(plan.weight.macd).toMatchObject({ shortDays: 5, longDays: 15, thresholdKg: 2 });
  });

  it('chooses the most sensitive point within each false-alert budget', () => {
    const curve = [
      point(0, 0),
      point(0.2, 0.3),
      point(0.4, 0.9, 2),
      point(0.4, 0.8, 1), // as sensitive, fewer false alerts: preferred
      point(0.5, 1.0), // on the budget: within it
      point(0.45, 1.5),
      point(0.7, 2.01),
      point(0.9, 6),
    ];
    expect(bestPoint(curve, 1)?.params).toEqual({ s: 0.5, f: 1 });
    expect(bestPoint(curve, 0.85)?.params).toEqual({ s: 0.4, f: 0.8 });
    expect(bestPoint(curve, 2)?.params).toEqual({ s: 0.5, f: 1 });
    expect(bestPoint(curve, 10)?.params).toEqual({ s: 0.9, f: 6 });
    // none reaches it: a setting that detects nothing is no operating point
    expect(bestPoint(curve, 0.1)).toBeNull();
    expect(bestPoint([point(null, 0.1)], 1)).toBeNull();
    expect(onFrontier(curve.slice(0, 4))).toEqual([true, true, true, false]);
  });

  it('draws the curves as a well-formed SVG with both axes titled', async () => {
    const svg = await sweepSvg(await sweep);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(wellFormed(svg)).toBe(true);
    expect(wellFormed('<svg><g></svg>')).toBe(false);
    expect(svg).toContain(X_TITLE);
    expect(svg).toContain(Y_TITLE);
    expect(svg).toContain('Rule of thumb, 1 day');
  });
});

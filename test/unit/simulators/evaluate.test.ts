import { describe, expect, it } from 'vitest';
import { REPORT_ROWS } from '../../../simulators/evaluate/comparisons.js';
import { evaluateCohort } from '../../../simulators/evaluate/evaluateCohort.js';
import { evaluateCohortInParallel } from '../../../simulators/evaluate/parallel.js';
import { formatReport } from '../../../simulators/evaluate/report.js';
import { scoreRules, type ScoredPatient } from '../../../simulators/evaluate/score.js';

const DAY = 86_400_000;
const small = { patients: 20, days: 60, seed: 3 };
const row = (r: ReturnType<typeof evaluateCohort>, key: string) =>
  r.rows.find((x) => x.key === key)!.score;

describe('npm run evaluate: the alert-quality report', () => {
  const report = evaluateCohort(small);

  it('reports every rule row with its published comparators, on the cohort asked for', () => {
    expect(report.cohort.patients).toBe(20);
    expect(report.cohort.days).toBe(60);
    expect(report.cohort.patientYears).toBeCloseTo((20 * 60) / 365.25, 6);
    expect(report.cohort.readings).toBeGreaterThan(20 * 60 * 3);
    expect(report.rows.map((r) => r.key)).toEqual(REPORT_ROWS.map((r) => r.key));
    for (const { score } of report.rows) {
      expect(score.episodes).toBe(report.cohort.decompensations);
      expect(score.detected).toBeLessThanOrEqual(score.episodes);
      expect(score.falseAlerts).toBeLessThanOrEqual(score.alerts);
      if (score.sensitivity !== null) {
        expect(score.sensitivity).toBeCloseTo(score.detected / score.episodes, 9);
      }
    }
    const text = formatReport(report);
    expect(text).toContain('Rule of thumb, 1 day (> 1.36 kg)');
    expect(text).toContain('published: Zhang 2009 (TEN-HMS), RoT 3 lb/1 d [V]: sensitivity 58 %');
    expect(text).toContain('Ledwidge 2013 (HeartPhone), individualised moving average');
    expect(text).toMatch(/runtime: \d+\.\d s/);
  });

  it('is the same for the same seed', () => {
    const again = evaluateCohort(small);
    expect(again.rows).toEqual(report.rows);
    expect(again.otherRules).toEqual(report.otherRules);
  });

  it('says n/a for sensitivity when the cohort has no decompensations', () => {
    const none = evaluateCohort({ ...small, decompensatingShare: 0 });
    expect(none.cohort.decompensations).toBe(0);
    for (const { score } of none.rows) {
      expect(score.sensitivity).toBeNull();
      expect(score.medianWarningDays).toBeNull();
    }
    // no alert on a cohort without decompensations is a true one
    expect(row(none, 'rot_any').alerts).toBeGreaterThan(0);
    expect(row(none, 'rot_any').ppv).toBe(0);
    expect(formatReport(none)).toMatch(/Rule of thumb, 1 day \(> 1\.36 kg\)\s+n\/a \(0\/0\)/);
  });

  it('catches large weight gains with the rule of thumb, and misses decompensations without gain', () => {
    const wet = evaluateCohort({ ...small, decompensatingShare: 1, decompensationGainKg: 6 });
    const dry = evaluateCohort({ ...small, decompensatingShare: 1, decompensationGainKg: 0 });
    expect(wet.cohort.decompensations).toBeGreaterThanOrEqual(15);
    expect(row(wet, 'rot_any').sensitivity).toBeGreaterThan(0.85);
    expect(row(wet, 'rot_3d').sensitivity).toBeGreaterThan(0.6);
    expect(row(wet, 'rot_any').medianWarningDays).toBeGreaterThan(0);
    // the same patients and episodes (same seed), only the weight differs
    expect(dry.cohort.decompensations).toBe(wet.cohort.decompensations);
    expect(row(dry, 'rot_3d').sensitivity!).toBeLessThan(0.25);
    expect(row(dry, 'rot_any').sensitivity!).toBeLessThan(row(wet, 'rot_any').sensitivity! - 0.4);
  });

  it('refuses a cohort it cannot build', () => {
    expect(() => evaluateCohort({ patients: 0 })).toThrow();
    expect(() => evaluateCohort({ decompensatingShare: 1.5 })).toThrow();
  });
});

describe('scoring alerts against the ground truth', () => {
  const t0 = Date.UTC(2026, 0, 10, 6);
  const dayNo = (t: number) => Math.floor(t / DAY);
  const at = (d: number) => ({ day: dayNo(t0 + d * DAY), at: t0 + d * DAY });
  const patient: ScoredPatient = {
    // start day 0, peak day 10, end day 20
    episodes: [{ start: t0, peak: t0 + 10 * DAY, end: t0 + 20 * DAY }],
    // an infection on days 40-45
    otherEpisodes: [{ start: t0 + 40 * DAY, peak: t0 + 42 * DAY, end: t0 + 45 * DAY }],
    rules: new Map([
      // an alert opening day 4 and running on day 5, then one after the end: false
      ['a', [at(4), at(5), at(30)]],
      // only after the peak (recovery): not a detection, but not a false alert either
      ['b', [at(12)]],
      // only before the episode: false, and no detection
      ['c', [at(-5), at(-4), at(-3)]],
      // during the infection: neither true nor false
      ['d', [at(41)]],
    ]),
  };

  it('counts a detection between start and peak, with the warning time before the peak', () => {
    const a = scoreRules([patient], ['a'], 1);
    expect(a.sensitivity).toBe(1);
    expect(a.medianWarningDays).toBeCloseTo(6, 9);
    expect(a.alerts).toBe(2);
    expect(a.falseAlerts).toBe(1);
    expect(a.ppv).toBe(0.5);
  });

  it('does not count a finding after the peak as a warning, nor as a false alert', () => {
    const b = scoreRules([patient], ['b'], 1);
    expect(b.sensitivity).toBe(0);
    expect(b.medianWarningDays).toBeNull();
    expect(b.falseAlerts).toBe(0);
  });

  it('counts consecutive days as one alert, and rules in a group as one detector', () => {
    const c = scoreRules([patient], ['c'], 2);
    expect(c.alerts).toBe(1);
    expect(c.falseAlertsPerPatientYear).toBe(0.5);
    const group = scoreRules([patient], ['a', 'b', 'c'], 1);
    expect(group.sensitivity).toBe(1);
    expect(group.alerts).toBe(4);
  });

  it('counts an alert during an infection apart: not a decompensation, not a false alert', () => {
    const d = scoreRules([patient], ['d'], 1);
    expect(d.alerts).toBe(1);
    expect(d.falseAlerts).toBe(0);
    expect(d.otherEpisodeAlertsPerPatientYear).toBe(1);
    expect(d.ppv).toBe(0);
  });
});

describe('npm run evaluate on several threads', () => {
  it('gives the same report as one thread', async () => {
    const options = { patients: 12, days: 30, seed: 5 };
    const one = evaluateCohort(options);
    const two = await evaluateCohortInParallel(options, 2);
    expect({ ...two, runtimeMs: 0 }).toEqual({ ...one, runtimeMs: 0 });
    expect(two.cohort.readings).toBeGreaterThan(0);
  }, 60_000);
});

import { describe, expect, it } from 'vitest';
import {
  evaluatePatient,
  lookBackDays,
  lookBackMs,
  seriesWindow,
} from '../../../server/rules/evaluate.js';
import { patientPlanSchema, resolvePlan } from '../../../server/plans/plan.js';
import type { RuleReading } from '../../../server/rules/types.js';
import { mulberry32, reading } from './support.js';

const plan = resolvePlan();

/** Uniform noise in [-0.5, 0.5) from a seeded PRNG, for realistic day-to-day variation. */
const noise = (seed: number) => {
  const rand = mulberry32(seed);
  return () => rand() - 0.5;
};

const morning = (day: number, kg: number) =>
  reading('body_weight', new Date(Date.UTC(2026, 9, 1 + day, 6, 0)), { value: kg });

/** Feeds readings to the rules one by one, as they would arrive, and collects the findings. */
function live(readings: RuleReading[], p = plan) {
  const history: RuleReading[] = [];
  return readings.flatMap((r) => {
    history.push(r);
    return evaluatePatient(history, [r], p);
  });
}

describe('evaluating a heart-failure patient day by day', () => {
  it('raises nothing for a stable patient with daily noise over 60 days', () => {
    const rand = noise(7);
    const days = Array.from({ length: 60 }, (_, d) => morning(d, 82 + rand() * 0.8));
    expect(live(days)).toEqual([]);
  });

  it('raises a 3-day gain of more than 2 kg when the third day comes', () => {
    const days = [80, 80.1, 79.9, 80, 80.8, 81.5, 82.2].map((kg, d) => morning(d, kg));
    const findings = live(days);
    expect(findings.map((f) => f.rule)).toContain('weight.gain_3d');
    expect(findings.find((f) => f.rule === 'weight.gain_3d')!.trigger.messageId).toBe(
      days[6]!.messageId,
    );
  });

  it('ignores a second weighing of the same day for the trend', () => {
    const days = [80, 80.1, 79.9, 80].map((kg, d) => morning(d, kg));
    const evening = reading('body_weight', new Date(Date.UTC(2026, 9, 4, 18, 0)), { value: 83 });
    expect(live([...days, evening]).filter((f) => f.rule.startsWith('weight.'))).toEqual([]);
  });

  it('judges across a missing day', () => {
    const days = [morning(0, 80), morning(1, 80), morning(3, 82.3)];
    expect(live(days).map((f) => f.rule)).toContain('weight.gain_3d');
  });

  it('marks as late, at a severity that pages no one, what a backlog shows about a past that newer readings superseded', () => {
    const before = [80, 80, 80].map((kg, d) => morning(d, kg));
    const backlog = [82.5, 82.6, 80.1].map((kg, i) => morning(3 + i, kg)); // back to normal by the last
    const history = [...before, ...backlog];
    const findings = evaluatePatient(history, backlog, plan);
    const gain = findings.filter((f) => f.rule === 'weight.gain_3d');
    expect(gain.length).toBeGreaterThan(0);
    expect(gain.every((f) => f.late === true && f.severity === 'low')).toBe(true);
  });

  it('does not mark the newest reading of a backlog as late', () => {
    const before = [80, 80, 80].map((kg, d) => morning(d, kg));
    const backlog = [80.5, 81.2, 82.4].map((kg, i) => morning(3 + i, kg));
    const last = evaluatePatient([...before, ...backlog], backlog, plan).filter(
      (f) => f.trigger.messageId === backlog[2]!.messageId && f.rule === 'weight.gain_3d',
    );
    expect(last).toHaveLength(1);
    expect(last[0]!.late).toBeUndefined();
    expect(last[0]!.severity).toBe('high');
  });

  it('never alerts on a reading the device flags as questionable', () => {
    const r = reading('spo2', '2026-11-23T07:00:00Z', {
      value: 80,
      deviceStatus: ['low_perfusion'],
    });
    expect(evaluatePatient([r], [r], plan)).toEqual([]);
  });
});

describe('NEWS2 in evaluation', () => {
  const at = (min: number) => new Date(Date.UTC(2026, 10, 23, 8, min));
  const set = [
    reading('respiratory_rate', at(0), { value: 22 }),
    reading('spo2', at(1), { value: 95 }),
    reading('blood_pressure', at(2), { systolic: 105, diastolic: 70 }),
    reading('heart_rate', at(3), { value: 95 }),
    reading('consciousness', at(4), { code: 'A' }),
    reading('body_temperature', at(5), { value: 38.2 }),
  ];

  it('scores when the seventh parameter completes a set within the hour', () => {
    // RR 22 -> 2, SpO2 95 -> 1, air 0, SBP 105 -> 1, pulse 95 -> 1, A 0, 38.2 -> 1: total 6
    const findings = live(set).filter((f) => f.rule === 'news2');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.values.total).toBe(6);
    expect(findings[0]!.trigger.messageId).toBe(set[5]!.messageId);
  });

  it('never scores a partial set', () => {
    expect(live(set.slice(0, 5)).filter((f) => f.rule === 'news2')).toEqual([]);
  });
});

describe("a patient's plan", () => {
  it("makes a finding say it used the patient's own threshold", () => {
    const own = resolvePlan(patientPlanSchema.parse({ vitals: { pulse: { contactHigh: 95 } } }));
    const r = reading('heart_rate', '2026-11-23T07:00:00Z', { value: 100 });
    expect(evaluatePatient([r], [r], own)[0]).toMatchObject({
      rule: 'pulse.high',
      threshold: { value: 95, source: 'personal' },
    });
    expect(evaluatePatient([r], [r], plan)).toEqual([]);
  });

  it('switches SpO2 to scale 2 for a patient with a prescribed target of 88-92 %', () => {
    const copd = resolvePlan(patientPlanSchema.parse({ spo2Scale: 2 }));
    const r = reading('spo2', '2026-11-23T07:00:00Z', { value: 89 });
    expect(evaluatePatient([r], [r], copd)).toEqual([]);
    expect(evaluatePatient([r], [r], plan)[0]!.rule).toBe('spo2.low');
  });

  it.each([
    [{ vitals: { pulse: { contactHihg: 95 } } }, 'vitals.pulse'],
    [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
    [{ spo2Scale: 3 }, 'spo2Scale'],
    [{ measurements: [{ type: 'body_weight', dueBy: '25:00' }] }, 'measurements.0.dueBy'],
  ])('refuses %j, naming the field', (bad, path) => {
    const r = patientPlanSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path.join('.')).toBe(path);
  });
});

describe('the history a reading is judged against', () => {
  it('is the look-back window before it, so older stored readings do not change the findings', () => {
    const rand = noise(11);
    const recent = Array.from({ length: 40 }, (_, d) => morning(100 + d, 82 + rand() * 0.8));
    recent.push(morning(140, 84.6)); // a gain the rules of thumb see
    const ancient = Array.from({ length: 60 }, (_, d) => morning(d, 95 + rand() * 0.8));
    const last = recent.at(-1)!;
    const alone = evaluatePatient(recent, [last], plan);
    expect(alone.length).toBeGreaterThan(0);
    expect(evaluatePatient([...ancient, ...recent], [last], plan)).toEqual(alone);
    expect(lookBackDays(plan)).toBeGreaterThanOrEqual(35);
  });

  it('starts its daily series at the local midnight of its first day, so a day is never judged on part of it', () => {
    // the heart-failure score's 28-day baseline, 3 days left out and 14 summed
    expect(lookBackDays(plan)).toBe(45);
    // noon in Stockholm (CET); 45 days before is 26 September, in summer time (UTC+2)
    const r = reading('body_weight', new Date(Date.UTC(2026, 10, 10, 11)), { value: 82 });
    const w = seriesWindow(r, plan);
    expect(w.spans[0]!.day).toBe('2026-09-26');
    expect(w.from + 1).toBe(Date.UTC(2026, 8, 25, 22)); // the day whole, its 07:00 weight too
    expect(w.spans[0]!.start).toBe(w.from);
    expect(w.spans.at(-1)!.day).toBe('2026-11-10');
    expect(w.to).toBe(r.measuredAt.getTime());
  });

  it('reaches back no further than what the runner loads and keeps, in any zone and season', () => {
    const start = Date.UTC(2026, 0, 1);
    for (const timeZone of ['Europe/Stockholm', 'America/New_York', 'Australia/Lord_Howe']) {
      const p = resolvePlan(patientPlanSchema.parse({ timeZone }));
      for (let t = start; t < start + 366 * 86_400_000; t += 3 * 3_600_000 + 17 * 60_000) {
        const r = reading('heart_rate', new Date(t), { value: 70 });
        expect(t - lookBackMs(p)).toBeLessThanOrEqual(seriesWindow(r, p).from);
      }
    }
  });

  it('widens with a personal baseline the care team made longer', () => {
    const wide = resolvePlan(patientPlanSchema.parse({ personal: { baselineDays: 60 } }));
    expect(lookBackDays(wide)).toBeGreaterThanOrEqual(60 + 2);
  });
});

describe("the patient's own baseline in evaluation", () => {
  // two weeks of steady weight and pulse, then the weight climbs for two days
  const at = (day: number, hour: number) => new Date(Date.UTC(2026, 9, 1 + day, hour, 0));
  const weighing = (day: number, kg: number) => reading('body_weight', at(day, 6), { value: kg });
  const pulse = (day: number, bpm: number) => reading('heart_rate', at(day, 8), { value: bpm });
  const rand = noise(3);
  const steady = Array.from({ length: 14 }, (_, d) => [
    weighing(d, 80 + rand() * 0.4),
    pulse(d, 70 + rand() * 4),
  ]).flat();
  const rising = [weighing(14, 82), pulse(14, 71), weighing(15, 82.4), pulse(15, 70)];

  it('judges a weight on weighings: the pulse measured after it does not raise the weight again', () => {
    const findings = live([...steady, ...rising]).filter((f) => f.rule.startsWith('personal.'));
    const weightUp = findings.filter((f) => f.rule === 'personal.weight_up');
    expect(weightUp.map((f) => f.trigger.messageId)).toEqual([rising[2]!.messageId]);
  });

  it('raises personal.combined on the pulse that goes off on top of a weight already off', () => {
    const racing = [weighing(14, 82), pulse(14, 85), weighing(15, 82.4), pulse(15, 86)];
    const findings = live([...steady, ...racing]);
    const combined = findings.filter((f) => f.rule === 'personal.combined');
    expect(combined.map((f) => f.trigger.messageId)).toEqual([racing[3]!.messageId]);
    expect(Object.keys(combined[0]!.values)).toEqual([
      'weight',
      'weightLimit',
      'pulse',
      'pulseLimit',
    ]);
  });
});

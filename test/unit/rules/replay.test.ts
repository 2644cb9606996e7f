import { describe, expect, it } from 'vitest';
import { resolvePlan } from '../../../server/plans/plan.js';
import { replayAlerts } from '../../../server/rules/replay.js';
import { evaluatePatient, lookBackDays } from '../../../server/rules/evaluate.js';
import { dayNumber, localDate } from '../../../server/rules/localDay.js';
import { homeStream, reading } from './support.js';

const at = (day: number, hour = 8) => new Date(Date.UTC(2026, 9, 1 + day, hour, 0));
const pulse = (day: number, value: number, hour = 8) =>
  reading('heart_rate', at(day, hour), { value });
const morning = (day: number, kg: number) => reading('body_weight', at(day, 6), { value: kg });

describe('what-if: replaying stored readings through the rules', () => {
  // high pulse on days 1-2 (twice a day) and day 4; day 3 normal
  const readings = [
    pulse(0, 70),
    pulse(1, 118),
    pulse(1, 117, 18),
    pulse(2, 119),
    pulse(3, 72),
    pulse(4, 121),
  ];

  it('counts findings of a rule on consecutive days as one alert, and a new one after a day without', () => {
    const out = replayAlerts(readings, resolvePlan(), at(0, 0));
    expect(out.byRule).toEqual({ 'pulse.high': 2 });
    expect(out.alerts).toBe(2);
  });

  it('counts nothing under a plan whose personal threshold the values stay under', () => {
    const out = replayAlerts(
      readings,
      resolvePlan({ vitals: { pulse: { contactHigh: 125 } } }),
      at(0, 0),
    );
    expect(out).toEqual({ alerts: 0, byRule: {} });
  });

  it('judges only readings from the start of the period, with the older ones as history', () => {
    // the 3-day gain needs the earlier days, which lie before the period
    const weights = [80, 80.1, 79.9, 80, 80.8, 81.5, 82.2].map((kg, d) => morning(d, kg));
    const out = replayAlerts(weights, resolvePlan(), at(6, 0));
    expect(out.byRule['weight.gain_3d']).toBe(1);
    expect(replayAlerts(weights, resolvePlan(), at(7, 0))).toEqual({ alerts: 0, byRule: {} });
  });

  it('gives the same count whatever order the readings come in', () => {
    const shuffled = [...readings].reverse();
    expect(replayAlerts(shuffled, resolvePlan(), at(0, 0))).toEqual(
      replayAlerts(readings, resolvePlan(), at(0, 0)),
    );
  });

  it('counts what judging each reading on exactly what was stored before it counts', () => {
    const plan = resolvePlan();
    const stream = homeStream(21);
    const from = stream[150]!.measuredAt;
    // the reference: each reading judged on a fresh copy of the readings before it
    const days = new Map<string, Set<number>>();
    stream.forEach((r, i) => {
      if (r.measuredAt < from) return;
      const since = r.measuredAt.getTime() - lookBackDays(plan) * 86_400_000;
      const stored = stream.slice(0, i + 1).filter((x) => x.measuredAt.getTime() >= since);
      for (const f of evaluatePatient(stored, [r], plan)) {
        if (f.severity === 'info') continue;
        const set = days.get(f.rule) ?? new Set<number>();
        set.add(dayNumber(localDate(r.measuredAt, plan.timeZone)));
        days.set(f.rule, set);
      }
    });
    const expected = Object.fromEntries(
      [...days].map(([rule, set]) => [rule, [...set].filter((d) => !set.has(d - 1)).length]),
    );
    const out = replayAlerts(stream, plan, from);
    expect(out.byRule).toEqual(expected);
    expect(out.alerts).toBeGreaterThan(0);
  });
});

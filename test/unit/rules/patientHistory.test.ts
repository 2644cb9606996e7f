import { describe, expect, it } from 'vitest';
import { evaluatePatient, lookBackDays } from '../../../server/rules/evaluate.js';
import { localDays, PatientHistory } from '../../../server/rules/patientHistory.js';
import { localDate } from '../../../server/rules/localDay.js';
import {
  personalOfDay,
  personalSeries,
  personalTypes,
  type PersonalSignal,
} from '../../../server/rules/personal.js';
import { resolvePlan } from '../../../server/plans/plan.js';
import type { RuleReading } from '../../../server/rules/types.js';
import { homeStream, reading } from './support.js';

const plan = resolvePlan();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const byTime = (a: RuleReading, b: RuleReading) => a.measuredAt.getTime() - b.measuredAt.getTime();

describe('a patient history kept between commits', () => {
  it('gives every reading the same findings as the whole stored history would', () => {
    const stream = homeStream(11);
    const kept = new PatientHistory();
    const stored: RuleReading[] = [];
    let findings = 0;
    // commits of 1 to 4 readings, as a home and a gateway deliver them
    for (let i = 0; i < stream.length;) {
      const commit = stream.slice(i, i + 1 + (i % 4));
      i += commit.length;
      stored.push(...commit);
      kept.add(commit);
      // what the runner keeps: the look-back of the commit's oldest reading
      kept.dropBefore(commit[0]!.measuredAt.getTime() - lookBackDays(plan) * DAY);
      const incremental = evaluatePatient(kept, commit, plan);
      expect(incremental).toEqual(evaluatePatient(stored, commit, plan));
      findings += incremental.length;
    }
    expect(findings).toBeGreaterThan(0); // the gain and the fever are found both ways
  });

  it('keeps daily series per local day that match the series made from the readings, across a clock change', () => {
    const stream = homeStream(14); // 1 Sep - 30 Oct 2026: summer time ends on 25 Oct
    const h = new PatientHistory();
    const tz = 'Europe/Stockholm';
    const lookBack = lookBackDays(plan) * DAY;
    for (const r of stream) {
      h.add([r]);
      const t = r.measuredAt.getTime();
      const days = localDays(t - lookBack, t, localDate(r.measuredAt, tz), tz);
      const expected = personalSeries(
        h.window(['body_weight', 'heart_rate', 'blood_pressure'], t - lookBack, t),
        tz,
      );
      for (const signal of ['weight', 'pulse', 'systolic'] as PersonalSignal[]) {
        const kept = h.daily(
          `personal.${signal}`,
          personalTypes[signal],
          days,
          personalOfDay[signal],
        );
        expect(kept).toEqual(expected[signal]);
      }
    }
  });

  it('changes a daily series when a late reading lands on a day the series was already read for', () => {
    const stream = homeStream(21);
    const tz = 'Europe/Stockholm';
    const lookBack = lookBackDays(plan) * DAY;
    // every tenth reading held back, then delivered after the whole stream (a gateway's backlog)
    const late = stream.filter((_, i) => i % 10 === 5);
    const onTime = stream.filter((_, i) => i % 10 !== 5);
    const h = new PatientHistory();
    const last = onTime.at(-1)!;
    const t = last.measuredAt.getTime();
    const days = localDays(t - lookBack, t, localDate(last.measuredAt, tz), tz);
    const series = (signal: PersonalSignal) =>
      h.daily(`personal.${signal}`, personalTypes[signal], days, personalOfDay[signal]);
    const expected = () =>
      personalSeries(
        h.window(['body_weight', 'heart_rate', 'blood_pressure'], t - lookBack, t),
        tz,
      );
    h.add(onTime);
    for (const signal of ['weight', 'pulse', 'systolic'] as PersonalSignal[]) {
      expect(series(signal)).toEqual(expected()[signal]);
    }
    for (const r of late.filter((r) => r.measuredAt.getTime() <= t)) {
      h.add([r]);
      for (const signal of ['weight', 'pulse', 'systolic'] as PersonalSignal[]) {
        expect(series(signal)).toEqual(expected()[signal]);
      }
    }
  });

  it('places a late backlog in measurement order and judges it as late', () => {
    const stream = homeStream(12);
    const [recent, backlog] = [stream.slice(-20), stream.slice(-40, -20)];
    const kept = new PatientHistory(stream.slice(0, -40));
    kept.add(recent);
    kept.add(backlog);
    const all = [...stream.slice(0, -40), ...recent, ...backlog].sort(byTime);
    const t = (r: RuleReading) => r.measuredAt.getTime();
    expect(kept.window(['body_weight'], -Infinity, Infinity)).toEqual(
      all.filter((r) => r.type === 'body_weight'),
    );
    const findings = evaluatePatient(kept, backlog, plan);
    expect(findings).toEqual(evaluatePatient(all, backlog, plan));
    expect(findings.every((f) => f.late)).toBe(true);
    expect(kept.newest('body_weight')).toBe(
      t(recent.filter((r) => r.type === 'body_weight').at(-1)!),
    );
  });

  it('keeps readings measured at the same time in the order they came', () => {
    const at = '2026-10-01T06:00:00Z';
    const [a, b, c] = [
      reading('heart_rate', at, { value: 70 }),
      reading('heart_rate', at, { value: 71 }),
      reading('blood_pressure', at, { systolic: 120, diastolic: 80 }),
    ];
    const h = new PatientHistory([a, c]);
    h.add([b]);
    expect(h.window(['heart_rate', 'blood_pressure'], 0, Infinity)).toEqual([a, b, c]);
  });

  it('holds a reading once when its own commit brings it again after the history was loaded', () => {
    const [a, b] = [
      reading('spo2', '2026-10-01T06:00:00Z', { value: 96 }),
      reading('spo2', '2026-10-01T08:00:00Z', { value: 97 }),
    ];
    const h = new PatientHistory([a, b]);
    h.add([a, b, { ...b }]);
    expect(h.window(['spo2'], -Infinity, Infinity)).toEqual([a, b]);
  });

  it('forgets what lies before the window and reports its size', () => {
    const stream = homeStream(13);
    const h = new PatientHistory(stream);
    const cut = stream[100]!.measuredAt.getTime();
    h.dropBefore(cut);
    expect(h.size).toBe(stream.filter((r) => r.measuredAt.getTime() >= cut).length);
    expect(h.window(['spo2'], -Infinity, cut - 1)).toEqual([]);
  });
});

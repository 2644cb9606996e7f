import { renderReason } from '../../../contract/reasons.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BLOOD_PRESSURE } from '../../../contract/plan.js';
import { judgeBloodPressure } from '../../../server/rules/bloodPressure.js';
import { reading } from './support.js';

const bp = (at: string, systolic: number, diastolic: number, deviceStatus?: string[]) =>
  reading('blood_pressure', at, { systolic, diastolic, ...(deviceStatus ? { deviceStatus } : {}) });
const judge = (history: ReturnType<typeof bp>[], personal = new Set<string>()) =>
  judgeBloodPressure(history, DEFAULT_BLOOD_PRESSURE, personal).map((f) => f.rule);

/** Morning and evening readings for `days` days ending on 2026-11-23. */
const week = (days: number, sys: number, dia: number) =>
  Array.from({ length: days * 2 }, (_, i) => {
    const day = 23 - days + 1 + Math.floor(i / 2);
    return bp(
      `2026-11-${String(day).padStart(2, '0')}T${i % 2 ? '19' : '07'}:00:00+01:00`,
      sys,
      dia,
    );
  });

describe('blood pressure at home', () => {
  it('alerts on one reading of 180/110 or more', () => {
    expect(judge([bp('2026-11-23T07:00:00+01:00', 180, 95)])).toEqual(['bp.very_high']);
    expect(judge([bp('2026-11-23T07:00:00+01:00', 150, 110)])).toEqual(['bp.very_high']);
    expect(judge([bp('2026-11-23T07:00:00+01:00', 179, 109)])).toEqual([]);
  });

  it('alerts on one systolic reading under 90', () => {
    expect(judge([bp('2026-11-23T07:00:00+01:00', 89, 60)])).toEqual(['bp.low']);
    expect(judge([bp('2026-11-23T07:00:00+01:00', 90, 60)])).toEqual([]);
  });

  it('does not alert on a single borderline reading', () => {
    expect(judge([bp('2026-11-23T07:00:00+01:00', 150, 92)])).toEqual([]);
  });

  it('judges borderline values on the average of a week of home readings', () => {
    expect(judge(week(7, 138, 84))).toEqual(['bp.high_average']);
    expect(judge(week(7, 134, 84))).toEqual([]);
    expect(judge(week(7, 130, 85))).toEqual(['bp.high_average']);
  });

  it('needs enough readings for an average', () => {
    expect(judge(week(2, 150, 95))).toEqual([]);
    expect(judge(week(3, 150, 95))).toEqual(['bp.high_average']);
  });

  it('never alerts on a reading the cuff itself flags as questionable', () => {
    expect(judge([bp('2026-11-23T07:00:00+01:00', 190, 115, ['cuff_too_loose'])])).toEqual([]);
    expect(judge([bp('2026-11-23T07:00:00+01:00', 85, 50, ['body_movement'])])).toEqual([]);
  });

  it("uses the patient's own band when the care team set one", () => {
    const s = { ...DEFAULT_BLOOD_PRESSURE, averageSystolic: 130 };
    const [f] = judgeBloodPressure(week(7, 132, 80), s, new Set(['bloodPressure.averageSystolic']));
    expect(f).toMatchObject({ rule: 'bp.high_average', threshold: { source: 'personal' } });
    expect(renderReason(f!.reason, 'en')).toBe(
      'Average blood pressure 132/80 mmHg over 14 readings in 7 days (threshold 130/85)',
    );
  });
});

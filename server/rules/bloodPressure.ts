// Blood pressure at home. Severe values alert on a single reading; borderline values are
// judged on the average of the recent home readings, as the home-measurement protocol does
// (ESH 2021 practice guidelines: morning and evening readings over 3-7 days, averaged), so one
// anxious reading does not page a nurse.
import type { BloodPressureSettings } from '../../contract/plan.js';
import { reason } from '../../contract/reasons.js';
import { isQuestionable } from './localDay.js';
import { keysSet, refOf, type Finding, type RuleReading } from './types.js';

const REF = {
  severe:
    'ESH 2023: grade 3 is ≥180/110; ESC 2024: ≥180/110 needs urgent evaluation (same-day contact is this hub’s choice)',
  low: 'Heart failure on beta-blockers: caution at systolic under 90 mmHg (Postgrad Med J beta-blocker table); NEWS2 scores ≤90 as 3',
  average:
    'ESH 2023 / ESC 2024: home hypertension ≥135/85 on the average of home readings (ESH 2021 HBPM protocol)',
};

const DAY = 86_400_000;
const r0 = (v: number) => Math.round(v);

/**
 * Findings for the newest blood-pressure reading in `history` (measurement order), with the
 * readings before it as context.
 */
export function judgeBloodPressure(
  history: RuleReading[],
  s: BloodPressureSettings,
  personal: ReadonlySet<string>,
): Finding[] {
  // read in place, newest first, without copies: this runs for every blood pressure
  const usable = (r: RuleReading) => r.type === 'blood_pressure' && !isQuestionable(r.deviceStatus);
  let end = history.length - 1;
  while (end >= 0 && !usable(history[end]!)) end--;
  const last = history[end];
  if (!last || last.systolic === null || last.diastolic === null) return [];
  const src = (key: string) =>
    (personal.has(`bloodPressure.${key}`) ? 'personal' : 'default') as 'personal' | 'default';
  const keys = (...names: string[]) =>
    keysSet(
      personal,
      names.map((n) => `bloodPressure.${n}`),
    );
  const sys = last.systolic;
  const dia = last.diastolic;

  if (sys >= s.severeSystolic || dia >= s.severeDiastolic) {
    return [
      {
        rule: 'bp.very_high',
        severity: 'high',
        reason: reason('bp.very_high', {
          systolic: sys,
          diastolic: dia,
          limitSystolic: s.severeSystolic,
          limitDiastolic: s.severeDiastolic,
        }),
        values: { systolic: sys, diastolic: dia },
        threshold: {
          value: { systolic: s.severeSystolic, diastolic: s.severeDiastolic },
          source:
            src('severeSystolic') === 'personal' || src('severeDiastolic') === 'personal'
              ? 'personal'
              : 'default',
          reference: REF.severe,
          ...keys('severeSystolic', 'severeDiastolic'),
        },
        readings: [refOf(last)],
      },
    ];
  }
  if (sys < s.lowSystolic) {
    return [
      {
        rule: 'bp.low',
        severity: 'high',
        reason: reason('bp.low', { systolic: sys, diastolic: dia, limitSystolic: s.lowSystolic }),
        values: { systolic: sys, diastolic: dia },
        threshold: {
          value: s.lowSystolic,
          source: src('lowSystolic'),
          reference: REF.low,
          ...keys('lowSystolic'),
        },
        readings: [refOf(last)],
      },
    ];
  }

  const from = last.measuredAt.getTime() - s.averageDays * DAY;
  let first = end; // the oldest usable reading in the window
  for (let i = end - 1; i >= 0; i--) {
    const r = history[i]!;
    if (!usable(r)) continue;
    if (r.measuredAt.getTime() <= from) break; // in measurement order: all older from here
    first = i;
  }
  // summed oldest first, as the average was always summed
  let n = 0;
  let sumSys = 0;
  let sumDia = 0;
  for (let i = first; i <= end; i++) {
    const r = history[i]!;
    if (!usable(r)) continue;
    n++;
    sumSys += r.systolic ?? 0;
    sumDia += r.diastolic ?? 0;
  }
  if (n < s.minReadings) return [];
  const mSys = sumSys / n;
  const mDia = sumDia / n;
  if (mSys < s.averageSystolic && mDia < s.averageDiastolic) return [];
  const recent = history.slice(first, end + 1).filter(usable);
  return [
    {
      rule: 'bp.high_average',
      severity: 'low',
      reason: reason('bp.high_average', {
        systolic: r0(mSys),
        diastolic: r0(mDia),
        readings: recent.length,
        days: s.averageDays,
        limitSystolic: s.averageSystolic,
        limitDiastolic: s.averageDiastolic,
      }),
      values: {
        averageSystolic: Math.round(mSys * 10) / 10,
        averageDiastolic: Math.round(mDia * 10) / 10,
        readings: recent.length,
      },
      threshold: {
        value: { systolic: s.averageSystolic, diastolic: s.averageDiastolic },
        source:
          src('averageSystolic') === 'personal' || src('averageDiastolic') === 'personal'
            ? 'personal'
            : 'default',
        reference: REF.average,
        ...keys('averageSystolic', 'averageDiastolic', 'averageDays', 'minReadings'),
      },
      window: { from: recent[0]!.measuredAt.toISOString(), to: last.measuredAt.toISOString() },
      readings: recent.map(refOf),
    },
  ];
}

import { describe, expect, it } from 'vitest';
import type { ReadingType } from '../../../devices/contract.js';
import type { StoredReading } from '../../../server/shapes/reading.js';
import { evaluatePatient } from '../../../server/rules/evaluate.js';
import { toRuleReading } from '../../../server/rules/history.js';
import { PatientHistory } from '../../../server/rules/patientHistory.js';
import { resolvePlan } from '../../../server/plans/plan.js';
import {
  createHomeWorkload,
  isAbnormalValue,
  type AbnormalReading,
} from '../../../simulators/load/homeReadings.js';
import { createSupersededTracker, tallyAbnormal } from '../../bench/superseded.js';

let n = 0;
const at = (hour: number) => new Date(Date.UTC(2026, 10, 23, hour));
const stored = (patientId: string, type: ReadingType, hour: number, value: number) => {
  const measuredAt = at(hour);
  return {
    deviceId: `dev_${patientId}`,
    messageId: `m-${n++}`,
    patientId,
    type,
    measuredAt,
    receivedAt: measuredAt,
    value,
    systolic: null,
    diastolic: null,
    pulse: null,
    code: null,
    unit: null,
    details: { source: 'json' },
  } satisfies StoredReading;
};

describe('the rules benchmark: abnormal readings superseded when committed', () => {
  it('notes a reading whose patient has a newer one of its type in the same or an earlier commit', () => {
    const tracker = createSupersededTracker();
    const low = stored('p1', 'spo2', 8, 80);
    const next = stored('p1', 'spo2', 10, 97);
    const otherType = stored('p1', 'heart_rate', 7, 150); // older, but not spo2's newest
    const otherPatient = stored('p2', 'spo2', 7, 80);
    tracker.add([next, low, otherType, otherPatient]); // in any order within the commit
    const backlog = stored('p1', 'spo2', 9, 80); // a later commit, measured before `next`
    const sameTime = stored('p1', 'spo2', 10, 80); // not newer than itself
    tracker.add([backlog, sameTime]);
    const beforeItsSuccessor = stored('p2', 'spo2', 11, 80);
    tracker.add([beforeItsSuccessor]);
    tracker.add([stored('p2', 'spo2', 12, 97)]); // came in a later commit: too late to supersede

    const has = (r: StoredReading) => tracker.has(r.deviceId, r.messageId);
    expect(has(low)).toBe(true);
    expect(has(backlog)).toBe(true);
    expect(has(next)).toBe(false);
    expect(has(sameTime)).toBe(false);
    expect(has(otherType)).toBe(false);
    expect(has(otherPatient)).toBe(false);
    expect(has(beforeItsSuccessor)).toBe(false);
  });

  it('keeps only abnormal readings: a superseded normal one is never asked about', () => {
    const tracker = createSupersededTracker();
    const normal = stored('p1', 'spo2', 8, 97);
    tracker.add([normal, stored('p1', 'spo2', 10, 96)]);
    expect(tracker.has(normal.deviceId, normal.messageId)).toBe(false);
  });

  it("tells the workload's abnormal readings from every normal one by their values", () => {
    const w = createHomeWorkload({
      devices: 50,
      startMs: Date.UTC(2026, 0, 1),
      stepMs: 2 * 3_600_000,
      abnormalFraction: 0.05,
      now: () => Date.UTC(2027, 0, 1),
    });
    const seen = { abnormal: 0, normal: 0 };
    for (let i = 0; i < 20_000; i++) {
      const p = JSON.parse(w.payload(`m-${i}`, i % 50)) as Record<string, unknown>;
      const reading = {
        type: p.type as string,
        value: (p.value as number | undefined) ?? null,
        systolic: (p.systolic as number | undefined) ?? null,
      };
      const abnormal = w.abnormal.has(`m-${i}`);
      expect([i, isAbnormalValue(reading)]).toEqual([i, abnormal]);
      seen[abnormal ? 'abnormal' : 'normal']++;
    }
    expect(seen.abnormal).toBeGreaterThan(500);
  });

  it('agrees with the rules: exactly those abnormal readings give late findings, the others alert', () => {
    const plan = resolvePlan();
    const commits: StoredReading[][] = [
      [stored('p1', 'spo2', 8, 80), stored('p1', 'spo2', 10, 97), stored('p2', 'spo2', 8, 80)],
      [stored('p1', 'spo2', 9, 80), stored('p1', 'heart_rate', 9, 160)],
      [stored('p1', 'spo2', 11, 80)],
      [stored('p2', 'spo2', 9, 80), stored('p2', 'spo2', 9, 97)],
    ];
    const tracker = createSupersededTracker();
    const histories = new Map<string, PatientHistory>();
    const late = new Set<string>();
    const alerted = new Set<string>();
    for (const commit of commits) {
      tracker.add(commit);
      // as the runner: the patient's history with the whole commit in it, then its readings
      for (const patientId of new Set(commit.map((r) => r.patientId))) {
        const fresh = commit.filter((r) => r.patientId === patientId).map(toRuleReading);
        const history = histories.get(patientId) ?? new PatientHistory();
        histories.set(patientId, history);
        history.add(fresh);
        for (const f of evaluatePatient(history, fresh, plan)) {
          const key = `${f.trigger.deviceId} ${f.trigger.messageId}`;
          if (f.superseded) late.add(key);
          else if (f.severity !== 'info') alerted.add(key);
        }
      }
    }
    const abnormal = commits.flat().filter((r) => r.value === 80 || r.value === 160);
    const noted = abnormal.filter((r) => tracker.has(r.deviceId, r.messageId));
    expect(noted.length).toBe(2);
    for (const r of abnormal) {
      const key = `${r.deviceId} ${r.messageId}`;
      expect([key, tracker.has(r.deviceId, r.messageId)]).toEqual([key, late.has(key)]);
      expect([key, alerted.has(key)]).toEqual([key, !late.has(key)]);
    }
  });

  it('counts a superseded abnormal reading apart from the missing, and a raised one as raised', () => {
    const published = (device: number, publishedAt: number): AbnormalReading => ({
      device,
      kind: 'spo2',
      publishedAt,
    });
    const abnormal = new Map([
      ['m-1', published(0, 1_000)], // raised, in the warm-up
      ['m-2', published(0, 5_000)], // raised
      ['m-3', published(1, 6_000)], // superseded
      ['m-4', published(1, 7_000)], // missing
      ['m-5', published(1, 8_000)], // superseded, yet raised: raised
    ]);
    const raisedAt = new Map([
      ['dev_a m-1', 1_100],
      ['dev_a m-2', 5_050],
      ['dev_b m-5', 8_020],
      ['dev_b m-9', 9_000], // not an abnormal reading
    ]);
    const t = tallyAbnormal({
      abnormal,
      deviceIds: ['dev_a', 'dev_b'],
      raisedAt,
      superseded: (d, m) => d === 'dev_b' && (m === 'm-3' || m === 'm-5'),
      warmEndWall: 2_000,
    });
    expect(t).toEqual({
      raised: 3,
      measured: 4,
      latencies: [50, 20],
      superseded: 1,
      supersededByKind: { spo2: 1 },
      missingIds: ['m-4'],
      missingByKind: { spo2: 1 },
    });
    expect([...raisedAt.keys()]).toEqual(['dev_b m-9']);
  });
});

// Late findings: a finding whose newest reading is older than its rule's freshness window when
// the hub judges it is raised at lower urgency, marked late with its age, and never escalates.
import { renderReason } from '../../../contract/reasons.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ESCALATION, escalateAtOf } from '../../../server/alerts/lifecycle.js';
import { patientPlanSchema, resolvePlan } from '../../../server/plans/plan.js';
import { evaluatePatient } from '../../../server/rules/evaluate.js';
import { freshnessFamily } from '../../../server/rules/freshness.js';
import { replayAlerts } from '../../../server/rules/replay.js';
import { reading } from './support.js';

const HOUR = 3_600_000;
const plan = resolvePlan();
const measured = new Date('2026-11-23T07:00:00Z');
const at = (hours: number) => measured.getTime() + hours * HOUR;
/** SpO2 84 %: 'critical' (spo2.very_low) when fresh. */
const low = () => reading('spo2', measured, { value: 84, receivedAt: new Date(at(30)) });

describe('a finding judged long after its reading was measured', () => {
  it('is late when the reading is 30 hours old: at most low, with its age, asking for no repeat', () => {
    const r = low();
    const [f, ...more] = evaluatePatient([r], [r], plan, at(30));
    expect(more).toEqual([]);
    expect(f).toMatchObject({
      rule: 'spo2.very_low',
      severity: 'low',
      late: true,
      ageHours: 30,
      freshnessHours: 24,
      measuredAt: measured.toISOString(),
      receivedAt: new Date(at(30)).toISOString(),
    });
    expect(f!.superseded).toBeUndefined();
    // the reason is the clinical content only: the card says it is late, and how late, once
    expect(f!.reason).toEqual({
      code: 'spo2.very_low',
      params: { spo2: 84, oxygen: false, limit: 88 },
    });
    expect(renderReason(f!.reason, 'sv')).toBe('Syremättnad 84 %: mycket låg (under 88 %)');
  });

  it('gets no escalation timer, whatever the limits of its severity', () => {
    const r = low();
    const [late] = evaluatePatient([r], [r], plan, at(30));
    const [fresh] = evaluatePatient([r], [r], plan, at(1));
    const escalateAt = escalateAtOf({ ...DEFAULT_ESCALATION, low: 30 });
    const now = new Date(at(30));
    expect(escalateAt(late!, now)).toBeNull();
    expect(escalateAt(fresh!, now)).toBe(new Date(at(30) + 15 * 60_000).toISOString());
  });

  it('does not ask the patient to measure again for a borderline value that is a day old', () => {
    const r = reading('spo2', measured, { value: 90 }); // spo2.low: borderline, a repeat first
    expect(evaluatePatient([r], [r], plan, at(1))[0]).toMatchObject({ remeasure: true });
    const [late] = evaluatePatient([r], [r], plan, at(30));
    expect(late).toMatchObject({ rule: 'spo2.low', severity: 'low', late: true });
    expect(late!.remeasure).toBeUndefined();
  });

  it('is unchanged when the reading is fresh, or judged with no clock (a replay)', () => {
    const r = low();
    const noClock = evaluatePatient([r], [r], plan);
    expect(noClock).toHaveLength(1);
    expect(noClock[0]).toMatchObject({ severity: 'critical' });
    expect(noClock[0]!.late).toBeUndefined();
    expect(evaluatePatient([r], [r], plan, at(23))).toEqual(noClock);
    expect(evaluatePatient([r], [r], plan, at(24))).toEqual(noClock); // older than: not equal to
    expect(evaluatePatient([r], [r], plan, at(24) + 1)[0]!.late).toBe(true);
  });

  it('takes the window from the plan, per rule family', () => {
    const r = low();
    const patient = resolvePlan(patientPlanSchema.parse({ freshness: { vitals: 48 } }));
    expect(patient.overridden.has('freshness.vitals')).toBe(true);
    expect(evaluatePatient([r], [r], patient, at(30))[0]).toMatchObject({
      severity: 'critical',
    });
    expect(evaluatePatient([r], [r], patient, at(49))[0]).toMatchObject({
      severity: 'low',
      late: true,
      ageHours: 49,
      freshnessHours: 48,
    });
    // a weight gain keeps the weight family's day
    const weights = [80, 80, 80, 82.5].map((kg, d) =>
      reading('body_weight', new Date(measured.getTime() - (3 - d) * 24 * HOUR), { value: kg }),
    );
    const gain = evaluatePatient(weights, [weights[3]!], patient, at(30)).find(
      (f) => f.rule === 'weight.gain_3d',
    );
    expect(gain).toMatchObject({ late: true, severity: 'low', freshnessHours: 24 });
  });

  it('refuses a window outside 1 hour to 31 days, naming the field', () => {
    for (const bad of [{ weight: 0 }, { weight: 24 * 31 + 1 }, { news2: 1.5 }, { wieght: 24 }]) {
      const r = patientPlanSchema.safeParse({ freshness: bad });
      expect(r.success, JSON.stringify(bad)).toBe(false);
    }
    expect(patientPlanSchema.safeParse({ freshness: { weight: 1, news2: 744 } }).success).toBe(
      true,
    );
  });

  it('names a family for every rule, NEWS2 on a shorter window by default', () => {
    expect(
      ['weight.gain_3d', 'personal.pulse_up', 'bp.very_high', 'news2', 'pulse.high'].map(
        freshnessFamily,
      ),
    ).toEqual(['weight', 'personal', 'bloodPressure', 'news2', 'vitals']);
    expect(plan.freshness).toEqual({
      weight: 24,
      personal: 24,
      vitals: 24,
      bloodPressure: 24,
      news2: 12,
    });
  });

  it('leaves a superseded past superseded (raised by nobody), however old', () => {
    const older = low();
    const newer = reading('spo2', new Date(at(1)), { value: 97 });
    const [f] = evaluatePatient([older, newer], [older], plan, at(30));
    expect(f).toMatchObject({ late: true, superseded: true, severity: 'low' });
    expect(f!.ageHours).toBeUndefined();
  });

  it('dates a finding by its newest reading, and when that reading arrived', () => {
    const sent = new Date(at(2));
    const first = reading('body_weight', measured, { value: 80, receivedAt: sent });
    // a second weighing of the same day: the day's value is still the first one
    const second = reading('body_weight', new Date(at(0.5)), { value: 80.1 });
    const before = [80, 80, 77].map((kg, d) =>
      reading('body_weight', new Date(measured.getTime() - (3 - d) * 24 * HOUR), { value: kg }),
    );
    const found = evaluatePatient([...before, first, second], [second], plan, at(1));
    const gain = found.find((f) => f.rule === 'weight.gain_3d');
    expect(gain).toMatchObject({
      measuredAt: measured.toISOString(),
      receivedAt: sent.toISOString(),
      trigger: { messageId: second.messageId },
    });
    expect(gain!.late).toBeUndefined();
  });
});

describe('a replay (what-if, the evaluator)', () => {
  it('counts the same alerts whatever the readings arrived late: it judges with no clock', () => {
    const days = Array.from({ length: 10 }, (_, d) =>
      reading('heart_rate', new Date(measured.getTime() + d * 24 * HOUR), {
        value: d % 3 ? 70 : 120,
        receivedAt: new Date(measured.getTime() + 40 * 24 * HOUR), // all came weeks later
      }),
    );
    expect(replayAlerts(days, plan, measured)).toEqual({ alerts: 4, byRule: { 'pulse.high': 4 } });
  });
});

// The dashboard's pure logic: triage order, live changes, time left, frailty filter, the plan
// editor's paths, and that every string exists in Swedish and English with the same placeholders.
import { describe, expect, it } from 'vitest';
import {
  en,
  forms,
  frailtyLabel,
  placeholders,
  sv,
  translate,
  type Key,
  type Plural,
} from '../../dashboards/src/i18n.js';
import {
  addLiveReadings,
  applyLatest,
  createReadingsBus,
  liveReadingsOf,
  pushHeldBack,
  type LiveReading,
} from '../../dashboards/src/liveReadings.js';
import {
  choiceFields,
  fieldValue,
  getPath,
  groupsFor,
  measuredTypes,
  measurementTypes,
  planFields,
  proposePlan,
  scheduleFields,
  scheduleRows,
  setPath,
} from '../../dashboards/src/plan.js';
import {
  DEFAULT_BLOOD_PRESSURE,
  DEFAULT_PERSONAL,
  DEFAULT_VITALS,
  DEFAULT_WEIGHT,
  patientPlanSchema,
} from '../../contract/plan.js';
import { readingTypes } from '../../devices/contract.js';
import { keyBytes } from '../../dashboards/src/push.js';
import { hrefAlert, hrefPatient, parseRoute } from '../../dashboards/src/route.js';
import {
  applyAlertEvent,
  arrivedLate,
  describeProblemChange,
  groupByPatient,
  formatAge,
  formatDuration,
  formatTimeLeft,
  isNewCritical,
  matchesFrailty,
  snoozeChoices,
  sortAlerts,
  viewAlerts,
} from '../../dashboards/src/triage.js';
import type { Alert, AlertEvent, ReadingSeries } from '../../dashboards/src/types.js';

const T0 = Date.parse('2026-11-24T08:00:00Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function alert(id: string, over: Partial<Alert> = {}): Alert {
  return {
    id,
    patientId: `p-${id}`,
    patientName: `Patient ${id}`,
    frailty: null,
    rule: 'spo2.low',
    problem: 'spo2',
    rules: ['spo2.low'],
    severity: 'medium',
    status: 'open',
    owner: null,
    fixedContact: null,
    escalationLevel: 0,
    escalateAt: null,
    openedAt: iso(0),
    updatedAt: iso(0),
    reason: { sv: 'x', en: 'x' },
    reasonCode: null,
    reasonParams: null,
    reasonNotes: [],
    measuredAt: iso(0),
    receivedAt: iso(0),
    late: false,
    ageHours: null,
    finding: {},
    seq: 1,
    snoozedUntil: null,
    ...over,
  };
}

const event = (a: Alert | null, alertId = a?.id ?? 'x', seq = a?.seq ?? 1): AlertEvent => ({
  change: {
    seq,
    alertId,
    patientId: 'p',
    kind: 'updated',
    actorId: null,
    note: null,
    at: iso(0),
    data: {},
  },
  alert: a,
});

describe('triage order', () => {
  it('puts unowned first, then critical before lower, then oldest first', () => {
    const nurse = { id: 's1', displayName: 'Sköterska' };
    const list = [
      alert('owned-critical', { severity: 'critical', owner: nurse, openedAt: iso(-50) }),
      alert('medium-old', { severity: 'medium', openedAt: iso(-60) }),
      alert('critical-new', { severity: 'critical', openedAt: iso(-1) }),
      alert('critical-old', { severity: 'critical', openedAt: iso(-30) }),
      alert('high', { severity: 'high', openedAt: iso(-90) }),
    ];
    expect(sortAlerts(list).map((a) => a.id)).toEqual([
      'critical-old',
      'critical-new',
      'high',
      'medium-old',
      'owned-critical',
    ]);
  });

  it('sorts by frailty, highest first and not assessed last, and filters by CFS band', () => {
    const list = [
      alert('a', { frailty: 3 }),
      alert('b', { frailty: 7 }),
      alert('c', { frailty: null }),
      alert('d', { frailty: 5 }),
    ];
    expect(sortAlerts(list, 'frailty').map((a) => a.id)).toEqual(['b', 'd', 'a', 'c']);
    expect(viewAlerts(list, 'triage', '7-9').map((a) => a.id)).toEqual(['b']);
    expect(viewAlerts(list, 'triage', 'unknown').map((a) => a.id)).toEqual(['c']);
    expect(matchesFrailty(4, '4-6')).toBe(true);
    expect(matchesFrailty(null, '1-3')).toBe(false);
    expect(matchesFrailty(null, 'all')).toBe(true);
  });
});

describe('one card per patient and problem', () => {
  it("groups a patient's cards together, the patients ordered by their worst open problem", () => {
    const list = [
      alert('a', { patientId: 'p1', severity: 'low' }),
      alert('b', { patientId: 'p2', severity: 'high' }),
      alert('c', { patientId: 'p1', severity: 'critical', problem: 'spo2' }),
      alert('d', { patientId: 'p3', severity: 'medium' }),
      alert('e', { patientId: 'p2', severity: 'medium', problem: 'weight' }),
    ];
    const groups = groupByPatient(sortAlerts(list));
    expect(groups.map((g) => [g.patientId, g.alerts.map((a) => a.id)])).toEqual([
      ['p1', ['c', 'a']],
      ['p2', ['b', 'e']],
      ['p3', ['d']],
    ]);
  });

  it('says what an update changed: the value before and now, and the rules added and dropped', () => {
    const data = {
      value: { type: 'body_weight', value: 105.8 },
      previousValue: { type: 'body_weight', value: 105 },
      added: ['weight.macd'],
      dropped: [],
    };
    expect(describeProblemChange('sv', data)).toBe(
      'Vikt 105,0 → 105,8 kg; nu även: Stigande vikttrend (MACD)',
    );
    expect(describeProblemChange('en', data)).toBe(
      'Weight 105.0 → 105.8 kg; now also: Rising weight trend (MACD)',
    );
    expect(
      describeProblemChange('sv', {
        value: { type: 'body_weight', value: 79.5 },
        previousValue: { type: 'body_weight', value: 82 },
        added: ['weight.loss_1d'],
        dropped: ['weight.gain_3d', 'weight.macd'],
      }),
    ).toBe(
      'Vikt 82,0 → 79,5 kg; nu även: Viktminskning på 1 dygn; inte längre: Viktökning på 3 dygn, Stigande vikttrend (MACD)',
    );
    expect(
      describeProblemChange('sv', {
        value: { type: 'blood_pressure', systolic: 182, diastolic: 95 },
        previousValue: { type: 'blood_pressure', systolic: 176, diastolic: 92 },
        added: [],
        dropped: [],
      }),
    ).toBe('Blodtryck 176/92 → 182/95 mmHg');
    // the heart-failure score is said as its reason says it, to one decimal
    expect(
      describeProblemChange('sv', {
        value: { type: 'hf_score', value: 4.52 },
        previousValue: { type: 'hf_score', value: 3.2 },
        added: ['personal.score'],
      }),
    ).toBe('Hjärtsviktspoäng 3,2 → 4,5; nu även: Hjärtsviktspoäng över gränsen');
    // an opening names its value; the same value again and nothing else says nothing
    expect(describeProblemChange('sv', { value: { type: 'spo2', value: 89 } })).toMatch(
      /^Syremättnad \(SpO₂\) 89\s%$/u,
    );
    expect(
      describeProblemChange('en', {
        value: { type: 'news2', value: 7 },
        previousValue: { type: 'news2', value: 5 },
      }),
    ).toBe('NEWS2 5 → NEWS2 7');
    expect(
      describeProblemChange('sv', {
        value: { type: 'spo2', value: 89 },
        previousValue: { type: 'spo2', value: 89 },
        added: [],
      }),
    ).toBeNull();
    expect(describeProblemChange('sv', {})).toBeNull();
  });
});

describe('live changes', () => {
  it('adds, replaces, drops resolved ones and ignores an older copy', () => {
    let list: Alert[] = [];
    list = applyAlertEvent(list, event(alert('a', { seq: 3 })));
    expect(list.map((a) => a.seq)).toEqual([3]);
    list = applyAlertEvent(list, event(alert('a', { seq: 2, severity: 'low' })));
    expect(list[0]!.seq).toBe(3);
    list = applyAlertEvent(
      list,
      event(alert('a', { seq: 5, owner: { id: 's', displayName: 'S' } })),
    );
    expect(list[0]!.owner?.id).toBe('s');
    list = applyAlertEvent(list, event(alert('a', { seq: 6, status: 'resolved' })));
    expect(list).toEqual([]);
    list = applyAlertEvent([alert('b')], event(null, 'b'));
    expect(list).toEqual([]);
  });

  it("keeps the person's own snooze when a push (which knows no one's snooze) updates the alert", () => {
    const until = iso(30);
    let list = [alert('a', { seq: 3, snoozedUntil: until })];
    list = applyAlertEvent(list, event(alert('a', { seq: 4, severity: 'critical' })));
    expect(list[0]).toMatchObject({ seq: 4, severity: 'critical', snoozedUntil: until });
    list = applyAlertEvent([], event(alert('b', { seq: 1 })));
    expect(list[0]!.snoozedUntil).toBeNull();
  });

  it('cues a critical alert that is new or newly critical, not one already seen', () => {
    const crit = alert('a', { severity: 'critical' });
    expect(isNewCritical([], event(crit))).toBe(true);
    expect(isNewCritical([alert('a', { severity: 'high' })], event(crit))).toBe(true);
    expect(isNewCritical([crit], event({ ...crit, seq: 2 }))).toBe(false);
    expect(isNewCritical([], event(alert('b', { severity: 'high' })))).toBe(false);
  });
});

describe('time left before escalation', () => {
  it('counts down in minutes and hours, says how late, and nothing once acknowledged', () => {
    const a = alert('a', { escalateAt: iso(65) });
    expect(formatTimeLeft(a, T0, 'sv')).toEqual({ text: 'Eskalerar om 1 h 5 min', overdue: false });
    expect(formatTimeLeft(a, T0, 'en')?.text).toBe('Escalates in 1 h 5 min');
    expect(formatTimeLeft(a, T0 + 70 * 60_000, 'en')).toEqual({
      text: 'Escalation overdue by 5 min',
      overdue: true,
    });
    expect(formatTimeLeft({ ...a, status: 'acknowledged' }, T0, 'sv')).toBeNull();
    expect(formatTimeLeft({ ...a, escalateAt: null }, T0, 'sv')).toBeNull();
    expect(formatDuration(30_000, 'sv')).toBe('< 1 min');
    expect(formatDuration(12 * 60_000, 'sv')).toBe('12 min');
  });

  it('offers snooze lengths up to the hub maximum for the severity', () => {
    expect(Math.max(...snoozeChoices('critical'))).toBe(15);
    expect(Math.max(...snoozeChoices('high'))).toBe(60);
  });
});

describe("when an alert's value was measured", () => {
  it("says a late reading's age in words, by Intl, in hours and from two days on in days", () => {
    expect(translate('sv', 'lateReading', { age: formatAge(30, 'sv') })).toMatch(
      /^Sen mätning, 30 timmar gammal/,
    );
    expect(translate('en', 'lateReading', { age: formatAge(30, 'en') })).toMatch(
      /^Late reading, 30 hours old/,
    );
    expect(formatAge(1, 'sv')).toBe('1 timme');
    expect(formatAge(1, 'en')).toBe('1 hour');
    expect(formatAge(47, 'en')).toBe('47 hours');
    expect(formatAge(19 * 24 + 5, 'sv')).toBe('19 dygn');
    expect(formatAge(19 * 24 + 5, 'en')).toBe('19 days');
  });

  it('names the arrival only when it came more than an hour after the measurement', () => {
    const a = alert('a', { measuredAt: iso(0), receivedAt: iso(60) });
    expect(arrivedLate(a)).toBeNull();
    expect(arrivedLate({ ...a, receivedAt: iso(61) })).toBe(iso(61));
    expect(arrivedLate({ ...a, receivedAt: null })).toBeNull();
    expect(arrivedLate({ ...a, measuredAt: null })).toBeNull();
  });
});

describe('strings', () => {
  it('has every key in both languages, non-empty, with the same placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(sv).sort());
    for (const key of Object.keys(sv) as Key[]) {
      const other = (m: Plural | string) => (typeof m === 'string' ? m : m.other);
      expect(placeholders(other(en[key])), key).toEqual(placeholders(other(sv[key])));
      for (const form of [...forms(sv[key]), ...forms(en[key])]) {
        expect(form.trim(), key).not.toBe('');
        // a form for one may leave the count out ("the last day"), never add a placeholder
        for (const p of placeholders(form)) expect(placeholders(other(sv[key])), key).toContain(p);
      }
    }
  });

  it('has a label for every setting in the plan editor', () => {
    for (const f of [...planFields, ...scheduleFields, ...choiceFields]) {
      expect(f.label in sv, f.label).toBe(true);
    }
    for (const c of choiceFields) for (const o of c.options) expect(o.label in sv).toBe(true);
  });

  it('names the Clinical Frailty Scale level', () => {
    expect(frailtyLabel('sv', 6)).toBe('CFS 6: Lever med måttlig skörhet');
    expect(frailtyLabel('en', 9)).toBe('CFS 9: Terminally ill');
    expect(frailtyLabel('sv', null)).toBe('Ej bedömd');
    expect(translate('en', 'shownCount', { shown: 2, n: 5 })).toBe('2 of 5 alerts');
  });
});

describe('plan paths', () => {
  it('sets, reads and removes nested thresholds without touching the rest', () => {
    const stored = { spo2Scale: 2, weight: { gain3dKg: 1.5 } };
    const { plan: p, invalid } = proposePlan(
      stored,
      { 'weight.gain3dKg': '', 'vitals.spo2.contactBelow': '90', spo2Scale: '' },
      'sv',
    );
    expect(invalid).toEqual([]);
    expect(p).toEqual({ vitals: { spo2: { contactBelow: 90 } } });
    expect(getPath(p, 'vitals.spo2.contactBelow')).toBe(90);
    expect(stored.weight.gain3dKg).toBe(1.5);
    expect(setPath({}, 'weight.dryWeightKg', 71.5)).toEqual({ weight: { dryWeightKg: 71.5 } });
  });

  it('takes a decimal comma in Swedish and a point in both; lists what is not a value', () => {
    const gain = (raw: string, lang: 'sv' | 'en') =>
      proposePlan({ weight: { gain1dKg: 2 } }, { 'weight.gain1dKg': raw }, lang);
    expect(gain('1,2', 'sv')).toEqual({ plan: { weight: { gain1dKg: 1.2 } }, invalid: [] });
    expect(gain(' 1.2 ', 'sv').plan).toEqual({ weight: { gain1dKg: 1.2 } });
    expect(gain('1.2', 'en').plan).toEqual({ weight: { gain1dKg: 1.2 } });
    // in English a comma groups thousands: refused, not read as 12 or 1.2; the stored value stays
    expect(gain('1,2', 'en')).toEqual({
      plan: { weight: { gain1dKg: 2 } },
      invalid: ['weight.gain1dKg'],
    });
    expect(gain('mycket', 'sv').invalid).toEqual(['weight.gain1dKg']);
    expect(gain('50', 'sv').invalid).toEqual(['weight.gain1dKg']); // above the field's range
    const pulse = planFields.find((f) => f.path === 'vitals.pulse.contactHigh')!;
    expect(fieldValue(pulse, '110,5', 'sv')).toBeNull(); // whole beats only
    expect(fieldValue(pulse, '', 'sv')).toBeUndefined(); // back to the default
  });

  it('replaces the schedule: empty fields take the defaults, an empty schedule is none', () => {
    const stored = {
      measurements: [{ type: 'body_weight', everyDays: 1, dueBy: '09:00', graceHours: 4 }],
    };
    const rows = scheduleRows(stored, String);
    expect(rows).toEqual([
      { type: 'body_weight', everyDays: '1', dueBy: '09:00', graceHours: '4' },
    ]);
    const next = proposePlan(stored, {}, 'sv', [
      { ...rows[0]!, graceHours: '2,5' },
      { type: 'blood_pressure', everyDays: '7', dueBy: '', graceHours: '' },
    ]);
    expect(next.invalid).toEqual([]);
    expect(next.plan.measurements).toEqual([
      { type: 'body_weight', everyDays: 1, dueBy: '09:00', graceHours: 2.5 },
      { type: 'blood_pressure', everyDays: 7 },
    ]);
    expect(patientPlanSchema.safeParse(next.plan).success).toBe(true);
    expect(proposePlan(stored, {}, 'sv', []).plan).toEqual({});
    const bad = proposePlan(stored, {}, 'en', [{ ...rows[0]!, everyDays: '0', dueBy: '9' }]);
    expect(bad.invalid).toEqual(['measurements.0.everyDays', 'measurements.0.dueBy']);
  });
});

describe('live readings in the patient view', () => {
  const reading = (
    minutes: number,
    value: number,
    over: Partial<LiveReading['reading']> = {},
    patientId = 'p1',
  ): LiveReading => ({
    patientId,
    reading: {
      type: 'body_weight',
      value,
      systolic: null,
      diastolic: null,
      pulse: null,
      code: null,
      unit: 'kg',
      measuredAt: iso(minutes),
      ...over,
    },
    count: 1,
  });
  const series = (bucket: ReadingSeries['bucket'], points: ReadingSeries['points']) =>
    ({ type: 'body_weight', bucket, points, reference: null }) satisfies ReadingSeries;
  const point = (minutes: number, value: number, n = 1) => ({
    t: iso(minutes),
    value,
    systolic: null,
    diastolic: null,
    min: null,
    max: null,
    n,
  });
  const FROM = T0 - 14 * 86_400_000;

  it("adds the patient's new reading of the chart's type to a raw series, in time order", () => {
    const s = series(null, [point(-60, 80.1)]);
    const next = addLiveReadings(s, 'p1', [reading(5, 80.4), reading(-30, 80.2)], FROM);
    expect(next.points.map((p) => [p.t, p.value])).toEqual([
      [iso(-60), 80.1],
      [iso(-30), 80.2],
      [iso(5), 80.4],
    ]);
    expect(s.points).toHaveLength(1); // the loaded series is not changed in place
  });

  it("ignores other patients, other types, repeats and readings before the chart's period", () => {
    const s = series(null, [point(-60, 80.1)]);
    const next = addLiveReadings(
      s,
      'p1',
      [
        reading(1, 70, {}, 'p2'),
        reading(2, 97, { type: 'spo2', unit: '%' }),
        reading(-60, 80.1),
        reading(-20 * 24 * 60, 79),
      ],
      FROM,
    );
    expect(next).toBe(s);
  });

  it('updates the hourly bucket a reading falls in, or starts the next one', () => {
    const s = series('hour', [{ ...point(0, 80, 2), min: 79.8, max: 80.2 }]);
    let next = addLiveReadings(s, 'p1', [reading(30, 81)], FROM);
    expect(next.points).toHaveLength(1);
    expect(next.points[0]).toMatchObject({ n: 3, min: 79.8, max: 81 });
    expect(next.points[0]!.value).toBeCloseTo((80 * 2 + 81) / 3, 6);
    next = addLiveReadings(next, 'p1', [reading(75, 82)], FROM);
    expect(next.points.map((p) => [p.t, p.value, p.n])).toEqual([
      [iso(0), expect.closeTo(80.333, 2), 3],
      [iso(60), 82, 1],
    ]);
  });

  it("counts daily buckets on from the server's last one (the patient's local midnight)", () => {
    const midnight = -8 * 60 - 60; // 23:00 UTC the day before: midnight in Stockholm
    const s = series('day', [point(midnight, 80)]);
    const next = addLiveReadings(s, 'p1', [reading(midnight + 25 * 60, 81)], FROM);
    expect(next.points.map((p) => p.t)).toEqual([iso(midnight), iso(midnight + 24 * 60)]);
  });

  it('draws systolic and diastolic for blood pressure, its bucket range on systolic', () => {
    const bp = (minutes: number, systolic: number, diastolic: number) =>
      reading(minutes, 0, { type: 'blood_pressure', value: null, systolic, diastolic, pulse: 70 });
    const s: ReadingSeries = {
      type: 'blood_pressure',
      bucket: 'hour',
      points: [],
      reference: null,
    };
    const next = addLiveReadings(s, 'p1', [bp(10, 150, 90), bp(20, 130, 80)], FROM);
    expect(next.points).toEqual([
      { t: iso(0), value: null, systolic: 140, diastolic: 85, min: 130, max: 150, n: 2 },
    ]);
  });

  it('shows a newer reading as the latest value, never an older one that arrives late', () => {
    const latest = { body_weight: { ...reading(0, 80).reading } };
    const next = applyLatest(latest, 'p1', [
      reading(10, 81),
      reading(-10, 79),
      reading(20, 1, {}, 'p2'),
    ]);
    expect(next.body_weight!.value).toBe(81);
    expect(applyLatest(latest, 'p1', [reading(-5, 79)])).toBe(latest);
  });

  it('takes only items of the documented shape from a push', () => {
    const good = reading(1, 80);
    expect(
      liveReadingsOf({
        items: [
          good,
          { patientId: 'p1' },
          { ...good, reading: { ...good.reading, measuredAt: 'soon' } },
          { ...good, count: 0 },
        ],
      }),
    ).toEqual([good]);
    expect(liveReadingsOf(null)).toEqual([]);
    expect(liveReadingsOf({ items: 'x' })).toEqual([]);
  });

  it('reloads a chart whose patient and type had readings held back by a push', () => {
    const held = { ...reading(1, 80), count: 3 };
    expect(pushHeldBack([held], 'p1', 'body_weight')).toBe(true);
    expect(pushHeldBack([held], 'p1', 'spo2')).toBe(false);
    expect(pushHeldBack([held], 'p2', 'body_weight')).toBe(false);
    expect(pushHeldBack([reading(1, 80)], 'p1', 'body_weight')).toBe(false);
  });

  it('hands each batch to every listener until it unsubscribes', () => {
    const bus = createReadingsBus();
    const got: number[] = [];
    const off = bus.subscribe((items) => got.push(items.length));
    bus.emit([reading(1, 80)]);
    bus.emit([]);
    off();
    bus.emit([reading(2, 81)]);
    expect(got).toEqual([1]);
  });
});

describe("the plan editor's fields", () => {
  it('are settings the contract takes, within the ranges the editor offers', () => {
    for (const f of planFields) {
      for (const value of [f.min, f.max]) {
        const parsed = patientPlanSchema.safeParse(setPath({}, f.path, value));
        expect(parsed.success, `${f.path} = ${value}`).toBe(true);
        if (f.integer) expect(Number.isInteger(value), f.path).toBe(true);
      }
      // and a path the contract does not know is refused, so a renamed setting fails here
      expect(patientPlanSchema.safeParse(setPath({}, `${f.path}X`, f.min)).success).toBe(false);
    }
    for (const c of choiceFields) {
      for (const o of c.options) {
        expect(patientPlanSchema.safeParse(setPath({}, c.path, o.value)).success).toBe(true);
      }
    }
  });

  it("cover every rule's settings the contract has (vitals, blood pressure, weight, personal)", () => {
    const paths = new Set([...planFields, ...choiceFields].map((f) => f.path));
    /** Every leaf setting of a part of the plan, as dotted paths. */
    const leaves = (obj: unknown, at: string): string[] =>
      typeof obj === 'object' && obj !== null
        ? Object.entries(obj).flatMap(([k, v]) => leaves(v, `${at}.${k}`))
        : [at];
    const resolved = {
      vitals: DEFAULT_VITALS,
      bloodPressure: DEFAULT_BLOOD_PRESSURE,
      weight: { ...DEFAULT_WEIGHT, dryWeightKg: 80 },
      personal: DEFAULT_PERSONAL,
    };
    const missing = Object.entries(resolved)
      .flatMap(([part, v]) => leaves(v, part))
      .filter((p) => !paths.has(p));
    expect(missing).toEqual([]);
    for (const top of ['spo2Scale', 'remeasureMinutes']) expect(paths.has(top), top).toBe(true);
  });

  it('takes the schedule within what the contract takes', () => {
    for (const f of scheduleFields) {
      for (const value of [f.min, f.max]) {
        const item = { type: 'body_weight', [f.path]: value };
        expect(patientPlanSchema.safeParse({ measurements: [item] }).success, f.path).toBe(true);
      }
    }
  });

  it("shows only the patient's measurements: scheduled or among the latest readings", () => {
    expect([...measurementTypes].sort()).toEqual([...readingTypes].sort());
    const bpOnly = measuredTypes({}, ['blood_pressure']);
    expect(bpOnly).toEqual(['blood_pressure']);
    // no scale: no weight fields; blood pressure has the personal detector's shared settings
    expect(groupsFor(bpOnly)).toEqual(['blood_pressure', 'personal', 'general']);
    const scheduled = { measurements: [{ type: 'spo2' }, { type: 'body_weight' }] };
    expect(measuredTypes(scheduled, ['heart_rate'])).toEqual(['body_weight', 'heart_rate', 'spo2']);
    expect(groupsFor(['spo2'])).toEqual(['spo2', 'general']);
    expect(groupsFor(measuredTypes(null, []))).toEqual(['general']);
    // every field belongs to a group the editor can show
    const groups = new Set<string>([...measurementTypes, 'personal', 'general']);
    for (const f of planFields) expect(groups.has(f.group), f.path).toBe(true);
    expect(planFields.filter((f) => f.group === 'blood_pressure').map((f) => f.path)).toContain(
      'bloodPressure.severeSystolic',
    );
  });
});

describe('routes', () => {
  it('opens the triage list, a patient, or the triage list at the alert a notification links', () => {
    expect(parseRoute('')).toEqual({ name: 'triage' });
    expect(parseRoute(hrefPatient('pat_a b'))).toEqual({ name: 'patient', id: 'pat_a b' });
    expect(parseRoute(hrefAlert('alert_k3x'))).toEqual({ name: 'triage', alertId: 'alert_k3x' });
    expect(parseRoute('#/alerts/')).toEqual({ name: 'triage' });
  });
});

describe('web push', () => {
  it("turns the hub's base64url VAPID key into the bytes the browser subscribes with", () => {
    const key = Buffer.from(Array.from({ length: 65 }, (_, i) => (i * 37) % 256));
    expect(Buffer.from(keyBytes(key.toString('base64url')))).toEqual(key);
    expect(Array.from(keyBytes('-_8'))).toEqual([0xfb, 0xff]);
  });
});

// The dashboard's pure logic: triage order, live changes, time left, frailty filter, the plan
// editor's paths, and that every string exists in Swedish and English with the same placeholders.
import { describe, expect, it } from 'vitest';
import { en, frailtyLabel, placeholders, sv, translate } from '../../dashboards/src/i18n.js';
import { getPath, planFields, proposePlan, setPath } from '../../dashboards/src/plan.js';
import {
  applyAlertEvent,
  formatDuration,
  formatTimeLeft,
  isNewCritical,
  matchesFrailty,
  snoozeChoices,
  sortAlerts,
  viewAlerts,
} from '../../dashboards/src/triage.js';
import type { Alert, AlertEvent } from '../../dashboards/src/types.js';

const T0 = Date.parse('2026-11-24T08:00:00Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function alert(id: string, over: Partial<Alert> = {}): Alert {
  return {
    id,
    patientId: `p-${id}`,
    patientName: `Patient ${id}`,
    frailty: null,
    rule: 'spo2.low',
    severity: 'medium',
    status: 'open',
    owner: null,
    fixedContact: null,
    escalationLevel: 0,
    escalateAt: null,
    openedAt: iso(0),
    updatedAt: iso(0),
    reason: { sv: 'x', en: 'x' },
    finding: null,
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
    data: null,
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

describe('strings', () => {
  it('has every key in both languages, non-empty, with the same placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(sv).sort());
    for (const key of Object.keys(sv) as (keyof typeof sv)[]) {
      expect(sv[key].trim(), key).not.toBe('');
      expect(en[key].trim(), key).not.toBe('');
      expect(placeholders(en[key]), key).toEqual(placeholders(sv[key]));
    }
  });

  it('has a label for every threshold in the plan editor', () => {
    for (const f of planFields) expect(f.label in sv, f.label).toBe(true);
  });

  it('names the Clinical Frailty Scale level', () => {
    expect(frailtyLabel('sv', 6)).toBe('CFS 6: Lever med måttlig skörhet');
    expect(frailtyLabel('en', 9)).toBe('CFS 9: Terminally ill');
    expect(frailtyLabel('sv', null)).toBe('Ej bedömd');
    expect(translate('en', 'shownCount', { shown: 2, total: 5 })).toBe('2 of 5 alerts');
  });
});

describe('plan paths', () => {
  it('sets, reads and removes nested thresholds without touching the rest', () => {
    const stored = { spo2Scale: 2, weight: { gain3dKg: 1.5 } };
    const p = proposePlan(stored, { 'weight.gain3dKg': '', 'vitals.spo2.contactBelow': '90' });
    expect(p).toEqual({ spo2Scale: 2, vitals: { spo2: { contactBelow: 90 } } });
    expect(getPath(p, 'vitals.spo2.contactBelow')).toBe(90);
    expect(stored.weight.gain3dKg).toBe(1.5);
    expect(setPath({}, 'weight.dryWeightKg', 71.5)).toEqual({ weight: { dryWeightKg: 71.5 } });
    expect(proposePlan({}, { 'weight.gain1dKg': '1,2' })).toEqual({ weight: { gain1dKg: 1.2 } });
  });
});

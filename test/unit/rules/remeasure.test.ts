import { reason, renderReason } from '../../../contract/reasons.js';
import { describe, expect, it } from 'vitest';
import type { EvaluatedFinding } from '../../../server/rules/evaluate.js';
import {
  confirmedFinding,
  decideRemeasure,
  reminderNotice,
  remeasureNotice,
  unconfirmedFinding,
  type PendingRemeasure,
} from '../../../server/rules/remeasure.js';
import type { RuleReading } from '../../../server/rules/types.js';
import { reading } from './support.js';

const spo2 = (value: number, at: string, extra: Partial<RuleReading> = {}) =>
  reading('spo2', at, { value, ...extra });

function finding(r: RuleReading, rule: string, extra: Partial<EvaluatedFinding> = {}) {
  return {
    rule,
    severity: 'high',
    reason: reason('spo2.low', { spo2: r.value!, oxygen: false, limit: 92 }),
    values: { spo2: r.value },
    threshold: { value: 92, source: 'default', reference: 'test' },
    readings: [],
    trigger: { deviceId: r.deviceId, messageId: r.messageId },
    ...extra,
  } as EvaluatedFinding;
}

const pendingFor = (r: RuleReading, rule: string): PendingRemeasure => ({
  id: 'req-1',
  rule,
  type: r.type,
  deviceId: r.deviceId,
  messageId: r.messageId,
  measuredAt: r.measuredAt,
});

describe('re-measuring before the care team is alerted', () => {
  it('asks for a repeat of a borderline value instead of alerting', () => {
    const r = spo2(91, '2026-11-20T08:00:00Z');
    const f = finding(r, 'spo2.low', { remeasure: true });
    expect(decideRemeasure([f], [r], [], new Set())).toEqual({ raise: [], ask: [f], settled: [] });
  });

  it('alerts at once for a severe value', () => {
    const r = spo2(85, '2026-11-20T08:00:00Z');
    const f = finding(r, 'spo2.very_low', { severity: 'critical' });
    expect(decideRemeasure([f], [r], [], new Set()).raise).toEqual([f]);
  });

  it('updates an alert the team already has rather than asking the patient again', () => {
    const r = spo2(91, '2026-11-20T08:00:00Z');
    const f = finding(r, 'spo2.low', { remeasure: true });
    expect(decideRemeasure([f], [r], [], new Set(['spo2.low']))).toMatchObject({
      raise: [f],
      ask: [],
    });
  });

  it('confirms the request when the repeat is borderline too, and says so in the alert', () => {
    const first = spo2(91, '2026-11-20T08:00:00Z');
    const repeat = spo2(90, '2026-11-20T08:10:00Z');
    const f = finding(repeat, 'spo2.low', { remeasure: true });
    const d = decideRemeasure([f], [repeat], [pendingFor(first, 'spo2.low')], new Set());
    expect(d.settled).toEqual([{ request: pendingFor(first, 'spo2.low'), outcome: 'confirmed' }]);
    expect(d.ask).toEqual([]);
    expect(d.raise).toEqual([confirmedFinding(f)]);
    // a note after the reason: stored as a code, like the reason
    expect(d.raise[0]!.reason.notes).toEqual([{ code: 'remeasure.confirmed', params: {} }]);
    expect(renderReason(d.raise[0]!.reason, 'en')).toBe(
      'SpO2 90 %: low (under 92 %); contact the same day. Confirmed by a repeat measurement.',
    );
  });

  it('clears the request when the repeat is normal', () => {
    const first = spo2(91, '2026-11-20T08:00:00Z');
    const repeat = spo2(96, '2026-11-20T08:10:00Z');
    const d = decideRemeasure([], [repeat], [pendingFor(first, 'spo2.low')], new Set());
    expect(d).toEqual({
      raise: [],
      ask: [],
      settled: [{ request: pendingFor(first, 'spo2.low'), outcome: 'cleared' }],
    });
  });

  it('counts a worse repeat as confirmation; the severe finding alerts by itself', () => {
    const first = spo2(91, '2026-11-20T08:00:00Z');
    const repeat = spo2(85, '2026-11-20T08:10:00Z');
    const severe = finding(repeat, 'spo2.very_low', { severity: 'critical' });
    const d = decideRemeasure([severe], [repeat], [pendingFor(first, 'spo2.low')], new Set());
    expect(d.settled[0]!.outcome).toBe('confirmed');
    expect(d.raise).toEqual([severe]);
  });

  it('leaves the request waiting when the repeat is flagged questionable by the device', () => {
    const first = spo2(91, '2026-11-20T08:00:00Z');
    const flagged = spo2(80, '2026-11-20T08:10:00Z', { deviceStatus: ['low_perfusion'] });
    const d = decideRemeasure([], [flagged], [pendingFor(first, 'spo2.low')], new Set());
    expect(d.settled).toEqual([]);
  });

  it('does not ask twice while a request waits, nor twice in one batch', () => {
    const first = spo2(91, '2026-11-20T08:00:00Z');
    const a = spo2(91, '2026-11-20T09:00:00Z');
    const b = spo2(91, '2026-11-20T09:01:00Z');
    const fa = finding(a, 'spo2.low', { remeasure: true });
    const fb = finding(b, 'spo2.low', { remeasure: true });
    expect(decideRemeasure([fa, fb], [a, b], [], new Set()).ask).toEqual([fa]);
    const other = spo2(37, '2026-11-20T07:00:00Z'); // older than the request: no repeat
    const waiting = decideRemeasure([], [other], [pendingFor(first, 'spo2.low')], new Set());
    expect(waiting).toEqual({ raise: [], ask: [], settled: [] });
  });
});

describe('what the patient and the care team are told', () => {
  it('asks the patient in Swedish and English to rest and measure again before a time', () => {
    const r = spo2(91, '2026-11-20T08:00:00Z');
    const n = remeasureNotice(finding(r, 'spo2.low'), 'spo2', new Date('2026-11-20T08:30:00Z'));
    expect(n).toMatchObject({ notice: 'remeasure', type: 'spo2', by: '2026-11-20T08:30:00.000Z' });
    expect(n.messageId).toBe(r.messageId);
    expect(n.text.sv).toContain('mät sedan igen');
  });

  it('names the missed measurement in the reminder', () => {
    const n = reminderNotice('body_weight', new Date('2026-11-20T09:00:00Z'));
    expect(n.text).toEqual({
      sv: 'Påminnelse: din planerade mätning av vikt har inte kommit in. Mät gärna nu.',
      en: 'Reminder: your planned weight measurement has not come in. Please measure now.',
    });
  });

  it('tells the care team that no repeat came', () => {
    const r = spo2(91, '2026-11-20T08:00:00Z');
    const f = unconfirmedFinding(finding(r, 'spo2.low'), 30);
    expect(renderReason(f.reason, 'sv')).toBe(
      'Syremättnad 91 %: låg (under 92 %); kontakt samma dag. Ingen ny mätning inom 30 minuter.',
    );
    expect(f.values.remeasure).toBe('no_repeat');
  });
});

import { renderReason } from '../../../contract/reasons.js';
import { describe, expect, it } from 'vitest';
import { planItemSchema } from '../../../contract/plan.js';
import { checkMissing, dueAt, missingFinding } from '../../../server/rules/missing.js';
import { reading } from './support.js';

const tz = 'Europe/Stockholm';
const dailyWeight = planItemSchema.parse({ type: 'body_weight' }); // due by 10:00, grace 4 h
const planStart = new Date('2026-11-01T08:00:00+01:00');
const weighed = (at: string, receivedAt?: string) =>
  reading('body_weight', at, {
    value: 80,
    ...(receivedAt ? { receivedAt: new Date(receivedAt) } : {}),
  });

const check = (
  now: string,
  readings = [weighed('2026-11-22T07:10:00+01:00')],
  lastTraffic: string | null = '2026-11-23T06:00:00+01:00',
) =>
  checkMissing({
    item: dailyWeight,
    readings,
    now: new Date(now),
    timeZone: tz,
    planStart,
    lastTrafficAt: lastTraffic ? new Date(lastTraffic) : null,
  });

describe('a missed daily weight', () => {
  it("is not missed before the day's due time", () => {
    expect(check('2026-11-23T09:59:00+01:00')).toBeNull();
  });

  it('first reminds the patient, then alerts the care team after the grace time', () => {
    expect(check('2026-11-23T10:00:00+01:00')).toMatchObject({
      action: 'remind',
      dueAt: '2026-11-23T09:00:00.000Z',
    });
    expect(check('2026-11-23T13:59:00+01:00')).toMatchObject({ action: 'remind' });
    expect(check('2026-11-23T14:00:00+01:00')).toMatchObject({
      action: 'alert',
      cause: 'not_measured',
    });
  });

  it("is not missed once today's weight has come", () => {
    expect(check('2026-11-23T15:00:00+01:00', [weighed('2026-11-23T07:05:00+01:00')])).toBeNull();
  });

  it('says the device is offline when nothing at all has come since the last weight', () => {
    expect(
      check('2026-11-23T15:00:00+01:00', undefined, '2026-11-22T07:10:00+01:00'),
    ).toMatchObject({ cause: 'device_offline' });
    expect(check('2026-11-23T15:00:00+01:00', undefined, null)).toMatchObject({
      cause: 'device_offline',
    });
  });

  it('waits rather than alerts while a gateway delivers a backlog of old readings', () => {
    const backlog = [weighed('2026-11-21T07:00:00+01:00', '2026-11-23T14:55:00+01:00')];
    expect(check('2026-11-23T15:00:00+01:00', backlog, '2026-11-23T14:55:00+01:00')).toMatchObject({
      action: 'remind',
      cause: 'backlog_arriving',
    });
  });

  it("follows the patient's local day across the change to summer time", () => {
    const due = dueAt(dailyWeight, new Date('2026-03-28T07:00:00+01:00'), planStart, tz);
    expect(due.toISOString()).toBe('2026-03-29T08:00:00.000Z'); // 10:00 CEST
  });

  it('is first due on the day after a plan that starts after the due time', () => {
    expect(dueAt(dailyWeight, null, new Date('2026-11-23T12:00:00+01:00'), tz).toISOString()).toBe(
      '2026-11-24T09:00:00.000Z',
    );
    expect(dueAt(dailyWeight, null, new Date('2026-11-23T08:00:00+01:00'), tz).toISOString()).toBe(
      '2026-11-23T09:00:00.000Z',
    );
  });

  it('can be weekly, for a patient measured rarely', () => {
    const weekly = planItemSchema.parse({ type: 'body_weight', everyDays: 7 });
    expect(dueAt(weekly, new Date('2026-11-16T08:00:00+01:00'), planStart, tz).toISOString()).toBe(
      '2026-11-23T09:00:00.000Z',
    );
  });

  it('becomes a finding that names the measurement, the cause and the local times in both languages', () => {
    const f = missingFinding(check('2026-11-23T15:00:00+01:00')!, tz);
    expect(f).toMatchObject({
      rule: 'missing.body_weight',
      severity: 'medium',
      values: { cause: 'not_measured' },
    });
    expect(renderReason(f.reason, 'en')).toContain('the patient has not measured');
    expect(renderReason(f.reason, 'sv')).toContain('patienten har inte mätt');
    expect(renderReason(f.reason, 'en')).toMatch(
      /^No weight measurement since .*; due by 23\/11\/2026, 10:00:/,
    );
    expect(renderReason(f.reason, 'sv')).toMatch(
      /^Ingen mätning av vikt sedan .*; väntades senast 2026-11-23 10:00:/,
    );
  });
});

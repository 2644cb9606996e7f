// The on-call roster's rules for a new shift (server/registry/roster.ts), as plain data: the
// order of its times, its length, who may be on call, and overlap with the unit's other shifts.
import { describe, expect, it } from 'vitest';
import {
  MAX_SHIFT_HOURS,
  overlaps,
  rosterWindow,
  shiftRefusal,
} from '../../server/registry/roster.js';

const t = (hhmm: string, day = 24) => new Date(`2025-11-${day}T${hhmm}:00Z`);
const night = { startsAt: t('16:00'), endsAt: t('07:00', 25) };
const ok = { role: 'nurse' as const, others: [] };

describe('a new on-call shift', () => {
  it('is accepted for a nurse or physician of the unit with no other shift then', () => {
    expect(shiftRefusal(night, ok)).toBeNull();
    expect(shiftRefusal(night, { ...ok, role: 'physician' })).toBeNull();
  });

  describe('order and length', () => {
    it('must end after it starts', () => {
      const backwards = { startsAt: night.endsAt, endsAt: night.startsAt };
      expect(shiftRefusal(backwards, ok)).toMatchObject({ code: 'invalid', field: 'endsAt' });
      const empty = { startsAt: night.startsAt, endsAt: night.startsAt };
      expect(shiftRefusal(empty, ok)?.message).toBe('a shift ends after it starts');
    });

    it('lasts at most a week', () => {
      const week = new Date(night.startsAt.getTime() + MAX_SHIFT_HOURS * 3_600_000);
      expect(shiftRefusal({ startsAt: night.startsAt, endsAt: week }, ok)).toBeNull();
      const longer = new Date(week.getTime() + 1);
      expect(shiftRefusal({ startsAt: night.startsAt, endsAt: longer }, ok)).toMatchObject({
        code: 'invalid',
        field: 'endsAt',
      });
    });

    it('needs valid times', () => {
      const bad = { startsAt: new Date('nonsense'), endsAt: night.endsAt };
      expect(shiftRefusal(bad, ok)).toMatchObject({ code: 'invalid', field: 'startsAt' });
    });
  });

  describe('membership', () => {
    it('refuses someone who does not work in the unit', () => {
      expect(shiftRefusal(night, { ...ok, role: null })).toMatchObject({
        code: 'invalid',
        field: 'staffId',
        message: 'the staff member does not work in this unit',
      });
    });

    it("refuses the unit's admin: whoever is on call acts on clinical alerts", () => {
      expect(shiftRefusal(night, { ...ok, role: 'admin' })).toMatchObject({
        code: 'invalid',
        field: 'staffId',
      });
    });
  });

  describe('overlap', () => {
    const day = { id: 'shift_day', startsAt: t('07:00'), endsAt: t('16:00') };
    const next = { id: 'shift_next', startsAt: t('07:00', 25), endsAt: t('16:00', 25) };

    it('accepts shifts that meet end to start: [start, end)', () => {
      expect(shiftRefusal(night, { ...ok, others: [day, next] })).toBeNull();
      expect(overlaps(night, day)).toBe(false);
    });

    it('refuses one that overlaps another shift of the unit, naming it', () => {
      const early = { startsAt: t('15:00'), endsAt: t('23:00') };
      const refusal = shiftRefusal(early, { ...ok, others: [day] });
      expect(refusal).toMatchObject({ code: 'conflict', field: 'startsAt' });
      expect(refusal?.message).toMatch(/overlaps shift shift_day/);
    });

    it('refuses one inside another and one around another', () => {
      const inside = { startsAt: t('09:00'), endsAt: t('10:00') };
      const around = { startsAt: t('06:00'), endsAt: t('17:00') };
      expect(shiftRefusal(inside, { ...ok, others: [day] })?.code).toBe('conflict');
      expect(shiftRefusal(around, { ...ok, others: [day] })?.code).toBe('conflict');
    });
  });
});

describe("a roster listing's window", () => {
  const now = t('12:00');

  it('is by default from a day ago to 14 days ahead', () => {
    expect(rosterWindow(now)).toEqual({
      from: t('12:00', 23),
      to: new Date('2025-12-08T12:00:00Z'),
    });
  });

  it('refuses an empty or backwards window and one over 93 days', () => {
    expect(() => rosterWindow(now, t('12:00').toISOString(), t('11:00').toISOString())).toThrow(
      'from must be before to',
    );
    expect(() => rosterWindow(now, '2025-01-01T00:00:00Z', '2025-04-05T00:00:00Z')).toThrow(
      /at most 93 days/,
    );
  });
});

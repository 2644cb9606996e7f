import { describe, expect, it } from 'vitest';
import { localCalendar } from '../../../simulators/patients/localCalendar.js';

// Europe/Stockholm: summer time began 29 March 2026 at 02:00 and ends 25 October 2026 at 03:00.
describe('a simulated patient’s local calendar (Europe/Stockholm)', () => {
  const cal = localCalendar(new Date('2026-03-27T10:00:00Z'));

  it('puts a morning measurement at that local time in winter and in summer', () => {
    expect(cal.at(0, 7 * 60 + 10).toISOString()).toBe('2026-03-27T06:10:00.000Z');
    expect(cal.at(3, 7 * 60 + 10).toISOString()).toBe('2026-03-30T05:10:00.000Z');
  });

  it('starts the day the clocks go forward at local midnight, before the change', () => {
    expect(cal.midnight(2).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(cal.midnight(3).toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });

  it('counts an instant in local days as episodes do, on the 23-hour day too', () => {
    expect(cal.dayTime(new Date('2026-03-27T11:00:00Z'))).toBe(0.5); // 12:00 local
    expect(cal.dayTime(cal.midnight(3))).toBe(3);
    // 29 March has 23 hours: its local noon (10:00Z, after the change) is 11/23 of it
    expect(cal.dayTime(new Date('2026-03-29T10:00:00Z'))).toBeCloseTo(2 + 11 / 23, 10);
    for (const minutes of [5 * 60, 7 * 60 + 10, 22 * 60]) {
      expect(cal.at(1, minutes).getTime()).toBe(
        cal.midnight(1).getTime() + (cal.dayTime(cal.at(1, minutes)) - 1) * 86_400_000,
      );
    }
  });

  it('starts the day the clocks go back at local midnight, before the change', () => {
    const autumn = localCalendar(new Date('2026-10-24T10:00:00Z'));
    expect(autumn.midnight(1).toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(autumn.midnight(2).toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });
});

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

  it('starts the day the clocks go back at local midnight, before the change', () => {
    const autumn = localCalendar(new Date('2026-10-24T10:00:00Z'));
    expect(autumn.midnight(1).toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(autumn.midnight(2).toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });
});

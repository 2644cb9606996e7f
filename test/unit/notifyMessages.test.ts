// What a notification may say of a patient (server/notify/messages.ts): initials, the severity
// and a link, never the name; and the alert raised when nobody is on call.
import { describe, expect, it } from 'vitest';
import { renderReason } from '../../contract/reasons.js';
import {
  alertLink,
  escalationMessage,
  initials,
  nobodyOnCallFinding,
  nobodyOnCallMessage,
} from '../../server/notify/messages.js';

describe('notification texts', () => {
  it('names a patient by initials, as people write them', () => {
    expect(initials('Karin Lind')).toBe('K. L.');
    expect(initials('  anna-karin  berg ')).toBe('A.-K. B.');
    expect(initials('Östen Åkesson')).toBe('Ö. Å.');
    expect(initials('')).toBe('');
  });

  it('links to the alert under the public address, with or without its trailing slash', () => {
    expect(alertLink('https://hub.region.se', 'alert_k3x')).toBe(
      'https://hub.region.se/#/alerts/alert_k3x',
    );
    expect(alertLink('https://region.se/hemvard/', 'alert_k3x')).toBe(
      'https://region.se/hemvard/#/alerts/alert_k3x',
    );
  });

  it('tells the person on call the initials, severity, unit and link in both languages', () => {
    const m = escalationMessage({
      initials: 'K. L.',
      severity: 'critical',
      unitName: 'Jour Gränby',
      link: 'https://hub/#/alerts/a1',
    });
    expect(m.subject).toBe(
      'Larm till jouren: patient K. L. (kritiskt) / On-call alert: patient K. L. (critical)',
    );
    expect(m.text).toContain('Öppna larmet: https://hub/#/alerts/a1');
    expect(m.text).toContain('Open the alert: https://hub/#/alerts/a1');
    expect(m.text).toContain('Jour Gränby');
  });

  it("says when nobody was on call in the patient's time zone, as a high alert", () => {
    const gap = {
      unitName: 'Jour Gränby',
      at: new Date('2025-11-24T02:10:00Z'),
      timeZone: 'Europe/Stockholm',
      initials: 'K. L.',
      severity: 'critical' as const,
    };
    const f = nobodyOnCallFinding(gap);
    expect(f).toMatchObject({ rule: 'oncall.nobody', severity: 'high', readings: [] });
    // the instant and the time zone are kept; the time is said where the patient lives
    expect(f.reason).toEqual({
      code: 'oncall.nobody',
      params: {
        unit: 'Jour Gränby',
        at: '2025-11-24T02:10:00.000Z',
        timeZone: 'Europe/Stockholm',
        severity: 'critical',
      },
    });
    expect(renderReason(f.reason, 'sv')).toMatch(
      /^Ingen hade jour i Jour Gränby 24 nov\. 2025 03:10 när ett larm \(kritiskt\)/,
    );
    expect(renderReason(f.reason, 'en')).toMatch(
      /^Nobody was on call in Jour Gränby at 24 Nov 2025, 03:10 when an alert \(critical\)/,
    );
    const m = nobodyOnCallMessage(gap, 'https://hub/#/alerts/a2');
    expect(m.subject).toBe('Ingen har jour i Jour Gränby / Nobody on call in Jour Gränby');
    expect(m.text).toContain('patient K. L.');
  });
});

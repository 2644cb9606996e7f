// What the hub says when an alert reaches the on-call level: the email to the person on call, and
// when nobody is on call, the alert to the unit's admins (raised through the alerts lifecycle, as
// rules.failed is) and its email. Both languages of the dashboard in one text, since the hub does
// not know the reader's. Pure.
import { reason } from '../../contract/reasons.js';
import type { Finding, Severity } from '../shapes/finding.js';
import type { Message } from './notifier.js';

export const ONCALL_NOBODY = 'oncall.nobody';

const severityWords: Record<Severity, { sv: string; en: string }> = {
  critical: { sv: 'kritiskt', en: 'critical' },
  high: { sv: 'högt', en: 'high' },
  medium: { sv: 'medel', en: 'medium' },
  low: { sv: 'lågt', en: 'low' },
  info: { sv: 'information', en: 'information' },
};

const firstLetter = new Intl.Segmenter('sv', { granularity: 'grapheme' });

/**
 * A name's initials, "Karin Lind" -> "K. L.", "Anna-Karin Berg" -> "A.-K. B.": what a message
 * that leaves the hub may say of a patient. Letters as people see them (graphemes).
 */
export function initials(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((word) =>
      word
        .split('-')
        .filter(Boolean)
        .map((part) => {
          const first = firstLetter.segment(part)[Symbol.iterator]().next().value?.segment ?? '';
          return `${first.toLocaleUpperCase('sv')}.`;
        })
        .join('-'),
    )
    .join(' ');
}

/** The alert in the dashboard: `PUBLIC_URL` (or the hub's address) + `#/alerts/{id}`. */
export function alertLink(publicUrl: string, alertId: string): string {
  const base = publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`;
  return new URL(`#/alerts/${encodeURIComponent(alertId)}`, base).toString();
}

/** To the person on call: an alert nobody acknowledged has escalated to them. */
export function escalationMessage(o: {
  initials: string;
  severity: Severity;
  unitName: string;
  link: string;
}): Message {
  const sev = severityWords[o.severity];
  return {
    subject: `Larm till jouren: patient ${o.initials} (${sev.sv}) / On-call alert: patient ${o.initials} (${sev.en})`,
    text: [
      `Ett larm (${sev.sv}) för patient ${o.initials} har inte kvitterats och har gått vidare till jouren, ${o.unitName}, där du har jour nu.`,
      `Öppna larmet: ${o.link}`,
      '',
      `An alert (${sev.en}) for patient ${o.initials} was not acknowledged and has escalated to on call, ${o.unitName}, where you are on call now.`,
      `Open the alert: ${o.link}`,
    ].join('\n'),
    url: o.link,
  };
}

/** When (in the patient's time zone) and where nobody was on call, for people to read. */
export interface RosterGap {
  unitName: string;
  at: Date;
  timeZone: string;
  initials: string;
  severity: Severity;
}

const when = (lang: 'sv' | 'en', gap: RosterGap) =>
  new Intl.DateTimeFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: gap.timeZone,
  }).format(gap.at);

/**
 * The alert that nobody was on call when an alert escalated to the on-call unit: high, since an
 * alert nobody acknowledged is waiting and the roster has a hole at that hour.
 */
export function nobodyOnCallFinding(gap: RosterGap): Finding {
  return {
    rule: ONCALL_NOBODY,
    severity: 'high',
    reason: reason('oncall.nobody', {
      unit: gap.unitName,
      at: gap.at.toISOString(),
      timeZone: gap.timeZone,
      severity: gap.severity,
    }),
    values: { unit: gap.unitName, at: gap.at.toISOString() },
    threshold: {
      value: 'a shift on the roster',
      source: 'default',
      reference: 'hub: on-call roster',
    },
    readings: [],
  };
}

/** To a unit's admins: nobody was on call when an alert escalated there. */
export function nobodyOnCallMessage(gap: RosterGap, link: string): Message {
  const sev = severityWords[gap.severity];
  return {
    subject: `Ingen har jour i ${gap.unitName} / Nobody on call in ${gap.unitName}`,
    text: [
      `Ingen hade jour i ${gap.unitName} ${when('sv', gap)} när ett larm (${sev.sv}) för patient ${gap.initials} gick vidare till jouren. Fyll luckan i jourschemat.`,
      `Öppna larmet: ${link}`,
      '',
      `Nobody was on call in ${gap.unitName} at ${when('en', gap)} when an alert (${sev.en}) for patient ${gap.initials} escalated to on call. Fill the gap in the roster.`,
      `Open the alert: ${link}`,
    ].join('\n'),
    url: link,
  };
}

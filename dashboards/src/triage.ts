// The triage list's logic: order, filter, apply live changes, and the times shown on an alert.
// Pure (no DOM, no clock but the `now` given), so the unit tests run it under Node.
import { ruleName, translate, typeName } from './i18n.js';
import { canonicalUnits, formatNumber, formatReading, locales } from './format.js';
import type { Alert, AlertEvent, Lang, Severity } from './types.js';

export const severityRank: Record<Severity, number> = {
  critical: 4,
  high: 3,
  medium: 2,
  low: 1,
  info: 0,
};

export type SortKey = 'triage' | 'frailty' | 'time';
/** `all`, `unknown` (not assessed), or a CFS band. */
export type FrailtyFilter = 'all' | '1-3' | '4-6' | '7-9' | 'unknown';
export const frailtyFilters: readonly FrailtyFilter[] = ['all', '1-3', '4-6', '7-9', 'unknown'];

const time = (iso: string) => Date.parse(iso);

/** The hub's order (docs/api.md): unowned first, then severity (critical first), then oldest. */
export function compareTriage(a: Alert, b: Alert): number {
  const owned = Number(a.owner !== null) - Number(b.owner !== null);
  if (owned) return owned;
  const sev = severityRank[b.severity] - severityRank[a.severity];
  if (sev) return sev;
  return time(a.openedAt) - time(b.openedAt) || a.id.localeCompare(b.id);
}

export function sortAlerts(alerts: readonly Alert[], by: SortKey = 'triage'): Alert[] {
  const out = alerts.slice();
  if (by === 'frailty') {
    // highest frailty first; not assessed last; ties in triage order
    out.sort((a, b) => (b.frailty ?? 0) - (a.frailty ?? 0) || compareTriage(a, b));
  } else if (by === 'time') {
    out.sort((a, b) => time(a.openedAt) - time(b.openedAt) || compareTriage(a, b));
  } else {
    out.sort(compareTriage);
  }
  return out;
}

export function matchesFrailty(frailty: number | null, filter: FrailtyFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'unknown':
      return frailty === null;
    default: {
      const [lo, hi] = filter.split('-').map(Number) as [number, number];
      return frailty !== null && frailty >= lo && frailty <= hi;
    }
  }
}

export function viewAlerts(alerts: readonly Alert[], by: SortKey, filter: FrailtyFilter): Alert[] {
  return sortAlerts(
    alerts.filter((a) => matchesFrailty(a.frailty, filter)),
    by,
  );
}

/**
 * The list as the triage shows it: one group per patient, the patients ordered by their first
 * alert in `sorted` (by the triage order: their worst open problem), each group's alerts in that
 * order. An alert is one problem (the hub keeps one per patient and problem).
 */
export function groupByPatient(sorted: readonly Alert[]): { patientId: string; alerts: Alert[] }[] {
  const groups = new Map<string, Alert[]>();
  for (const a of sorted) {
    const group = groups.get(a.patientId);
    if (group) group.push(a);
    else groups.set(a.patientId, [a]);
  }
  return [...groups].map(([patientId, alerts]) => ({ patientId, alerts }));
}

/** The value an alert's event names (the hub's problems.ts `ProblemValue`). */
interface ProblemValue {
  type: string;
  value?: number;
  systolic?: number;
  diastolic?: number;
}
const isProblemValue = (v: unknown): v is ProblemValue =>
  typeof v === 'object' && v !== null && typeof (v as ProblemValue).type === 'string';
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** A weight to one decimal always, so that "105,0 → 105,8 kg" reads as a change of 0,8 kg. */
const kg = (lang: Lang, n: number) => formatNumber(lang, n, { minDecimals: 1, maxDecimals: 1 });

/** The heart-failure score to one decimal, as its reason says it: "3,2 → 4,5". */
const score = (lang: Lang, n: number) => formatNumber(lang, n, { minDecimals: 1, maxDecimals: 1 });

const valueText = (lang: Lang, v: ProblemValue): string => {
  if (v.type === 'news2') return `NEWS2 ${v.value ?? '–'}`;
  if (v.type === 'hf_score') return v.value === undefined ? '–' : score(lang, v.value);
  if (v.type === 'body_weight' && v.value !== undefined) return `${kg(lang, v.value)} kg`;
  const type = v.type === 'systolic' ? 'blood_pressure' : v.type;
  const unit = canonicalUnits[type as keyof typeof canonicalUnits] ?? null;
  return formatReading(lang, type, {
    value: v.value ?? null,
    systolic: v.systolic ?? null,
    diastolic: v.diastolic ?? null,
    code: null,
    unit,
  });
};
const bare = (lang: Lang, v: ProblemValue): string =>
  v.systolic !== undefined && v.diastolic !== undefined
    ? `${formatNumber(lang, v.systolic, { maxDecimals: 0 })}/${formatNumber(lang, v.diastolic, { maxDecimals: 0 })}`
    : v.value !== undefined && v.type !== 'news2' && v.type !== 'hf_score'
      ? v.type === 'body_weight'
        ? kg(lang, v.value)
        : formatNumber(lang, v.value, { maxDecimals: 0 })
      : valueText(lang, v);

/**
 * What an opened or updated event changed on its problem, in words: "Vikt 105,0 → 105,8 kg;
 * nu även: Stigande vikttrend (MACD)"; "inte längre: ..." for the rules a turn of direction
 * dropped. Null for an event that says none of it (other kinds, alerts stored before).
 */
export function describeProblemChange(lang: Lang, data: Record<string, unknown>): string | null {
  const parts: string[] = [];
  const now = isProblemValue(data.value) ? data.value : null;
  const before = isProblemValue(data.previousValue) ? data.previousValue : null;
  if (now) {
    const name = typeName(lang, now.type === 'systolic' ? 'blood_pressure' : now.type);
    const label = now.type === 'news2' ? '' : `${name} `;
    if (before && before.type === now.type && valueText(lang, before) !== valueText(lang, now)) {
      const unitless = bare(lang, now) !== valueText(lang, now);
      parts.push(
        `${label}${unitless ? bare(lang, before) : valueText(lang, before)} → ${valueText(lang, now)}`,
      );
    } else if (!before || valueText(lang, before) !== valueText(lang, now)) {
      parts.push(`${label}${valueText(lang, now)}`);
    }
  }
  const names = (rules: string[]) => rules.map((r) => ruleName(lang, r)).join(', ');
  const added = strings(data.added);
  const dropped = strings(data.dropped);
  if (added.length) parts.push(translate(lang, 'problemAdded', { rules: names(added) }));
  if (dropped.length) parts.push(translate(lang, 'problemDropped', { rules: names(dropped) }));
  return parts.length ? parts.join('; ') : null;
}

/**
 * A live `alert` event applied to the list: the alert replaces its older self (never a newer
 * one: events may arrive twice after a resume), a resolved alert leaves, and one the person may
 * no longer see (`alert: null`) leaves too. A push goes to a whole care unit and so knows no
 * one's snooze (`snoozedUntil` null): the person's own snooze stays on the alert until it ends.
 */
export function applyAlertEvent(alerts: readonly Alert[], event: AlertEvent): Alert[] {
  const id = event.change.alertId;
  const current = alerts.find((a) => a.id === id);
  const next = event.alert;
  if (next && current && current.seq > next.seq) return alerts.slice();
  const rest = alerts.filter((a) => a.id !== id);
  if (!next || next.status === 'resolved') return rest;
  const snoozedUntil = next.snoozedUntil ?? current?.snoozedUntil ?? null;
  return [...rest, { ...next, snoozedUntil }];
}

/** True when an event brings a critical alert the person had not seen as critical. */
export function isNewCritical(before: readonly Alert[], event: AlertEvent): boolean {
  const a = event.alert;
  if (!a || a.severity !== 'critical' || a.status !== 'open') return false;
  const prior = before.find((x) => x.id === a.id);
  return !prior || prior.severity !== 'critical';
}

/** "1 h 5 min", "12 min", "< 1 min": a duration in minutes, for a nurse to read at a glance. */
export function formatDuration(ms: number, lang: Lang): string {
  const totalMin = Math.floor(Math.abs(ms) / 60_000);
  if (totalMin < 1) return '< 1 min';
  const days = Math.floor(totalMin / 1440);
  const h = Math.floor((totalMin % 1440) / 60);
  const m = totalMin % 60;
  const parts: string[] = [];
  if (days) parts.push(lang === 'sv' ? `${days} dygn` : `${days} d`);
  if (h) parts.push(`${h} h`);
  if (m && !days) parts.push(`${m} min`);
  return parts.join(' ');
}

/** The time left before an alert escalates, or how late it is; null when it will not. */
export function formatTimeLeft(
  alert: Pick<Alert, 'escalateAt' | 'status'>,
  now: number,
  lang: Lang,
): { text: string; overdue: boolean } | null {
  if (!alert.escalateAt || alert.status !== 'open') return null;
  const left = time(alert.escalateAt) - now;
  const overdue = left < 0;
  return {
    overdue,
    text: translate(lang, overdue ? 'escalationOverdue' : 'escalatesIn', {
      time: formatDuration(left, lang),
    }),
  };
}

/**
 * A late reading's age, "30 timmar" / "30 hours", in days ("19 dygn") from two days on: in
 * words by Intl, so that plurals are the language's own.
 */
export function formatAge(hours: number, lang: Lang): string {
  const inDays = hours >= 48;
  return new Intl.NumberFormat(locales[lang], {
    style: 'unit',
    unit: inDays ? 'day' : 'hour',
    unitDisplay: 'long',
  }).format(inDays ? Math.floor(hours / 24) : hours);
}

/**
 * When the alert's reading reached the hub, if that was more than an hour after it was measured
 * (a phone or gateway that held it): worth saying beside the measured time. Else null.
 */
export function arrivedLate(a: Pick<Alert, 'measuredAt' | 'receivedAt'>): string | null {
  if (!a.measuredAt || !a.receivedAt) return null;
  return time(a.receivedAt) - time(a.measuredAt) > 3_600_000 ? a.receivedAt : null;
}

/** Snooze choices per severity, at most what the hub allows (README: 15/60/240/1440/1440). */
export const snoozeMax: Record<Severity, number> = {
  critical: 15,
  high: 60,
  medium: 240,
  low: 1440,
  info: 1440,
};

export function snoozeChoices(severity: Severity): number[] {
  return [5, 10, 15, 30, 60, 120, 240, 480, 1440].filter((m) => m <= snoozeMax[severity]);
}

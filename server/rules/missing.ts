// A missed measurement: the plan expects, say, a morning weight every day, and none has come.
// Before a nurse is alerted the patient is reminded, and the hub tells apart a patient who did
// not measure, a device or gateway that has gone quiet, and a backlog that is still arriving.
import type { PlanItem } from '../../contract/plan.js';
import type { ReadingType } from '../../devices/contract.js';
import { localFields, wallTimeToInstant } from '../../devices/gatt/datetime.js';
import { reason } from '../../contract/reasons.js';
import type { Finding, RuleReading } from './types.js';

export type MissingCause = 'not_measured' | 'device_offline' | 'backlog_arriving';

export interface MissingInput {
  item: PlanItem;
  /** The patient's readings of any type, in measurement order. */
  readings: RuleReading[];
  now: Date;
  timeZone: string;
  /** When the plan began (the first due day follows it). */
  planStart: Date;
  /** The last time any of the patient's devices delivered anything, or null. */
  lastTrafficAt: Date | null;
}

export interface MissingMeasurement {
  type: ReadingType;
  /** remind: tell the patient; alert: tell the care team. */
  action: 'remind' | 'alert';
  cause: MissingCause;
  dueAt: string;
  lastMeasuredAt: string | null;
}

const HOUR = 3_600_000;
/** Readings received within this long that were measured long before: a backlog arriving. */
const BACKLOG_RECENT_MS = 15 * 60_000;
const BACKLOG_AGE_MS = HOUR;

/** `hhmm` local time, `addDays` local days after the local date of `base`. */
function atLocal(base: Date, addDays: number, hhmm: string, timeZone: string): Date {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const from = localFields(base.getTime(), timeZone);
  // Date.UTC normalises a day past the month's end; only the calendar date is used from it.
  const d = new Date(Date.UTC(from.year, from.month - 1, from.day + addDays));
  const at = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
  return new Date(wallTimeToInstant({ ...at, hours: h, minutes: m, seconds: 0 }, timeZone));
}

/** When the next measurement is due: `everyDays` local days after the last one, at dueBy. */
export function dueAt(item: PlanItem, last: Date | null, planStart: Date, timeZone: string): Date {
  if (last) return atLocal(last, item.everyDays, item.dueBy, timeZone);
  const first = atLocal(planStart, 0, item.dueBy, timeZone);
  // a plan that starts after the day's due time is first due the next day
  return first >= planStart ? first : atLocal(planStart, 1, item.dueBy, timeZone);
}

export function checkMissing(i: MissingInput): MissingMeasurement | null {
  const own = i.readings.filter((r) => r.type === i.item.type);
  const last = own.at(-1)?.measuredAt ?? null;
  const due = dueAt(i.item, last, i.planStart, i.timeZone);
  const now = i.now.getTime();
  if (now < due.getTime()) return null;

  const backlog = i.readings.some(
    (r) =>
      now - r.receivedAt.getTime() <= BACKLOG_RECENT_MS &&
      r.receivedAt.getTime() - r.measuredAt.getTime() >= BACKLOG_AGE_MS,
  );
  const quietSince = last ?? i.planStart;
  const cause: MissingCause = backlog
    ? 'backlog_arriving'
    : !i.lastTrafficAt || i.lastTrafficAt.getTime() <= quietSince.getTime()
      ? 'device_offline'
      : 'not_measured';
  // A backlog still arriving may hold the missing reading: remind, do not alert yet.
  const alert = cause !== 'backlog_arriving' && now >= due.getTime() + i.item.graceHours * HOUR;
  return {
    type: i.item.type,
    action: alert ? 'alert' : 'remind',
    cause,
    dueAt: due.toISOString(),
    lastMeasuredAt: last?.toISOString() ?? null,
  };
}

/**
 * The care team's finding for a missed measurement that has passed its grace time; the reason
 * keeps the instants and the patient's time zone (`timeZone`), in which it says them.
 */
export function missingFinding(m: MissingMeasurement, timeZone: string): Finding {
  return {
    rule: `missing.${m.type}`,
    severity: 'medium',
    reason: reason('missing', {
      type: m.type,
      lastMeasuredAt: m.lastMeasuredAt,
      dueAt: m.dueAt,
      timeZone,
      cause: m.cause,
    }),
    values: { cause: m.cause, lastMeasuredAt: m.lastMeasuredAt, dueAt: m.dueAt },
    threshold: {
      value: m.dueAt,
      source: 'personal',
      reference: "the patient's measurement plan",
      keys: ['measurements'],
    },
    readings: [],
  };
}

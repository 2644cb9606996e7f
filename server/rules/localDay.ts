// Local calendar days and the daily series the trend rules read. A patient's "day" is the
// calendar day where they live (an IANA zone such as Europe/Stockholm), not the UTC day: a
// weighing at 23:30 UTC in a Swedish winter is 00:30 the next local day.
//
// Trend rules use the first weight of each local day and ignore a second weighing of the same
// day for trends, but store it (a design choice [U]: docs/clinical-evidence.md section 6).
// Readings the device itself flags as questionable are skipped before choosing the first, so a
// flagged first weighing lets the next valid one of that day stand in.
import { localDayNumber, wallTimeToInstant } from '../../devices/gatt/datetime.js';
import { isQuestionable as questionableFlags } from '../../devices/gatt/index.js';
import type { RuleReading } from './types.js';

/**
 * True when the device flagged the measurement as questionable (loose cuff, movement, low
 * perfusion, test data, ...): rules skip it as if never taken. The one list of such flags is
 * the GATT decoder's, since devices report them there.
 */
export function isQuestionable(deviceStatus?: readonly string[]): boolean {
  return deviceStatus ? questionableFlags(deviceStatus) : false;
}

/**
 * The calendar day of `d` in `timeZone`, as 'YYYY-MM-DD' (throws on an unknown zone). From the
 * zone's offset of that UTC day and a string kept per day, so it needs no cache per reading
 * (it had one: a WeakMap entry for every reading the rules held, for the collector to trace).
 */
export function localDate(d: Date, timeZone: string): string {
  return dayOfNumber(localDayNumber(d.getTime(), timeZone));
}

const DAY_MS = 86_400_000;

const dayNumbers = new Map<string, number>(); // a few thousand distinct days at most

/** Days since 1970-01-01 of a 'YYYY-MM-DD' day; differences count calendar days. */
export function dayNumber(day: string): number {
  let n = dayNumbers.get(day);
  if (n === undefined) {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    n = Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
    if (dayNumbers.size > 100_000) dayNumbers.clear();
    dayNumbers.set(day, n);
  }
  return n;
}

/** Per zone, per day number: no key string made per look-up. Bounded like dayNumbers. */
const dayStarts = new Map<string, Map<number, number>>();

/** The first instant (ms) of local day number `n` (days since 1970-01-01) in `timeZone`. */
export function dayStartOf(n: number, timeZone: string): number {
  let zone = dayStarts.get(timeZone);
  if (!zone) dayStarts.set(timeZone, (zone = new Map()));
  let t = zone.get(n);
  if (t === undefined) {
    const [year, month, d] = dayOfNumber(n).split('-').map(Number) as [number, number, number];
    t = wallTimeToInstant({ year, month, day: d, hours: 0, minutes: 0, seconds: 0 }, timeZone);
    if (zone.size > 100_000) zone.clear();
    zone.set(n, t);
  }
  return t;
}

const daysByNumber = new Map<number, string>(); // a few thousand distinct days at most

/** The 'YYYY-MM-DD' of a day number (days since 1970-01-01). */
export function dayOfNumber(n: number): string {
  let out = daysByNumber.get(n);
  if (out === undefined) {
    out = new Date(n * DAY_MS).toISOString().slice(0, 10);
    if (daysByNumber.size > 100_000) daysByNumber.clear();
    daysByNumber.set(n, out);
  }
  return out;
}

/** One local day's first valid weighing. */
export interface DailyWeight {
  day: string;
  kg: number;
  reading: RuleReading;
}

const byTime = (a: RuleReading, b: RuleReading) => a.measuredAt.getTime() - b.measuredAt.getTime();

/** The readings in measurement order: themselves when they already are (the usual case). */
export function inTimeOrder<T extends RuleReading>(readings: readonly T[]): readonly T[] {
  for (let i = 1; i < readings.length; i++) {
    if (byTime(readings[i - 1]!, readings[i]!) > 0) return [...readings].sort(byTime);
  }
  return readings;
}

/**
 * The first valid `body_weight` reading of each local day, in day order. Skips readings without
 * a finite positive value and readings the scale flags as questionable; later weighings of a
 * day are ignored for trends.
 */
export function dailyFirstWeights(readings: RuleReading[], timeZone: string): DailyWeight[] {
  const out: DailyWeight[] = [];
  const seen = new Set<string>();
  for (const r of inTimeOrder(readings)) {
    if (!isValidWeight(r)) continue;
    const day = localDate(r.measuredAt, timeZone);
    if (seen.has(day)) continue;
    seen.add(day);
    out.push({ day, kg: r.value!, reading: r });
  }
  return out;
}

const isValidWeight = (r: RuleReading) =>
  r.type === 'body_weight' &&
  r.value !== null &&
  Number.isFinite(r.value) &&
  r.value > 0 &&
  !isQuestionable(r.deviceStatus);

/** The first valid weighing among one day's readings (in measurement order), if any. */
export const firstWeightOfDay = (readings: readonly RuleReading[]): RuleReading | undefined =>
  readings.find(isValidWeight);

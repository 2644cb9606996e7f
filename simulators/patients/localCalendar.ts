// The patient's days where they live (Europe/Stockholm): day 0 is the local date of the
// simulation's start, and a measurement "at 07:10" is 07:10 local time on that day, summer or
// winter. Offsets are looked up once per local date (Intl is the slow part of a simulation).
import { localFields, offsetMinutes, wallTimeToInstant } from '../../devices/gatt/datetime.js';

export const STOCKHOLM = 'Europe/Stockholm';
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

const offsets = new Map<string, number>();

/** The zone's UTC offset (minutes) on local date `dayNumber` (days since 1970-01-01), at noon. */
function offsetOn(dayNumber: number, timeZone: string): number {
  const key = `${timeZone} ${dayNumber}`;
  let o = offsets.get(key);
  if (o === undefined) {
    // UTC noon is local early afternoon in Europe: past any 02:00-03:00 daylight-saving switch
    o = offsetMinutes(dayNumber * DAY_MS + 12 * 60 * MINUTE_MS, timeZone);
    offsets.set(key, o);
  }
  return o;
}

export interface LocalCalendar {
  readonly timeZone: string;
  /** Local date of day 0, as days since 1970-01-01. */
  readonly firstDayNumber: number;
  /** The instant of local wall time `minutes` after midnight on day `index` (05:00 or later). */
  at(index: number, minutes: number): Date;
  /** 0 = Sunday ... 6 = Saturday, of day `index`. */
  weekday(index: number): number;
  /** Local midnight of day `index`, also on a day whose offset changes at 02:00 or 03:00. */
  midnight(index: number): Date;
  /** The day index an instant falls on, approximately (within a day; widen ranges by one). */
  approxIndex(at: Date): number;
  /** The day-index time of an instant (7.5: halfway through local day 7), as episodes count. */
  dayTime(at: Date): number;
}

export function localCalendar(start: Date, timeZone = STOCKHOLM): LocalCalendar {
  const f = localFields(start.getTime(), timeZone);
  const firstDayNumber = Math.round(Date.UTC(f.year, f.month - 1, f.day) / DAY_MS);
  const at = (index: number, minutes: number) => {
    const dn = firstDayNumber + index;
    // whole seconds, as device clocks report them
    const ms = dn * DAY_MS + (minutes - offsetOn(dn, timeZone)) * MINUTE_MS;
    return new Date(Math.round(ms / 1000) * 1000);
  };
  // not at(index, 0): that takes the offset at noon, an hour off at midnight on the days the
  // clocks change
  const midnight = (index: number) => {
    const d = new Date((firstDayNumber + index) * DAY_MS);
    const wall = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
    return new Date(wallTimeToInstant({ ...wall, hours: 0, minutes: 0, seconds: 0 }, timeZone));
  };
  const approxIndex = (d: Date) => Math.floor((d.getTime() - firstDayNumber * DAY_MS) / DAY_MS);
  return {
    timeZone,
    firstDayNumber,
    at,
    // 1970-01-01 was a Thursday
    weekday: (index) => (((firstDayNumber + index + 4) % 7) + 7) % 7,
    midnight,
    approxIndex,
    dayTime: (d) => {
      let i = approxIndex(d) + 1;
      while (i > 0 && midnight(i).getTime() > d.getTime()) i--;
      const from = midnight(i).getTime();
      return i + (d.getTime() - from) / (midnight(i + 1).getTime() - from);
    },
  };
}

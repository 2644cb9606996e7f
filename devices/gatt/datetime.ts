// Bluetooth Date Time (7 bytes): year uint16 LE, month, day, hours, minutes, seconds.
// It carries no zone: devices run on the patient's local wall clock, so the offset comes from
// the patient's IANA time zone, resolved with Intl alone.
//
// DST choice (same as java.time and Temporal's 'compatible'):
// - a wall time in a spring-forward gap (2026-03-29 02:30 in Stockholm) is read with the offset
//   in force before the gap, i.e. a clock that has not yet jumped; the result is shifted forward
//   by the gap and carries the later offset: 2026-03-29T03:30:00+02:00.
// - a wall time that occurs twice (2026-10-25 02:30) is the first occurrence, in summer time:
//   2026-10-25T02:30:00+02:00.

export const DEFAULT_TIME_ZONE = 'Europe/Stockholm';
export const DATE_TIME_SIZE = 7;

export interface DateTimeFields {
  year: number;
  month: number;
  day: number;
  hours: number;
  minutes: number;
  seconds: number;
}

/** The Intl options whose parts are a zone's wall-clock fields (24-hour, numeric). */
export const WALL_CLOCK_FORMAT: Intl.DateTimeFormatOptions = {
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // Throws RangeError for an unknown zone.
    f = new Intl.DateTimeFormat('en-US', { ...WALL_CLOCK_FORMAT, timeZone });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws RangeError unless `timeZone` is an IANA zone this runtime knows. */
export function assertTimeZone(timeZone: string): void {
  formatter(timeZone);
}

const wallAsUtc = (f: DateTimeFields): number =>
  Date.UTC(f.year, f.month - 1, f.day, f.hours, f.minutes, f.seconds);

/** Wall-clock fields of an instant in a zone, as Intl formats them. */
function intlFields(instantMs: number, timeZone: string): DateTimeFields {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instantMs)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hours: parts.hour!,
    minutes: parts.minute!,
    seconds: parts.second!,
  };
}

const DAY_MS = 86_400_000;
// Intl formatting costs microseconds a call, and the rules ask for local days thousands of
// times a second. A zone's offset changes only at its transitions, at most once a day: per zone
// and UTC day, the offset when the day has one throughout, or null on a transition day (Intl
// answers then).
const steadyOffsets = new Map<string, Map<number, number | null>>();

function steadyOffsetMs(utcDay: number, timeZone: string): number | null {
  let zone = steadyOffsets.get(timeZone);
  if (!zone) steadyOffsets.set(timeZone, (zone = new Map()));
  let offset = zone.get(utcDay);
  if (offset === undefined) {
    const start = utcDay * DAY_MS;
    const atStart = wallAsUtc(intlFields(start, timeZone)) - start;
    const atEnd = wallAsUtc(intlFields(start + DAY_MS, timeZone)) - (start + DAY_MS);
    offset = atStart === atEnd ? atStart : null;
    if (zone.size > 100_000) zone.clear();
    zone.set(utcDay, offset);
  }
  return offset;
}

/** Wall-clock fields of an instant in a zone (whole seconds, as Intl gives them). */
export function localFields(instantMs: number, timeZone: string): DateTimeFields {
  const offset = steadyOffsetMs(Math.floor(instantMs / DAY_MS), timeZone);
  if (offset === null) return intlFields(instantMs, timeZone);
  const wall = new Date(instantMs + offset);
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hours: wall.getUTCHours(),
    minutes: wall.getUTCMinutes(),
    seconds: wall.getUTCSeconds(),
  };
}

/**
 * The calendar day of an instant in a zone, as days since 1970-01-01: from the zone's steady
 * offset of that UTC day, without building the wall-clock fields (Intl on a transition day).
 */
export function localDayNumber(instantMs: number, timeZone: string): number {
  const offset = steadyOffsetMs(Math.floor(instantMs / DAY_MS), timeZone);
  if (offset !== null) return Math.floor((instantMs + offset) / DAY_MS);
  const f = intlFields(instantMs, timeZone);
  return Date.UTC(f.year, f.month - 1, f.day) / DAY_MS;
}

/** The zone's UTC offset in whole minutes at an instant. */
export function offsetMinutes(instantMs: number, timeZone: string): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  return Math.round((wallAsUtc(localFields(whole, timeZone)) - whole) / 60_000);
}

/** The instant a wall time denotes in a zone, resolving gaps and overlaps as described above. */
export function wallTimeToInstant(f: DateTimeFields, timeZone: string): number {
  const wall = wallAsUtc(f);
  const DAY = 86_400_000;
  // Real zones change offset at most once within a day on either side.
  const before = offsetMinutes(wall - DAY, timeZone);
  const after = offsetMinutes(wall + DAY, timeZone);
  const valid = [...new Set([before, after])].filter(
    (o) => offsetMinutes(wall - o * 60_000, timeZone) === o,
  );
  if (valid.length === 0) return wall - before * 60_000; // gap
  return wall - Math.max(...valid) * 60_000; // earliest instant wins an overlap
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** RFC 3339 with the zone's offset at that instant, e.g. 2023-12-25T14:30:45+01:00. */
export function formatRfc3339(instantMs: number, timeZone: string): string {
  const offset = offsetMinutes(instantMs, timeZone);
  const l = localFields(instantMs, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${pad(l.year, 4)}-${pad(l.month)}-${pad(l.day)}T${pad(l.hours)}:${pad(l.minutes)}:` +
    `${pad(l.seconds)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, m: number) =>
  m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;

/** Reads the 7 raw fields; `view` must hold 7 bytes at `offset`. */
export function readDateTime(view: DataView, offset = 0): DateTimeFields {
  return {
    year: view.getUint16(offset, true),
    month: view.getUint8(offset + 2),
    day: view.getUint8(offset + 3),
    hours: view.getUint8(offset + 4),
    minutes: view.getUint8(offset + 5),
    seconds: view.getUint8(offset + 6),
  };
}

/**
 * RFC 3339 for Date Time fields; undefined when year, month or day is 0 (unknown).
 * Throws RangeError for values the specification reserves (month 13, 31 April, hour 24...).
 */
export function dateTimeToRfc3339(
  f: DateTimeFields,
  timeZone: string = DEFAULT_TIME_ZONE,
): string | undefined {
  if (f.year === 0 || f.month === 0 || f.day === 0) return undefined;
  const bad =
    f.year < 1582 || f.year > 9999
      ? `year ${f.year}`
      : f.month > 12
        ? `month ${f.month}`
        : f.day > daysIn(f.year, f.month)
          ? `day ${f.day}`
          : f.hours > 23
            ? `hours ${f.hours}`
            : f.minutes > 59
              ? `minutes ${f.minutes}`
              : f.seconds > 59
                ? `seconds ${f.seconds}`
                : undefined;
  if (bad) {
    const text = `${f.year}-${pad(f.month)}-${pad(f.day)} ${pad(f.hours)}:${pad(f.minutes)}:${pad(f.seconds)}`;
    throw new RangeError(`invalid date time ${text}: ${bad}`);
  }
  return formatRfc3339(wallTimeToInstant(f, timeZone), timeZone);
}

/** Decodes 7 bytes at `offset`; see dateTimeToRfc3339. */
export function decodeDateTime(
  bytes: Uint8Array,
  offset = 0,
  timeZone: string = DEFAULT_TIME_ZONE,
): string | undefined {
  if (bytes.byteLength < offset + DATE_TIME_SIZE) {
    throw new RangeError(`expected ${DATE_TIME_SIZE} bytes at offset ${offset}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return dateTimeToRfc3339(readDateTime(view, offset), timeZone);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * The 7 bytes a device in `timeZone` would send for `measuredAt` (fractions of a second are
 * dropped); undefined gives all zeros, an unknown time.
 */
export function encodeDateTime(
  measuredAt: string | undefined,
  timeZone: string = DEFAULT_TIME_ZONE,
): Uint8Array {
  const out = new Uint8Array(DATE_TIME_SIZE);
  if (measuredAt === undefined) return out;
  const ms = RFC3339.test(measuredAt) ? Date.parse(measuredAt) : NaN;
  if (Number.isNaN(ms)) throw new RangeError(`not an RFC 3339 time stamp: ${measuredAt}`);
  const l = localFields(ms, timeZone);
  if (l.year < 1582 || l.year > 9999) throw new RangeError(`year ${l.year} cannot be sent`);
  const view = new DataView(out.buffer);
  view.setUint16(0, l.year, true);
  [l.month, l.day, l.hours, l.minutes, l.seconds].forEach((v, i) => view.setUint8(2 + i, v));
  return out;
}

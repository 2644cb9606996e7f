import { describe, expect, it } from 'vitest';
import {
  WALL_CLOCK_FORMAT,
  dateTimeToRfc3339,
  decodeDateTime,
  encodeDateTime,
  localFields,
  type DateTimeFields,
} from '../../../devices/gatt/datetime.js';
import { hex, toHex } from './helpers.js';

const at = (
  year: number,
  month: number,
  day: number,
  hours = 0,
  minutes = 0,
  seconds = 0,
): DateTimeFields => ({ year, month, day, hours, minutes, seconds });

describe('Date Time decoding', () => {
  it('decodes the bluetooth-gatt.md time stamp 2023-12-25 14:30:45 in Stockholm winter time', () => {
    expect(decodeDateTime(hex('E7 07 0C 19 0E 1E 2D'))).toBe('2023-12-25T14:30:45+01:00');
  });

  it('uses summer time in summer and honours an offset into the bytes', () => {
    expect(decodeDateTime(hex('FF EA 07 06 15 08 05 09'), 1)).toBe('2026-06-21T08:05:09+02:00');
  });

  it('defaults to Europe/Stockholm and uses the zone it is given', () => {
    const f = at(2026, 1, 15, 12);
    expect(dateTimeToRfc3339(f)).toBe('2026-01-15T12:00:00+01:00');
    expect(dateTimeToRfc3339(f, 'UTC')).toBe('2026-01-15T12:00:00+00:00');
    expect(dateTimeToRfc3339(f, 'Asia/Kolkata')).toBe('2026-01-15T12:00:00+05:30');
    expect(dateTimeToRfc3339(f, 'America/St_Johns')).toBe('2026-01-15T12:00:00-03:30');
  });

  it.each([
    ['year', at(0, 4, 17, 20, 41, 59)],
    ['month', at(2026, 0, 17)],
    ['day', at(2026, 4, 0)],
  ])('gives undefined when the %s is unknown (0)', (_, f) => {
    expect(dateTimeToRfc3339(f)).toBeUndefined();
  });

  it('gives undefined for all-zero bytes', () => {
    expect(decodeDateTime(new Uint8Array(7))).toBeUndefined();
  });

  it.each([
    [at(2026, 13, 1), 'month 13'],
    [at(2026, 4, 31), 'day 31'],
    [at(2023, 2, 29), 'day 29'],
    [at(2026, 1, 1, 24), 'hours 24'],
    [at(2026, 1, 1, 0, 60), 'minutes 60'],
    [at(2026, 1, 1, 0, 0, 60), 'seconds 60'],
    [at(1581, 1, 1), 'year 1581'],
    [at(10000, 1, 1), 'year 10000'],
  ])('throws a RangeError for the reserved value %o', (f, what) => {
    expect(() => dateTimeToRfc3339(f)).toThrow(new RegExp(`invalid date time .*: ${what}$`));
  });

  it('accepts 29 February in a leap year', () => {
    expect(dateTimeToRfc3339(at(2024, 2, 29, 7))).toBe('2024-02-29T07:00:00+01:00');
  });

  it('throws a RangeError when fewer than 7 bytes remain', () => {
    expect(() => decodeDateTime(hex('E7 07 0C 19 0E 1E'))).toThrow(RangeError);
  });
});

describe('Date Time across daylight saving changes', () => {
  it.each([
    // Spring forward in Stockholm, 2026-03-29 02:00 -> 03:00: the clock had not jumped yet.
    [at(2026, 3, 29, 1, 59, 59), '2026-03-29T01:59:59+01:00'],
    [at(2026, 3, 29, 2, 0, 0), '2026-03-29T03:00:00+02:00'],
    [at(2026, 3, 29, 2, 30, 0), '2026-03-29T03:30:00+02:00'],
    [at(2026, 3, 29, 2, 59, 59), '2026-03-29T03:59:59+02:00'],
    [at(2026, 3, 29, 3, 0, 0), '2026-03-29T03:00:00+02:00'],
    // Fall back, 2026-10-25 03:00 -> 02:00: 02:00-02:59 happen twice; the first (summer) wins.
    [at(2026, 10, 25, 1, 59, 59), '2026-10-25T01:59:59+02:00'],
    [at(2026, 10, 25, 2, 0, 0), '2026-10-25T02:00:00+02:00'],
    [at(2026, 10, 25, 2, 30, 0), '2026-10-25T02:30:00+02:00'],
    [at(2026, 10, 25, 2, 59, 59), '2026-10-25T02:59:59+02:00'],
    [at(2026, 10, 25, 3, 0, 0), '2026-10-25T03:00:00+01:00'],
  ])('resolves Stockholm wall time %o to %s', (f, expected) => {
    expect(dateTimeToRfc3339(f, 'Europe/Stockholm')).toBe(expected);
  });

  it('resolves the same way in other zones (New York, Sydney)', () => {
    expect(dateTimeToRfc3339(at(2026, 3, 8, 2, 30), 'America/New_York')).toBe(
      '2026-03-08T03:30:00-04:00',
    );
    expect(dateTimeToRfc3339(at(2026, 11, 1, 1, 30), 'America/New_York')).toBe(
      '2026-11-01T01:30:00-04:00',
    );
    // Southern hemisphere: summer time ends in April, starts in October.
    expect(dateTimeToRfc3339(at(2026, 4, 5, 2, 30), 'Australia/Sydney')).toBe(
      '2026-04-05T02:30:00+11:00',
    );
    expect(dateTimeToRfc3339(at(2026, 10, 4, 2, 30), 'Australia/Sydney')).toBe(
      '2026-10-04T03:30:00+11:00',
    );
  });
});

describe('Date Time encoding', () => {
  it('encodes 2023-12-25T14:30:45+01:00 as the bluetooth-gatt.md bytes', () => {
    expect(toHex(encodeDateTime('2023-12-25T14:30:45+01:00'))).toBe('E7 07 0C 19 0E 1E 2D');
  });

  it('converts other offsets to the wall time of the zone and drops fractions', () => {
    expect(toHex(encodeDateTime('2023-12-25T13:30:45.999Z'))).toBe('E7 07 0C 19 0E 1E 2D');
    expect(toHex(encodeDateTime('2023-12-25T13:30:45Z', 'UTC'))).toBe('E7 07 0C 19 0D 1E 2D');
  });

  it('encodes an absent time stamp as all zeros (unknown)', () => {
    expect(toHex(encodeDateTime(undefined))).toBe('00 00 00 00 00 00 00');
  });

  it('throws a RangeError for text that is not RFC 3339', () => {
    expect(() => encodeDateTime('2023-12-25 14:30')).toThrow(RangeError);
    expect(() => encodeDateTime('yesterday')).toThrow(RangeError);
  });

  it('round-trips both occurrences of an ambiguous hour and every hour of a DST day', () => {
    for (const day of ['2026-03-29', '2026-10-25']) {
      const start = Date.parse(`${day}T00:00:00+01:00`) - 3_600_000;
      for (let ms = start; ms < start + 27 * 3_600_000; ms += 15 * 60_000) {
        const bytes = encodeDateTime(new Date(ms).toISOString());
        const back = decodeDateTime(bytes);
        // The second 02:xx of October is indistinguishable on the wire: it reads as the first.
        const expected = Date.parse(back!) === ms || Date.parse(back!) === ms - 3_600_000;
        expect(expected, `${new Date(ms).toISOString()} -> ${back}`).toBe(true);
        expect(encodeDateTime(back)).toEqual(bytes);
      }
    }
  });
});

describe('local wall-clock fields', () => {
  // what Intl says, computed here directly: the hub's answer is cached per zone and day
  const formats = new Map<string, Intl.DateTimeFormat>();
  const format = (timeZone: string) => {
    if (!formats.has(timeZone)) {
      formats.set(timeZone, new Intl.DateTimeFormat('en-US', { ...WALL_CLOCK_FORMAT, timeZone }));
    }
    return formats.get(timeZone)!;
  };
  const intl = (t: number, timeZone: string): DateTimeFields => {
    const parts = Object.fromEntries(
      format(timeZone)
        .formatToParts(t)
        .filter((p) => p.type !== 'literal')
        .map((p) => [p.type, Number(p.value)]),
    );
    return {
      year: parts.year!,
      month: parts.month!,
      day: parts.day!,
      hours: parts.hour!,
      minutes: parts.minute!,
      seconds: parts.second!,
    };
  };

  it('match Intl every 13 minutes of a year in zones with odd offsets and half-hour changes', () => {
    const zones = [
      'Europe/Stockholm',
      'America/New_York',
      'Australia/Lord_Howe', // changes by 30 minutes
      'Asia/Kathmandu', // +05:45
      'America/St_Johns', // -03:30, with daylight saving
      'UTC',
    ];
    const from = Date.UTC(2026, 0, 1, 0, 0, 17);
    for (const zone of zones) {
      const wrong: string[] = [];
      for (let t = from; t < from + 366 * 86_400_000; t += 13 * 60_000) {
        const got = localFields(t, zone);
        const want = intl(t, zone);
        if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(new Date(t).toISOString());
      }
      expect({ zone, wrong: wrong.slice(0, 3) }).toEqual({ zone, wrong: [] });
    }
  });
});

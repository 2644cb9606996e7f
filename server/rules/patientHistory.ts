// A patient's recent readings as the rules read them: split by type, each list in measurement
// order, so that a rule reads only its own types and window (binary search, never a scan or a
// sort of everything per reading), and daily series are kept per whole day. The rule runner keeps one per patient and adds each commit's
// readings to it, so a reading costs the rules what its own window costs, not its history.
import { dayNumber, dayOfNumber, dayStartOf, localDate } from './localDay.js';
import { after } from './sorted.js';
import type { RuleReading } from './types.js';

/** What a rule makes of one local day's readings (in measurement order); null: nothing. */
export type OfDay<T> = (readings: RuleReading[], day: string) => T | null;

/**
 * The local days a window (from, to] touches, each as its own window (start, end] (ms), so a
 * day's readings are found by binary search instead of formatting every reading's time.
 */
export interface LocalDays {
  timeZone: string;
  from: number;
  to: number;
  spans: readonly { day: string; start: number; end: number }[];
}

/** Whole days a series memo holds before old ones are pruned: a look-back and some. */
const MEMO_DAYS = 64;

/** Per zone, first day number and last: no key string made per look-up. */
const spansCache = new Map<string, Map<number, Map<number, LocalDays['spans']>>>();

/** The local days of (from, to]; `lastDay` is the local day of `to`, which the caller knows. */
export function localDays(from: number, to: number, lastDay: string, timeZone: string): LocalDays {
  // the first day: the one whose start lies at or before from + 1, found from the last
  const last = dayNumber(lastDay);
  let first = last - Math.floor((to - from) / 86_400_000);
  while (dayStartOf(first, timeZone) > from + 1) first--;
  while (dayStartOf(first + 1, timeZone) <= from + 1) first++;
  let zone = spansCache.get(timeZone);
  if (!zone) spansCache.set(timeZone, (zone = new Map()));
  let byLast = zone.get(first);
  if (!byLast) {
    if (zone.size > 10_000) zone.clear();
    zone.set(first, (byLast = new Map()));
  }
  let spans = byLast.get(last);
  if (!spans) {
    const list: { day: string; start: number; end: number }[] = [];
    for (let n = first; n <= last; n++) {
      list.push({
        day: dayOfNumber(n),
        start: dayStartOf(n, timeZone) - 1,
        end: dayStartOf(n + 1, timeZone) - 1,
      });
    }
    byLast.set(last, (spans = list));
  }
  return { timeZone, from, to, spans };
}

/** One series' values of whole local days, kept until a reading of that day comes or goes. */
interface DayMemo {
  types: ReadonlySet<string>;
  timeZone: string;
  days: Map<string, unknown>;
  /**
   * The whole days of the last window asked for, assembled: the next reading of the same day
   * asks for the same days (only the two partial edge days differ), and reading 35 days from
   * the memo for each was a fifth of the evaluation's time. Dropped when a reading lands on one
   * of them.
   */
  middle: { spans: LocalDays['spans']; i0: number; i1: number; values: unknown[] } | null;
  /**
   * The end of the latest whole day kept (ms): a reading after it, as nearly every reading is,
   * changes none of them, and its local day need not be found.
   */
  wholeUntil: number;
}

const timeOf = (r: RuleReading) => r.measuredAt.getTime();

/**
 * One type's readings in measurement order, with their times beside them: the binary searches
 * read plain numbers instead of calling each reading's Date (a tenth of the evaluation's time).
 */
interface TypeList {
  readings: RuleReading[];
  times: number[];
}

/** Whether the readings measured at `t`, just before index `end`, include this one. */
function holds(list: TypeList, end: number, t: number, r: RuleReading): boolean {
  for (let i = end - 1; i >= 0 && list.times[i] === t; i--) {
    const o = list.readings[i]!;
    if (o.deviceId === r.deviceId && o.messageId === r.messageId) return true;
  }
  return false;
}

export class PatientHistory {
  private readonly byType = new Map<string, TypeList>();
  private readonly memos = new Map<string, DayMemo>();

  constructor(readings: Iterable<RuleReading> = []) {
    this.add(readings);
  }

  /**
   * Adds readings in any order. Equal times keep the order they were added in, as one stable
   * sort of everything would.
   */
  add(readings: Iterable<RuleReading>): void {
    for (const r of readings) {
      const t = timeOf(r);
      // the reading's local day, found once for the memos of its zone (usually all of them)
      let zone = '';
      let day = '';
      for (const m of this.memos.values()) {
        if (t > m.wholeUntil || !m.types.has(r.type)) continue;
        if (m.timeZone !== zone) {
          zone = m.timeZone;
          day = localDate(r.measuredAt, zone);
        }
        m.days.delete(day);
        const mid = m.middle;
        if (mid && mid.i1 > mid.i0 && day >= mid.spans[mid.i0]!.day) {
          if (day <= mid.spans[mid.i1 - 1]!.day) m.middle = null;
        }
      }
      const list = this.byType.get(r.type);
      if (!list) {
        this.byType.set(r.type, { readings: [r], times: [t] });
        continue;
      }
      const { readings, times } = list;
      // nearly always the newest: a home measures in order; a late backlog goes in its place
      if (times[times.length - 1]! < t) {
        readings.push(r);
        times.push(t);
      } else {
        const at = after(times, t);
        // a reading loaded with the history may come again in its own commit (commit lanes)
        if (!holds(list, at, t, r)) {
          readings.splice(at, 0, r);
          times.splice(at, 0, t);
        }
      }
    }
  }

  /** Forgets readings measured before `t`. */
  dropBefore(t: number): void {
    for (const list of this.byType.values()) {
      const keep = after(list.times, t - 1);
      if (keep > 0) {
        list.readings.splice(0, keep);
        list.times.splice(0, keep);
      }
    }
    for (const m of this.memos.values()) {
      // the windows asked for lie after `t`: a middle reaching before it is not asked again
      if (m.middle && m.middle.spans[m.middle.i0]!.start < t) m.middle = null;
      // now and then, not per reading: finding the local day of `t` costs a time-zone look-up
      if (m.days.size < 2 * MEMO_DAYS) continue;
      const first = localDate(new Date(t), m.timeZone);
      for (const day of m.days.keys()) if (day < first) m.days.delete(day);
    }
  }

  /**
   * `ofDay` of each local day of `days` (the window's, from localDays) that has a value, in day
   * order. Whole days inside the window are computed once and kept under `key` (one key, one
   * `ofDay` and types); the days at either edge hold only part of their readings and are
   * computed each time.
   */
  daily<T>(key: string, types: readonly string[], days: LocalDays, ofDay: OfDay<T>): T[] {
    // keyed by `key` alone (a constant string, its hash kept): a key made per call was hashed
    // per call; a patient whose time zone changed starts the memo afresh
    let memo = this.memos.get(key);
    if (!memo || memo.timeZone !== days.timeZone) {
      memo = {
        types: new Set(types),
        timeZone: days.timeZone,
        days: new Map(),
        middle: null,
        wholeUntil: -Infinity,
      };
      this.memos.set(key, memo);
    }
    const { spans } = days;
    const n = spans.length;
    // the days between the first and the last lie wholly inside (from, to]; either edge day
    // may too
    const i0 = n && days.from <= spans[0]!.start ? 0 : 1;
    const i1 = n && spans[n - 1]!.end <= days.to ? n : n - 1;
    if (i1 <= i0) return this.days(memo, types, days, 0, n, ofDay);
    let mid = memo.middle;
    if (!mid || mid.spans !== spans || mid.i0 !== i0 || mid.i1 !== i1) {
      mid = { spans, i0, i1, values: this.days(memo, types, days, i0, i1, ofDay) };
      memo.middle = mid;
    }
    const out = i0 > 0 ? this.days(memo, types, days, 0, 1, ofDay) : [];
    for (const v of mid.values) out.push(v as T);
    if (i1 < n) for (const v of this.days(memo, types, days, i1, n, ofDay)) out.push(v);
    return out;
  }

  /** `ofDay` of the days spans[i0..i1) that have a value; whole days from and into the memo. */
  private days<T>(
    memo: DayMemo,
    types: readonly string[],
    days: LocalDays,
    i0: number,
    i1: number,
    ofDay: OfDay<T>,
  ): T[] {
    const out: T[] = [];
    for (let i = i0; i < i1; i++) {
      const { day, start, end } = days.spans[i]!;
      const whole = days.from <= start && end <= days.to;
      let value = whole ? (memo.days.get(day) as T | null | undefined) : undefined;
      if (value === undefined) {
        const own = this.window(types, Math.max(days.from, start), Math.min(days.to, end));
        value = own.length ? ofDay(own, day) : null;
        if (whole) {
          memo.days.set(day, value);
          if (end > memo.wholeUntil) memo.wholeUntil = end;
        }
      }
      if (value !== null) out.push(value);
    }
    return out;
  }

  /** Readings of `types` measured in (from, to], in measurement order. */
  window(types: Iterable<string>, from: number, to: number): RuleReading[] {
    const parts: RuleReading[][] = [];
    for (const type of types) {
      const list = this.byType.get(type);
      if (!list) continue;
      const lo = after(list.times, from);
      const hi = after(list.times, to);
      if (hi > lo) parts.push(list.readings.slice(lo, hi));
    }
    if (parts.length <= 1) return parts[0] ?? [];
    return mergeByTime(parts);
  }

  /** Whether a reading of `type` was measured in (from, to]. */
  hasIn(type: string, from: number, to: number): boolean {
    const list = this.byType.get(type);
    return !!list && after(list.times, from) < after(list.times, to);
  }

  /** When the newest reading of `type` was measured (-Infinity: none). */
  newest(type: string): number {
    const times = this.byType.get(type)?.times;
    return times?.length ? times[times.length - 1]! : -Infinity;
  }

  get size(): number {
    let n = 0;
    for (const list of this.byType.values()) n += list.readings.length;
    return n;
  }
}

/**
 * Merges lists each in measurement order into one; equal times keep the lists' order, then
 * each list's own (what a stable sort of the concatenation gives).
 */
function mergeByTime(parts: RuleReading[][]): RuleReading[] {
  const out: RuleReading[] = [];
  const at = parts.map(() => 0);
  for (;;) {
    let best = -1;
    let bestT = Infinity;
    for (let p = 0; p < parts.length; p++) {
      const r = parts[p]![at[p]!];
      if (r && timeOf(r) < bestT) {
        best = p;
        bestT = timeOf(r);
      }
    }
    if (best < 0) return out;
    out.push(parts[best]![at[best]!++]!);
  }
}

// New readings pushed live (`readings` events, docs/api.md) applied to what the patient view
// shows: a trend chart's series and the latest values. Pure, so that it can be tested without a
// browser; the feed (realtime.ts) checks each item's shape before it gets here.
import type { LatestReading, Point, ReadingSeries } from './types.js';

export interface LiveReading {
  patientId: string;
  /** The values as a patient's `latest` shows them, and their type. */
  reading: LatestReading & { type: string };
  /** Readings of this patient and type committed since the last push; this is the newest. */
  count: number;
}

const num = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));
const str = (v: unknown) => v === null || typeof v === 'string';

/** The items of a `readings` push that have the documented shape; anything else is dropped. */
export function liveReadingsOf(message: unknown): LiveReading[] {
  const items = (message as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) return [];
  return items.filter((i): i is LiveReading => {
    const r = (i as { reading?: Record<string, unknown> } | null)?.reading;
    return (
      typeof (i as { patientId?: unknown }).patientId === 'string' &&
      !!r &&
      typeof r.type === 'string' &&
      typeof r.measuredAt === 'string' &&
      !Number.isNaN(Date.parse(r.measuredAt)) &&
      num(r.value) &&
      num(r.systolic) &&
      num(r.diastolic) &&
      num(r.pulse) &&
      str(r.code) &&
      str(r.unit) &&
      Number.isInteger((i as { count?: unknown }).count) &&
      (i as { count: number }).count >= 1
    );
  });
}

/**
 * Whether a push carried fewer of this patient's readings of the type than were committed (it
 * carries the newest of each): a chart that shows them all must load its series again.
 */
export const pushHeldBack = (items: readonly LiveReading[], patientId: string, type: string) =>
  items.some((i) => i.patientId === patientId && i.reading.type === type && i.count > 1);

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Running mean: the bucket's average with one more value. */
const meanWith = (mean: number | null, n: number, v: number | null) =>
  v === null ? mean : mean === null ? v : (mean * n + v) / (n + 1);
const minOf = (a: number | null, b: number | null) =>
  a === null ? b : b === null ? a : Math.min(a, b);
const maxOf = (a: number | null, b: number | null) =>
  a === null ? b : b === null ? a : Math.max(a, b);

/**
 * Where a reading goes in a bucketed series: hourly buckets start on the hour; daily ones at the
 * patient's local midnight, which the server chose, so a new day is counted on from the last
 * bucket the server sent (a daily series spans > 90 days: a DST hour off is not visible).
 */
function bucketStart(series: ReadingSeries, at: number): number {
  if (series.bucket === 'hour') return Math.floor(at / HOUR) * HOUR;
  const last = series.points.at(-1);
  if (!last) return Math.floor(at / DAY) * DAY;
  const lastT = Date.parse(last.t);
  return lastT + Math.floor((at - lastT) / DAY) * DAY;
}

/**
 * The series with this patient's live readings of its type added: raw series get a point each
 * (a reading already there, the same time and value, is not added twice: a push may repeat what
 * the chart loaded); bucketed ones update the bucket's mean, min, max and count, or start one.
 * Readings from before the chart's period (`from`) are left out; its end moves on with the clock.
 */
export function addLiveReadings(
  series: ReadingSeries,
  patientId: string,
  items: readonly LiveReading[],
  from: number,
): ReadingSeries {
  const mine = items
    .filter((i) => i.patientId === patientId && i.reading.type === series.type)
    .filter((i) => Date.parse(i.reading.measuredAt) >= from);
  if (!mine.length) return series;
  const points = series.points.slice();
  let changes = 0;
  for (const { reading: r } of mine) {
    const at = Date.parse(r.measuredAt);
    const plotted = r.type === 'blood_pressure' ? r.systolic : r.value;
    if (series.bucket === null) {
      const dup = points.some(
        (p) =>
          Date.parse(p.t) === at &&
          p.value === r.value &&
          p.systolic === r.systolic &&
          p.diastolic === r.diastolic,
      );
      if (dup) continue;
      changes++;
      points.push({
        t: new Date(at).toISOString(),
        value: r.value,
        systolic: r.systolic,
        diastolic: r.diastolic,
        min: null,
        max: null,
        n: 1,
      });
      continue;
    }
    const start = bucketStart({ ...series, points }, at);
    const i = points.findIndex((p) => Date.parse(p.t) === start);
    changes++;
    if (i < 0) {
      points.push({
        t: new Date(start).toISOString(),
        value: r.value,
        systolic: r.systolic,
        diastolic: r.diastolic,
        min: plotted,
        max: plotted,
        n: 1,
      });
      continue;
    }
    const p = points[i]!;
    const n = p.n ?? 1;
    const next: Point = {
      t: p.t,
      value: meanWith(p.value, n, r.value),
      systolic: meanWith(p.systolic, n, r.systolic),
      diastolic: meanWith(p.diastolic, n, r.diastolic),
      min: minOf(p.min, plotted),
      max: maxOf(p.max, plotted),
      n: n + 1,
    };
    points[i] = next;
  }
  if (!changes) return series;
  points.sort((a, b) => Date.parse(a.t) - Date.parse(b.t));
  return { ...series, points };
}

/** The patient's latest values with newer live readings in their place. */
export function applyLatest(
  latest: Record<string, LatestReading>,
  patientId: string,
  items: readonly LiveReading[],
): Record<string, LatestReading> {
  let next = latest;
  for (const { patientId: p, reading: r } of items) {
    if (p !== patientId) continue;
    const current = next[r.type];
    if (current && Date.parse(current.measuredAt) >= Date.parse(r.measuredAt)) continue;
    const { type, ...values } = r;
    next = { ...next, [type]: values };
  }
  return next;
}

/** Who listens to live readings (the open patient view's charts and latest values). */
export function createReadingsBus() {
  const listeners = new Set<(items: LiveReading[]) => void>();
  return {
    emit(items: LiveReading[]) {
      if (!items.length) return;
      for (const fn of listeners) fn(items);
    },
    /** Returns the unsubscribe. */
    subscribe(fn: (items: LiveReading[]) => void): () => void {
      listeners.add(fn);
      return () => {
        listeners.delete(fn);
      };
    },
  };
}

/** The dashboard's one bus: the feed emits on it, the patient view listens. */
export const liveReadings = createReadingsBus();

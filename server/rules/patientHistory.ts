// A patient's recent readings as the rules read them: split by type, each list in measurement
// order, so that a rule reads only its own types and window (binary search, never a scan or a
// sort of everything per reading). The rule runner keeps one per patient and adds each commit's
// readings to it, so a reading costs the rules what its own window costs, not its history.
import type { RuleReading } from './types.js';

const timeOf = (r: RuleReading) => r.measuredAt.getTime();

/** Index of the first reading measured after `t` (readings in measurement order). */
function after(sorted: readonly RuleReading[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (timeOf(sorted[mid]!) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class PatientHistory {
  private readonly byType = new Map<string, RuleReading[]>();

  constructor(readings: Iterable<RuleReading> = []) {
    this.add(readings);
  }

  /**
   * Adds readings in any order. Equal times keep the order they were added in, as one stable
   * sort of everything would.
   */
  add(readings: Iterable<RuleReading>): void {
    for (const r of readings) {
      const list = this.byType.get(r.type);
      if (!list) {
        this.byType.set(r.type, [r]);
        continue;
      }
      const t = timeOf(r);
      // nearly always the newest: a home measures in order; a late backlog goes in its place
      if (timeOf(list[list.length - 1]!) <= t) list.push(r);
      else list.splice(after(list, t), 0, r);
    }
  }

  /** Forgets readings measured before `t`. */
  dropBefore(t: number): void {
    for (const list of this.byType.values()) {
      const keep = after(list, t - 1);
      if (keep > 0) list.splice(0, keep);
    }
  }

  /** Readings of `types` measured in (from, to], in measurement order. */
  window(types: Iterable<string>, from: number, to: number): RuleReading[] {
    const parts: RuleReading[][] = [];
    for (const type of types) {
      const list = this.byType.get(type);
      if (!list) continue;
      const lo = after(list, from);
      const hi = after(list, to);
      if (hi > lo) parts.push(list.slice(lo, hi));
    }
    if (parts.length <= 1) return parts[0] ?? [];
    return mergeByTime(parts);
  }

  /** When the newest reading of `type` was measured (-Infinity: none). */
  newest(type: string): number {
    const list = this.byType.get(type);
    return list?.length ? timeOf(list[list.length - 1]!) : -Infinity;
  }

  get size(): number {
    let n = 0;
    for (const list of this.byType.values()) n += list.length;
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

// The real pure rules run over one patient's readings the way the hub runs them: reading by
// reading in measurement order, each judged with what was stored before it, back to the
// rules' look-back window (the what-if replay of server/rules/replay.ts).
import { dayNumber, localDate } from '../../server/rules/localDay.js';
import { replayFindings } from '../../server/rules/replay.js';
import type { ResolvedPlan } from '../../server/plans/plan.js';
import type { RuleReading } from '../../server/rules/types.js';

/** The first finding of a rule on one local day. */
export interface RuleDay {
  /** Local day number (days since 1970-01-01 of the local date). */
  day: number;
  /** Measurement time of the reading whose arrival gave the day's first finding (ms). */
  at: number;
  /** That finding paged nobody: the heart-failure score replaced it (`replacedBy`). */
  quiet?: true;
}

/**
 * For each rule, the local days on which it found something about the readings measured at or
 * after `from` (first finding of each day, in day order); readings arrive in measurement order,
 * so none is late. Findings the heart-failure score replaced are kept, marked `quiet`.
 */
export function ruleDays(
  readings: RuleReading[],
  plan: ResolvedPlan,
  from: Date,
): Map<string, RuleDay[]> {
  const out = new Map<string, RuleDay[]>();
  for (const { reading, findings } of replayFindings(readings, plan, from, true)) {
    if (findings.length === 0) continue;
    const day = dayNumber(localDate(reading.measuredAt, plan.timeZone));
    for (const f of findings) {
      const days = out.get(f.rule) ?? [];
      const last = days.at(-1);
      if (last?.day === day) {
        // paged after all when a later finding of the day was not replaced
        if (last.quiet && !f.replacedBy) delete last.quiet;
        continue;
      }
      const at = reading.measuredAt.getTime();
      days.push(f.replacedBy ? { day, at, quiet: true } : { day, at });
      out.set(f.rule, days);
    }
  }
  return out;
}

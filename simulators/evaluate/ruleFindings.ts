// The real pure rules (server/rules/evaluate.ts) run over one patient's readings the way the
// hub runs them: reading by reading in measurement order, each judged with what was stored
// before it, back to the rules' look-back window. Incremental: the history handed to the
// rules is a sliding window over the sorted readings, not everything so far.
import { evaluatePatient, lookBackDays } from '../../server/rules/evaluate.js';
import { dayNumber, localDate } from '../../server/rules/localDay.js';
import type { ResolvedPlan } from '../../server/rules/plan.js';
import type { RuleReading } from '../../server/rules/types.js';

/** The first finding of a rule on one local day. */
export interface RuleDay {
  /** Local day number (days since 1970-01-01 of the local date). */
  day: number;
  /** Measurement time of the reading whose arrival gave the day's first finding (ms). */
  at: number;
}

const DAY = 86_400_000;
const timeOf = (r: RuleReading) => r.measuredAt.getTime();

/**
 * For each rule, the local days on which it found something about the readings measured at or
 * after `from` (first finding of each day, in day order). Like the hub's runner, 'info'
 * findings page nobody and are left out; readings arrive in measurement order, so none is late.
 */
export function ruleDays(
  readings: RuleReading[],
  plan: ResolvedPlan,
  from: Date,
): Map<string, RuleDay[]> {
  const sorted = [...readings].sort((a, b) => timeOf(a) - timeOf(b));
  const lookBack = lookBackDays(plan) * DAY;
  const out = new Map<string, RuleDay[]>();
  let start = 0;
  for (let i = 0; i < sorted.length; i++) {
    const r = sorted[i]!;
    const t = timeOf(r);
    if (t < from.getTime()) continue;
    while (timeOf(sorted[start]!) < t - lookBack) start++;
    const findings = evaluatePatient(sorted.slice(start, i + 1), [r], plan);
    if (findings.length === 0) continue;
    const day = dayNumber(localDate(r.measuredAt, plan.timeZone));
    for (const f of findings) {
      if (f.severity === 'info') continue;
      const days = out.get(f.rule) ?? [];
      if (days.at(-1)?.day !== day) days.push({ day, at: t });
      out.set(f.rule, days);
    }
  }
  return out;
}

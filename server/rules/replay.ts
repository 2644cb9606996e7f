// What-if: a patient's stored readings replayed through the same rules the hub runs, reading
// by reading in measurement order as the runner sees them arrive, to count the alerts a plan
// would have raised. An alert is one per rule per episode: findings of one rule on consecutive
// local days are one alert; a day without that finding ends the episode. Pure: the caller loads.
import { evaluatePatient, lookBackMs, type EvaluatedFinding } from './evaluate.js';
import { dayNumber, localDate } from './localDay.js';
import { PatientHistory } from './patientHistory.js';
import type { ResolvedPlan } from '../plans/plan.js';
import type { RuleReading } from './types.js';

export interface ReplayCount {
  alerts: number;
  byRule: Record<string, number>;
}

const timeOf = (r: RuleReading) => r.measuredAt.getTime();

/**
 * Each reading measured at or after `from`, in measurement order, with what the rules find when
 * it arrives: judged on what was stored before it (nothing measured after it yet), as the
 * runner sees readings come. 'info' findings page nobody and are left out, except, with
 * `withReplaced`, those the heart-failure score replaced (`replacedBy`): the evaluation scores
 * what each rule found as well as what paged. `readings` should
 * reach `lookBackMs(plan)` further back so the first days are judged with history. Each is
 * judged as if it came when measured, with no clock: none is a late finding (freshness.ts), so
 * the count is what a plan raises, not how late a gateway was, and the same for every replay.
 */
export function* replayFindings(
  readings: readonly RuleReading[],
  plan: ResolvedPlan,
  from: Date,
  withReplaced = false,
): Generator<{ reading: RuleReading; findings: EvaluatedFinding[] }> {
  const sorted = [...readings].sort((a, b) => timeOf(a) - timeOf(b));
  const lookBack = lookBackMs(plan);
  const history = new PatientHistory(); // kept as it grows
  for (const r of sorted) {
    const t = timeOf(r);
    history.add([r]);
    if (t < from.getTime()) continue;
    history.dropBefore(t - lookBack);
    const findings = evaluatePatient(history, [r], plan).filter(
      (f) => f.severity !== 'info' || (withReplaced && f.replacedBy !== undefined),
    );
    yield { reading: r, findings };
  }
}

/** Alerts `plan` would have raised for the readings measured at or after `from`. */
export function replayAlerts(readings: RuleReading[], plan: ResolvedPlan, from: Date): ReplayCount {
  const days = new Map<string, Set<number>>(); // rule -> local days with a finding
  for (const { reading, findings } of replayFindings(readings, plan, from)) {
    for (const f of findings) {
      const set = days.get(f.rule) ?? new Set<number>();
      set.add(dayNumber(localDate(reading.measuredAt, plan.timeZone)));
      days.set(f.rule, set);
    }
  }
  const byRule: Record<string, number> = {};
  let alerts = 0;
  for (const [rule, set] of [...days].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // an episode opens on a day whose previous day had no finding of the rule
    const openings = [...set].filter((d) => !set.has(d - 1)).length;
    byRule[rule] = openings;
    alerts += openings;
  }
  return { alerts, byRule };
}

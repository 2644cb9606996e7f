// What-if: a patient's stored readings replayed through the same rules the hub runs, reading
// by reading in measurement order as the runner sees them arrive, to count the alerts a plan
// would have raised. An alert is one per rule per episode: findings of one rule on consecutive
// local days are one alert; a day without that finding ends the episode. Pure: the caller loads.
import { evaluatePatient, lookBackDays } from './evaluate.js';
import { dayNumber, localDate } from './localDay.js';
import { PatientHistory } from './patientHistory.js';
import type { ResolvedPlan } from './plan.js';
import type { RuleReading } from './types.js';

export interface ReplayCount {
  alerts: number;
  byRule: Record<string, number>;
}

const DAY = 86_400_000;
const timeOf = (r: RuleReading) => r.measuredAt.getTime();

/**
 * Alerts `plan` would have raised for the readings measured at or after `from`; `readings`
 * should reach `lookBackDays(plan)` further back so the first days are judged with history.
 */
export function replayAlerts(readings: RuleReading[], plan: ResolvedPlan, from: Date): ReplayCount {
  const sorted = [...readings].sort((a, b) => timeOf(a) - timeOf(b));
  const lookBack = lookBackDays(plan) * DAY;
  const days = new Map<string, Set<number>>(); // rule -> local days with a finding
  // what was stored when each reading came: nothing measured after it yet, kept as it grows
  const history = new PatientHistory();
  for (const r of sorted) {
    const t = timeOf(r);
    history.add([r]);
    if (t < from.getTime()) continue;
    history.dropBefore(t - lookBack);
    // the runner pages nobody for 'info' findings
    for (const f of evaluatePatient(history, [r], plan)) {
      if (f.severity === 'info') continue;
      const set = days.get(f.rule) ?? new Set<number>();
      set.add(dayNumber(localDate(r.measuredAt, plan.timeZone)));
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

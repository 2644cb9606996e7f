// What a proposed plan would have raised: the patient's last WHAT_IF_DAYS replayed under it and
// under the plan in use (server/rules/replay.ts), so the care team sees the cost of a threshold
// before they set it; and, for the heart-failure score, what each setting found on the simulated
// cohorts (scoreCurve.ts).
import { WHAT_IF_DAYS, type WhatIf } from '../../contract/plans.js';
import type { ResolvedPlan } from '../plans/plan.js';
import { resolvedPlanOf } from '../plans/store.js';
import type { Queryable } from '../store/db.js';
import { lookBackDays } from './evaluate.js';
import { loadRuleReadings } from './history.js';
import { replayAlerts } from './replay.js';
import { cohortFigures } from './scoreCurve.js';

const DAY = 86_400_000;

export async function whatIf(
  db: Queryable,
  patientId: string,
  proposed: ResolvedPlan,
  now: Date,
): Promise<WhatIf> {
  const current = await resolvedPlanOf(db, patientId);
  const from = new Date(now.getTime() - WHAT_IF_DAYS * DAY);
  const lookBack = Math.max(lookBackDays(current), lookBackDays(proposed));
  const readings = (
    await loadRuleReadings(db, patientId, new Date(from.getTime() - lookBack * DAY))
  ).filter((x) => x.measuredAt <= now);
  return {
    days: WHAT_IF_DAYS,
    proposed: replayAlerts(readings, proposed, from),
    current: replayAlerts(readings, current, from),
    cohort: { current: cohortFigures(current), proposed: cohortFigures(proposed) },
  };
}

// Evaluation: the rules run over each newly stored reading, in measurement order, with the
// patient's history up to that reading. A reading that arrives late (a gateway offline for
// days) is judged in its place in the history; if newer readings of the same kind already
// exist, its findings are about a past that has been superseded: they are marked late and
// lowered one step, so that they inform without paging anyone.
import { judgeBloodPressure } from './bloodPressure.js';
import { dailyFirstWeights, isQuestionable } from './localDay.js';
import { news2Finding, NEWS2_TYPES } from './news2.js';
import { judgePersonal } from './personal.js';
import type { ResolvedPlan } from './plan.js';
import type { Finding, RuleReading, Severity } from './types.js';
import { judgeVitalSign } from './vitals.js';
import { judgeWeight } from './weight.js';

export interface EvaluatedFinding extends Finding {
  /** The reading whose arrival produced the finding. */
  trigger: { deviceId: string; messageId: string };
  /** The finding is about a past already superseded by newer readings of the same kind. */
  late?: true;
}

const NEWS2_SET: ReadonlySet<string> = new Set(NEWS2_TYPES);
const PERSONAL_TYPES = new Set(['body_weight', 'heart_rate', 'blood_pressure']);
const lower: Record<Severity, Severity> = {
  critical: 'high',
  high: 'medium',
  medium: 'low',
  low: 'info',
  info: 'info',
};

const byTime = (a: RuleReading, b: RuleReading) => a.measuredAt.getTime() - b.measuredAt.getTime();

/** Findings for one reading, given the history up to and including it (measurement order). */
export function evaluateReading(
  upTo: RuleReading[],
  r: RuleReading,
  plan: ResolvedPlan,
): Finding[] {
  if (isQuestionable(r.deviceStatus)) return [];
  const findings: Finding[] = [
    ...judgeVitalSign(r, {
      vitals: plan.vitals,
      personal: plan.overridden,
      spo2Scale: plan.spo2Scale,
    }),
  ];
  if (r.type === 'blood_pressure') {
    findings.push(...judgeBloodPressure(upTo, plan.bloodPressure, plan.overridden));
  }
  if (r.type === 'body_weight') {
    findings.push(
      ...judgeWeight(dailyFirstWeights(upTo, plan.timeZone), plan.weight, plan.overridden),
    );
  }
  if (PERSONAL_TYPES.has(r.type)) {
    findings.push(...judgePersonal(upTo, plan.timeZone, plan.personal, plan.overridden));
  }
  if (NEWS2_SET.has(r.type)) {
    // only a set that includes this reading: an older set was judged when it was complete
    const f = news2Finding(upTo, { spo2Scale: plan.spo2Scale });
    if (f?.readings.some((ref) => ref.messageId === r.messageId && ref.deviceId === r.deviceId)) {
      findings.push(f);
    }
  }
  return findings;
}

/**
 * Findings for the newly stored `fresh` readings of one patient, `history` being everything
 * stored for them (it includes `fresh`), in any order.
 */
export function evaluatePatient(
  history: RuleReading[],
  fresh: RuleReading[],
  plan: ResolvedPlan,
): EvaluatedFinding[] {
  const all = [...history].sort(byTime);
  const out: EvaluatedFinding[] = [];
  for (const r of [...fresh].sort(byTime)) {
    const t = r.measuredAt.getTime();
    const upTo = all.filter((h) => h.measuredAt.getTime() <= t);
    const superseded = all.some((h) => h.type === r.type && h.measuredAt.getTime() > t);
    for (const f of evaluateReading(upTo, r, plan)) {
      const trigger = { deviceId: r.deviceId, messageId: r.messageId };
      out.push(
        superseded ? { ...f, severity: lower[f.severity], late: true, trigger } : { ...f, trigger },
      );
    }
  }
  return out;
}

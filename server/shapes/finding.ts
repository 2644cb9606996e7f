// What a rule found, as the alerts keep it and the dashboards show it. Imports nothing of the
// stages, so that the rules hand findings to the alerts without the alerts importing the rules.
import type { ReadingType } from '../../devices/contract.js';
import type { Reason } from '../../contract/reasons.js';

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export const severityRank: Record<Severity, number> = {
  info: 0,
  low: 1,
  medium: 2,
  high: 3,
  critical: 4,
};

/** A reading a finding rests on, so that the alert can show and link it. */
export interface ReadingRef {
  deviceId: string;
  messageId: string;
  type: ReadingType;
  measuredAt: string;
}

export interface Finding {
  /** Stable id of the rule, e.g. `weight.gain_3d`, `news2`, `bp.very_high`. */
  rule: string;
  severity: Severity;
  /**
   * A sentence a nurse can act on, as a code and its parameters (contract/reasons.ts): said in
   * the reader's language when read, so that a stored finding holds no finished text.
   */
  reason: Reason;
  /** The values judged and the threshold used, with where the threshold came from. */
  values: Record<string, number | string | null>;
  threshold: {
    value: number | string | Record<string, number>;
    source: 'default' | 'personal';
    reference: string;
    /**
     * The settings of the patient's plan this threshold used that the care team set, as dotted
     * paths into the plan (contract/plan.ts: `weight.gain3dKg`, `vitals.pulse.contactHigh`,
     * `spo2Scale`), so that the alert can say which plan change set them and who made it.
     * Absent when the threshold is the defaults' alone (and in findings made before it was kept).
     */
    keys?: string[];
  };
  window?: { from: string; to: string };
  readings: ReadingRef[];
  /** Borderline: ask the patient to measure again before alarming the nurse. */
  remeasure?: boolean;
  /**
   * The newest reading it rests on: when it was measured and when the hub received it (the
   * rules set both; a finding about no reading, a missed measurement, has neither).
   */
  measuredAt?: string;
  receivedAt?: string;
  /**
   * Late: that reading was older than the rule's freshness window (the plan's `freshness`) when
   * judged, or (the rules only, never raised) newer readings had superseded it. A late finding
   * is raised at most 'low' and never escalates.
   */
  late?: true;
  /**
   * Judged and kept, but paging nobody ('info'): the rule that judges this signal for the
   * patient now (`personal.score`, server/rules/personalScore.ts), which replaced it.
   */
  replacedBy?: string;
  /** A late finding's reading: whole hours old when judged, past `freshnessHours`. */
  ageHours?: number;
  freshnessHours?: number;
}

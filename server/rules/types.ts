// What rules see and what they say. Rules are plain functions of a patient's readings (in
// measurement order), their plan and their thresholds: no I/O, no clock but the `now` given.
import type { ReadingType } from '../../devices/contract.js';

/** One stored reading, canonical units, as the rules read it. */
export interface RuleReading {
  deviceId: string;
  messageId: string;
  type: ReadingType;
  measuredAt: Date;
  receivedAt: Date;
  value: number | null;
  systolic: number | null;
  diastolic: number | null;
  pulse: number | null;
  /** ACVPU letter of a consciousness reading. */
  code: string | null;
  supplementalOxygen?: boolean;
  /** Flags the device set about its own measurement (loose cuff, low perfusion, ...). */
  deviceStatus?: string[];
}

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
  /** A sentence a nurse can act on, in Swedish and English. */
  reason: { sv: string; en: string };
  /** The values judged and the threshold used, with where the threshold came from. */
  values: Record<string, number | string | null>;
  threshold: {
    value: number | string | Record<string, number>;
    source: 'default' | 'personal';
    reference: string;
  };
  window?: { from: string; to: string };
  readings: ReadingRef[];
  /** Borderline: ask the patient to measure again before alarming the nurse. */
  remeasure?: boolean;
}

export const refOf = (r: RuleReading): ReadingRef => ({
  deviceId: r.deviceId,
  messageId: r.messageId,
  type: r.type,
  measuredAt: r.measuredAt.toISOString(),
});

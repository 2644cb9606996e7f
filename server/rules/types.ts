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

export { severityRank, type Finding, type ReadingRef, type Severity } from '../shapes/finding.js';
import type { ReadingRef } from '../shapes/finding.js';

export const refOf = (r: RuleReading): ReadingRef => ({
  deviceId: r.deviceId,
  messageId: r.messageId,
  type: r.type,
  measuredAt: r.measuredAt.toISOString(),
});

/**
 * `{ keys }` of a finding's threshold: those of `settings` (as the resolved plan names them in
 * `overridden`) that the care team set, written as paths into the plan (`prefix`: `vitals.` for
 * the vital signs, whose resolved keys leave it out); nothing when they set none.
 */
export function keysSet(
  personal: ReadonlySet<string>,
  settings: readonly string[],
  prefix = '',
): { keys?: string[] } {
  const keys = settings.filter((k) => personal.has(k)).map((k) => prefix + k);
  return keys.length ? { keys } : {};
}

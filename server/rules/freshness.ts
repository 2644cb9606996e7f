// Late findings: a finding whose newest reading was older than its rule's freshness window (the
// plan's `freshness`, hours per rule family) when the hub judged it. Such a value is not the
// patient's state today (a gateway offline for days, a phone out of coverage), so it is raised
// at most 'low' (no same-day contact; 'low' has no escalation step, and the alerts give a late
// one no escalation timer whatever the limits) and marked late with its age. Its reason is the
// finding's own, the clinical content only: the alert view carries `late` and `ageHours`, and
// the dashboard's card says the age and what late means once, beside it.
// "Judged" is the hub's clock, given by the caller: the readings' own times never decide it,
// so the same readings judged at the same time give the same findings.
import type { FreshnessSettings } from '../../contract/plan.js';
import type { Finding, Severity } from './types.js';

const HOUR = 3_600_000;

/** The plan's freshness family of a rule: `weight.gain_3d` -> weight, `spo2.low` -> vitals. */
export function freshnessFamily(rule: string): keyof FreshnessSettings {
  switch (rule.split('.', 1)[0]) {
    case 'weight':
      return 'weight';
    case 'personal':
      return 'personal';
    case 'bp':
      return 'bloodPressure';
    case 'news2':
      return 'news2';
    default:
      return 'vitals'; // pulse, spo2, temperature, glucose, respiratory_rate, consciousness
  }
}

/**
 * A late finding's severity: at most 'low'. A 'low' one stays 'low' rather than 'info' (which
 * is never raised): the value must still reach the care team, with its age.
 */
const LATE_SEVERITY: Record<Severity, Severity> = {
  critical: 'low',
  high: 'low',
  medium: 'low',
  low: 'low',
  info: 'info',
};

/**
 * How old (ms) the newest reading may be when judged, for `rule` under `freshness`; older, the
 * finding is late.
 */
export const freshnessMs = (rule: string, freshness: FreshnessSettings): number =>
  freshness[freshnessFamily(rule)] * HOUR;

/**
 * `f` as a late finding: its newest reading was `ageMs` old when judged, past `windowMs`.
 * It asks the patient for no repeat (a repeat checks a value just measured, not yesterday's).
 */
export function asLate<F extends Finding>(f: F, ageMs: number, windowMs: number): F {
  const { remeasure: _asksNoRepeat, ...rest } = f;
  return {
    ...(rest as F),
    severity: LATE_SEVERITY[f.severity],
    late: true,
    ageHours: Math.floor(ageMs / HOUR),
    freshnessHours: windowMs / HOUR,
  };
}

// What the care team is told when the rules cannot judge a patient's readings: the readings are
// stored and shown, but nothing has looked at them, so a person must. Pure.
import { reason } from '../../contract/reasons.js';
import { refOf, type Finding, type RuleReading } from './types.js';

export const RULES_FAILED = 'rules.failed';
/** The readings an alert names; the rest are in the patient's chart. */
const MAX_REFS = 20;

export function rulesFailedFinding(readings: readonly RuleReading[]): Finding {
  const n = readings.length;
  return {
    rule: RULES_FAILED,
    // high: a severe value may be among them, and nobody but a person will see it
    severity: 'high',
    reason: reason('rules.failed', { readings: n }),
    values: { readings: n },
    threshold: { value: 'none', source: 'default', reference: 'hub: rule evaluation failed' },
    readings: readings.slice(-MAX_REFS).map(refOf),
  };
}

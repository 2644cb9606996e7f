// What the care team is told when the rules cannot judge a patient's readings: the readings are
// stored and shown, but nothing has looked at them, so a person must. Pure.
import { refOf, type Finding, type RuleReading } from './types.js';

export const RULES_FAILED = 'rules.failed';
/** The readings an alert names; the rest are in the patient's chart. */
const MAX_REFS = 20;

const svCount = new Intl.PluralRules('sv');
const enCount = new Intl.PluralRules('en');

export function rulesFailedFinding(readings: readonly RuleReading[]): Finding {
  const n = readings.length;
  const sv = svCount.select(n) === 'one' ? `${n} nytt mätvärde` : `${n} nya mätvärden`;
  const en = enCount.select(n) === 'one' ? `${n} new reading` : `${n} new readings`;
  return {
    rule: RULES_FAILED,
    // high: a severe value may be among them, and nobody but a person will see it
    severity: 'high',
    reason: {
      sv: `Reglerna kunde inte bedöma patientens ${sv}. Granska värdena själv; felet är loggat för support.`,
      en: `The rules could not judge this patient's ${en}. Look at the values yourself; the failure is logged for support.`,
    },
    values: { readings: n },
    threshold: { value: 'none', source: 'default', reference: 'hub: rule evaluation failed' },
    readings: readings.slice(-MAX_REFS).map(refOf),
  };
}

// A finding as a rule would make one, for tests that raise alerts directly.
import { reason } from '../../contract/reasons.js';
import type { Finding } from '../../server/rules/types.js';

export const finding = (rule: string, severity: Finding['severity']): Finding => ({
  rule,
  severity,
  reason: reason('pulse.high', { pulse: 120, limit: 110 }),
  values: {},
  threshold: { value: 1, source: 'default', reference: 'test' },
  readings: [],
});

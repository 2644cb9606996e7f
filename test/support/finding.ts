// A finding as a rule would make one, for tests that raise alerts directly.
import type { Finding } from '../../server/rules/types.js';

export const finding = (rule: string, severity: Finding['severity']): Finding => ({
  rule,
  severity,
  reason: { sv: 'test', en: 'test' },
  values: {},
  threshold: { value: 1, source: 'default', reference: 'test' },
  readings: [],
});

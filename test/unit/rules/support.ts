// Readings as plain data for rule tests.
import type { ReadingType } from '../../../devices/contract.js';
import type { RuleReading } from '../../../server/rules/types.js';

let n = 0;
export function reading(
  type: ReadingType,
  at: string | Date,
  fields: Partial<Omit<RuleReading, 'type' | 'measuredAt'>> = {},
): RuleReading {
  const measuredAt = new Date(at);
  return {
    deviceId: 'dev_test',
    messageId: `m-${n++}`,
    type,
    measuredAt,
    receivedAt: measuredAt,
    value: null,
    systolic: null,
    diastolic: null,
    pulse: null,
    code: null,
    ...fields,
  };
}

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

/** Deterministic PRNG (mulberry32): the same seed gives the same noise in every run. */
export function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal deviate from a uniform source (Box-Muller). */
export const gauss = (rand: () => number) =>
  Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

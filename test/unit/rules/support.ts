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

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * A home patient for 60 days: a morning weight that gains 3 kg over the last week, blood
 * pressure with pulse twice a day, SpO2 and pulse, and a febrile evening; seeded noise.
 */
export function homeStream(seed: number): RuleReading[] {
  const rand = mulberry32(seed);
  const g = () => gauss(rand);
  const start = Date.UTC(2026, 8, 1, 5, 0);
  const out: RuleReading[] = [];
  for (let d = 0; d < 60; d++) {
    const t = start + d * DAY;
    const gain = d >= 53 ? (d - 52) * 0.45 : 0;
    out.push(reading('body_weight', new Date(t + rand() * HOUR), { value: 82 + gain + 0.3 * g() }));
    for (const h of [1, 12]) {
      out.push(
        reading('blood_pressure', new Date(t + h * HOUR), {
          systolic: 124 + 6 * g(),
          diastolic: 76 + 4 * g(),
          pulse: 68 + 4 * g() + (d >= 55 ? 12 : 0),
        }),
      );
    }
    out.push(reading('spo2', new Date(t + 3 * HOUR), { value: 96 + g() }));
    out.push(reading('heart_rate', new Date(t + 8 * HOUR), { value: 70 + 4 * g() }));
    // 22:30 UTC: after local midnight in summer, before it in winter
    out.push(reading('heart_rate', new Date(t + 17.5 * HOUR), { value: 66 + 4 * g() }));
    if (d === 40) out.push(reading('body_temperature', new Date(t + 14 * HOUR), { value: 39.4 }));
  }
  return out;
}

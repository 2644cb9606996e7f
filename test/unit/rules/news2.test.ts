import { renderReason } from '../../../contract/reasons.js';
import { QUESTIONABLE_FLAGS } from '../../../devices/gatt/index.js';
import { describe, it, expect } from 'vitest';
import {
  latestFullSet,
  NEWS2_REQUIRED_TYPES,
  news2Finding,
  roundNews2Inputs,
  scoreNews2,
  type News2Inputs,
} from '../../../server/rules/news2.js';
import type { RuleReading } from '../../../server/rules/types.js';

/** Every parameter in its 0 band: RR 16, SpO2 98 on air, SBP 120, pulse 70, Alert, 37.0 °C. */
const BASE: News2Inputs = {
  respiratoryRate: 16,
  spo2: 98,
  supplementalOxygen: false,
  systolic: 120,
  pulse: 70,
  consciousness: 'A',
  temperature: 37.0,
};
const S1 = { spo2Scale: 1 } as const;
const S2 = { spo2Scale: 2 } as const;
const with_ = (over: Partial<News2Inputs>): News2Inputs => ({ ...BASE, ...over });

describe('scoreNews2: chart 1, one parameter at a time', () => {
  it('scores the baseline patient 0 in every part (total 0 is band low)', () => {
    expect(scoreNews2(BASE, S1)).toEqual({
      total: 0,
      band: 'low',
      parts: {
        respiratoryRate: 0,
        spo2: 0,
        air: 0,
        systolic: 0,
        pulse: 0,
        consciousness: 0,
        temperature: 0,
      },
    });
  });

  it.each([
    [5, 3],
    [8, 3],
    [9, 1],
    [11, 1],
    [12, 0],
    [20, 0],
    [21, 2],
    [24, 2],
    [25, 3],
    [40, 3],
  ])('scores respiration rate %i /min as %i', (respiratoryRate, part) => {
    expect(scoreNews2(with_({ respiratoryRate }), S1).parts.respiratoryRate).toBe(part);
  });

  it.each([
    [80, 3],
    [91, 3],
    [92, 2],
    [93, 2],
    [94, 1],
    [95, 1],
    [96, 0],
    [100, 0],
  ])('scores SpO2 %i %% on scale 1 as %i, on air', (spo2, part) => {
    expect(scoreNews2(with_({ spo2 }), S1).parts.spo2).toBe(part);
  });

  it.each([
    [91, 3],
    [92, 2],
    [93, 2],
    [94, 1],
    [95, 1],
    [96, 0],
    [100, 0],
  ])('scores SpO2 %i %% on scale 1 as %i on oxygen too (scale 1 ignores oxygen)', (spo2, part) => {
    expect(scoreNews2(with_({ spo2, supplementalOxygen: true }), S1).parts.spo2).toBe(part);
  });

  it.each([
    [75, 3],
    [83, 3],
    [84, 2],
    [85, 2],
    [86, 1],
    [87, 1],
    [88, 0],
    [92, 0],
  ])('scores SpO2 %i %% on scale 2 as %i, the same on air and on oxygen', (spo2, part) => {
    expect(scoreNews2(with_({ spo2, supplementalOxygen: false }), S2).parts.spo2).toBe(part);
    expect(scoreNews2(with_({ spo2, supplementalOxygen: true }), S2).parts.spo2).toBe(part);
  });

  it.each([93, 94, 95, 96, 97, 100])(
    'scores SpO2 %i %% on scale 2 as 0 on air (>=93 on air)',
    (spo2) => {
      expect(scoreNews2(with_({ spo2, supplementalOxygen: false }), S2).parts.spo2).toBe(0);
    },
  );

  it.each([
    [93, 1],
    [94, 1],
    [95, 2],
    [96, 2],
    [97, 3],
    [100, 3],
  ])('scores SpO2 %i %% on scale 2 on oxygen as %i (93-94: 1, 95-96: 2, >=97: 3)', (spo2, part) => {
    expect(scoreNews2(with_({ spo2, supplementalOxygen: true }), S2).parts.spo2).toBe(part);
  });

  it.each([1, 2] as const)(
    'scores any supplemental oxygen 2 and air 0 on scale %i',
    (spo2Scale) => {
      expect(scoreNews2(with_({ supplementalOxygen: true }), { spo2Scale }).parts.air).toBe(2);
      expect(scoreNews2(with_({ supplementalOxygen: false }), { spo2Scale }).parts.air).toBe(0);
    },
  );

  it.each([
    [70, 3],
    [90, 3],
    [91, 2],
    [100, 2],
    [101, 1],
    [110, 1],
    [111, 0],
    [219, 0],
    [220, 3],
    [250, 3],
  ])('scores systolic %i mmHg as %i', (systolic, part) => {
    expect(scoreNews2(with_({ systolic }), S1).parts.systolic).toBe(part);
  });

  it.each([
    [30, 3],
    [40, 3],
    [41, 1],
    [50, 1],
    [51, 0],
    [90, 0],
    [91, 1],
    [110, 1],
    [111, 2],
    [130, 2],
    [131, 3],
    [180, 3],
  ])('scores pulse %i /min as %i', (pulse, part) => {
    expect(scoreNews2(with_({ pulse }), S1).parts.pulse).toBe(part);
  });

  it.each([
    ['A', 0],
    ['C', 3],
    ['V', 3],
    ['P', 3],
    ['U', 3],
  ] as const)('scores consciousness %s as %i (any of C, V, P, U is 3)', (consciousness, part) => {
    expect(scoreNews2(with_({ consciousness }), S1).parts.consciousness).toBe(part);
  });

  it.each([
    [34.0, 3],
    [35.0, 3],
    [35.1, 1],
    [36.0, 1],
    [36.1, 0],
    [38.0, 0],
    [38.1, 1],
    [39.0, 1],
    [39.1, 2],
    [41.0, 2],
  ])('scores temperature %d °C as %i', (temperature, part) => {
    expect(scoreNews2(with_({ temperature }), S1).parts.temperature).toBe(part);
  });
});

describe('scoreNews2: rounding before scoring (half up, as charted)', () => {
  it('rounds temperature to one decimal half up: 36.05 -> 36.1 scores 0 (truncation would give 36.0 -> 1)', () => {
    expect(roundNews2Inputs(with_({ temperature: 36.05 })).temperature).toBe(36.1);
    expect(scoreNews2(with_({ temperature: 36.05 }), S1).parts.temperature).toBe(0);
  });

  it.each([
    [35.04, 35.0, 3],
    [35.05, 35.1, 1],
    [36.04, 36.0, 1],
    [38.04, 38.0, 0],
    [38.05, 38.1, 1],
    [39.04, 39.0, 1],
    [39.05, 39.1, 2],
  ])('rounds temperature %d °C to %d and scores it %i', (temperature, rounded, part) => {
    expect(roundNews2Inputs(with_({ temperature })).temperature).toBe(rounded);
    expect(scoreNews2(with_({ temperature }), S1).parts.temperature).toBe(part);
  });

  it.each([
    ['respiratoryRate', 20.4, 20, 0],
    ['respiratoryRate', 20.5, 21, 2],
    ['respiratoryRate', 8.5, 9, 1],
    ['spo2', 95.4, 95, 1],
    ['spo2', 95.5, 96, 0],
    ['spo2', 91.5, 92, 2],
    ['systolic', 90.5, 91, 2],
    ['systolic', 110.5, 111, 0],
    ['systolic', 219.5, 220, 3],
    ['pulse', 40.5, 41, 1],
    ['pulse', 90.4, 90, 0],
    ['pulse', 90.5, 91, 1],
    ['pulse', 130.5, 131, 3],
  ] as const)('rounds %s %d half up to the integer %i, scored %i', (key, raw, rounded, part) => {
    expect(roundNews2Inputs(with_({ [key]: raw }))[key]).toBe(rounded);
    expect(scoreNews2(with_({ [key]: raw }), S1).parts[key]).toBe(part);
  });

  it('rounds SpO2 before choosing the scale 2 band: 92.5 % on oxygen is 93 and scores 1', () => {
    expect(scoreNews2(with_({ spo2: 92.5, supplementalOxygen: true }), S2).parts.spo2).toBe(1);
    expect(scoreNews2(with_({ spo2: 92.4, supplementalOxygen: true }), S2).parts.spo2).toBe(0);
  });

  it('refuses a non-finite value rather than scoring it', () => {
    expect(() => scoreNews2(with_({ pulse: Number.NaN }), S1)).toThrow(RangeError);
    expect(() => scoreNews2(with_({ temperature: Infinity }), S1)).toThrow(RangeError);
  });
});

describe('scoreNews2: band precedence (chart 4)', () => {
  it('total 0 is low', () => {
    expect(scoreNews2(BASE, S1).band).toBe('low');
  });
  it('total 1-4 without a single 3 is low', () => {
    // RR 21 (2) + pulse 91 (1) + temperature 38.1 (1) = 4
    const s = scoreNews2(with_({ respiratoryRate: 21, pulse: 91, temperature: 38.1 }), S1);
    expect([s.total, s.band]).toEqual([4, 'low']);
  });
  it('a single 3 with total 3 is low-medium', () => {
    const s = scoreNews2(with_({ consciousness: 'C' }), S1);
    expect([s.total, s.band]).toEqual([3, 'low-medium']);
  });
  it('a single 3 with total 4 is low-medium', () => {
    // SBP 90 (3) + pulse 95 (1) = 4
    const s = scoreNews2(with_({ systolic: 90, pulse: 95 }), S1);
    expect([s.total, s.band]).toEqual([4, 'low-medium']);
  });
  it('total 5 is medium, even with a single 3', () => {
    // RR 25 (3) + SpO2 93 (2) = 5
    const s = scoreNews2(with_({ respiratoryRate: 25, spo2: 93 }), S1);
    expect([s.total, s.band]).toEqual([5, 'medium']);
  });
  it('total 6 is medium', () => {
    // RR 21 (2) + SpO2 92 (2) + SBP 100 (2) = 6
    const s = scoreNews2(with_({ respiratoryRate: 21, spo2: 92, systolic: 100 }), S1);
    expect([s.total, s.band]).toEqual([6, 'medium']);
  });
  it('total 7 is high', () => {
    // RR 24 (2) + oxygen (2) + SBP 95 (2) + pulse 95 (1) = 7
    const s = scoreNews2(
      with_({ respiratoryRate: 24, supplementalOxygen: true, systolic: 95, pulse: 95 }),
      S1,
    );
    expect([s.total, s.band]).toEqual([7, 'high']);
  });
  it('the oxygen row alone (2) never makes low-medium', () => {
    const s = scoreNews2(with_({ supplementalOxygen: true }), S1);
    expect([s.total, s.band]).toEqual([2, 'low']);
  });
});

describe('scoreNews2: whole patients, worked by hand from the RCP chart', () => {
  const cases: {
    name: string;
    set: News2Inputs;
    scale: 1 | 2;
    total: number;
    band: string;
  }[] = [
    {
      // RR 16 (0) + SpO2 97 s1 (0) + air (0) + SBP 125 (0) + P 72 (0) + A (0) + 36.8 (0) = 0
      name: 'a well patient scores 0, low',
      set: {
        respiratoryRate: 16,
        spo2: 97,
        supplementalOxygen: false,
        systolic: 125,
        pulse: 72,
        consciousness: 'A',
        temperature: 36.8,
      },
      scale: 1,
      total: 0,
      band: 'low',
    },
    {
      // RR 22 (2) + SpO2 95 s1 (1) + air (0) + SBP 118 (0) + P 96 (1) + A (0) + 37.9 (0) = 4
      name: 'a mild chest infection scores 4, low',
      set: {
        respiratoryRate: 22,
        spo2: 95,
        supplementalOxygen: false,
        systolic: 118,
        pulse: 96,
        consciousness: 'A',
        temperature: 37.9,
      },
      scale: 1,
      total: 4,
      band: 'low',
    },
    {
      // RR 24 (2) + SpO2 93 s1 (2) + air (0) + SBP 105 (1) + P 112 (2) + A (0) + 38.4 (1) = 8
      name: 'a pneumonia with tachycardia scores 8, high',
      set: {
        respiratoryRate: 24,
        spo2: 93,
        supplementalOxygen: false,
        systolic: 105,
        pulse: 112,
        consciousness: 'A',
        temperature: 38.4,
      },
      scale: 1,
      total: 8,
      band: 'high',
    },
    {
      // RR 16 (0) + SpO2 97 (0) + air (0) + SBP 88 (3) + P 80 (0) + A (0) + 37.0 (0) = 3, a red score
      name: 'hypotension alone scores 3, low-medium',
      set: {
        respiratoryRate: 16,
        spo2: 97,
        supplementalOxygen: false,
        systolic: 88,
        pulse: 80,
        consciousness: 'A',
        temperature: 37.0,
      },
      scale: 1,
      total: 3,
      band: 'low-medium',
    },
    {
      // RR 18 (0) + SpO2 96 (0) + air (0) + SBP 130 (0) + P 84 (0) + C (3) + 36.9 (0) = 3
      name: 'new confusion alone scores 3, low-medium',
      set: {
        respiratoryRate: 18,
        spo2: 96,
        supplementalOxygen: false,
        systolic: 130,
        pulse: 84,
        consciousness: 'C',
        temperature: 36.9,
      },
      scale: 1,
      total: 3,
      band: 'low-medium',
    },
    {
      // RR 21 (2) + SpO2 96 (0) + air (0) + SBP 130 (0) + P 84 (0) + C (3) + 36.9 (0) = 5
      name: 'new confusion with RR 21 scores 5, medium',
      set: {
        respiratoryRate: 21,
        spo2: 96,
        supplementalOxygen: false,
        systolic: 130,
        pulse: 84,
        consciousness: 'C',
        temperature: 36.9,
      },
      scale: 1,
      total: 5,
      band: 'medium',
    },
    {
      // RR 20 (0) + SpO2 90 s2 (0, 88-92) + air (0) + SBP 135 (0) + P 88 (0) + A (0) + 37.2 (0) = 0
      name: 'a COPD patient at target 90 % on air scores 0 on scale 2',
      set: {
        respiratoryRate: 20,
        spo2: 90,
        supplementalOxygen: false,
        systolic: 135,
        pulse: 88,
        consciousness: 'A',
        temperature: 37.2,
      },
      scale: 2,
      total: 0,
      band: 'low',
    },
    {
      // RR 20 (0) + SpO2 90 s1 (3, <=91) + air (0) + SBP 135 (0) + P 88 (0) + A (0) + 37.2 (0) = 3
      name: 'the same COPD patient scores 3, low-medium, on scale 1',
      set: {
        respiratoryRate: 20,
        spo2: 90,
        supplementalOxygen: false,
        systolic: 135,
        pulse: 88,
        consciousness: 'A',
        temperature: 37.2,
      },
      scale: 1,
      total: 3,
      band: 'low-medium',
    },
    {
      // RR 23 (2) + SpO2 95 s2 on O2 (2) + oxygen (2) + SBP 112 (0) + P 104 (1) + A (0) + 38.0 (0) = 7
      name: 'a COPD exacerbation on oxygen at 95 % scores 7, high, on scale 2',
      set: {
        respiratoryRate: 23,
        spo2: 95,
        supplementalOxygen: true,
        systolic: 112,
        pulse: 104,
        consciousness: 'A',
        temperature: 38.0,
      },
      scale: 2,
      total: 7,
      band: 'high',
    },
    {
      // RR 23 (2) + SpO2 95 s1 (1) + oxygen (2) + SBP 112 (0) + P 104 (1) + A (0) + 38.0 (0) = 6
      name: 'the same exacerbation scores 6, medium, on scale 1',
      set: {
        respiratoryRate: 23,
        spo2: 95,
        supplementalOxygen: true,
        systolic: 112,
        pulse: 104,
        consciousness: 'A',
        temperature: 38.0,
      },
      scale: 1,
      total: 6,
      band: 'medium',
    },
    {
      // RR 18 (0) + SpO2 98 s2 on O2 (3, >=97) + oxygen (2) + SBP 140 (0) + P 75 (0) + A (0) + 36.5 (0) = 5
      name: 'over-oxygenation at 98 % on scale 2 scores 5, medium (a 3 inside a 5)',
      set: {
        respiratoryRate: 18,
        spo2: 98,
        supplementalOxygen: true,
        systolic: 140,
        pulse: 75,
        consciousness: 'A',
        temperature: 36.5,
      },
      scale: 2,
      total: 5,
      band: 'medium',
    },
    {
      // RR 26 (3) + SpO2 92 s1 (2) + air (0) + SBP 95 (2) + P 125 (2) + V (3) + 39.4 (2) = 14
      name: 'a septic patient responding to voice scores 14, high',
      set: {
        respiratoryRate: 26,
        spo2: 92,
        supplementalOxygen: false,
        systolic: 95,
        pulse: 125,
        consciousness: 'V',
        temperature: 39.4,
      },
      scale: 1,
      total: 14,
      band: 'high',
    },
    {
      // RR 10 (1) + SpO2 96 (0) + air (0) + SBP 108 (1) + P 48 (1) + A (0) + 35.0 (3) = 6
      name: 'an elderly patient at 35.0 °C scores 6, medium',
      set: {
        respiratoryRate: 10,
        spo2: 96,
        supplementalOxygen: false,
        systolic: 108,
        pulse: 48,
        consciousness: 'A',
        temperature: 35.0,
      },
      scale: 1,
      total: 6,
      band: 'medium',
    },
    {
      // RR 8 (3) + SpO2 85 s1 (3) + oxygen (2) + SBP 80 (3) + P 140 (3) + U (3) + 34.8 (3) = 20
      name: 'the worst possible set scores the maximum 20, high',
      set: {
        respiratoryRate: 8,
        spo2: 85,
        supplementalOxygen: true,
        systolic: 80,
        pulse: 140,
        consciousness: 'U',
        temperature: 34.8,
      },
      scale: 1,
      total: 20,
      band: 'high',
    },
    {
      // RR 20.4->20 (0) + SpO2 95.5->96 (0) + air (0) + SBP 110.5->111 (0) + P 90.5->91 (1) + A (0) + 36.05->36.1 (0) = 1
      name: 'a set at the rounding edges scores 1, low',
      set: {
        respiratoryRate: 20.4,
        spo2: 95.5,
        supplementalOxygen: false,
        systolic: 110.5,
        pulse: 90.5,
        consciousness: 'A',
        temperature: 36.05,
      },
      scale: 1,
      total: 1,
      band: 'low',
    },
    {
      // RR 12 (0) + SpO2 94 (1) + air (0) + SBP 101 (1) + P 41 (1) + A (0) + 36.0 (1) = 4
      name: 'a patient on every lower 1-edge scores 4, low',
      set: {
        respiratoryRate: 12,
        spo2: 94,
        supplementalOxygen: false,
        systolic: 101,
        pulse: 41,
        consciousness: 'A',
        temperature: 36.0,
      },
      scale: 1,
      total: 4,
      band: 'low',
    },
    {
      // RR 25 (3) + SpO2 96 (0) + air (0) + SBP 111 (0) + P 51 (0) + A (0) + 38.1 (1) = 4, a red score
      name: 'RR 25 with a fever of 38.1 scores 4, low-medium',
      set: {
        respiratoryRate: 25,
        spo2: 96,
        supplementalOxygen: false,
        systolic: 111,
        pulse: 51,
        consciousness: 'A',
        temperature: 38.1,
      },
      scale: 1,
      total: 4,
      band: 'low-medium',
    },
    {
      // RR 14 (0) + SpO2 99 (0) + air (0) + SBP 220 (3) + P 90 (0) + A (0) + 37.0 (0) = 3
      name: 'systolic 220 alone scores 3, low-medium',
      set: {
        respiratoryRate: 14,
        spo2: 99,
        supplementalOxygen: false,
        systolic: 220,
        pulse: 90,
        consciousness: 'A',
        temperature: 37.0,
      },
      scale: 1,
      total: 3,
      band: 'low-medium',
    },
    {
      // RR 19 (0) + SpO2 96 s1 (0) + oxygen (2) + SBP 122 (0) + P 92 (1) + A (0) + 38.2 (1) = 4
      name: 'a patient on home oxygen at 96 % with a fever scores 4, low',
      set: {
        respiratoryRate: 19,
        spo2: 96,
        supplementalOxygen: true,
        systolic: 122,
        pulse: 92,
        consciousness: 'A',
        temperature: 38.2,
      },
      scale: 1,
      total: 4,
      band: 'low',
    },
    {
      // RR 9 (1) + SpO2 91 s1 (3) + oxygen (2) + SBP 100 (2) + P 131 (3) + P (3) + 39.1 (2) = 16
      name: 'a shocked patient responding to pain scores 16, high',
      set: {
        respiratoryRate: 9,
        spo2: 91,
        supplementalOxygen: true,
        systolic: 100,
        pulse: 131,
        consciousness: 'P',
        temperature: 39.1,
      },
      scale: 1,
      total: 16,
      band: 'high',
    },
    {
      // RR 11 (1) + SpO2 93 s2 on air (0) + air (0) + SBP 219 (0) + P 110 (1) + A (0) + 38.0 (0) = 2
      name: 'a scale 2 patient at 93 % on air scores 2, low',
      set: {
        respiratoryRate: 11,
        spo2: 93,
        supplementalOxygen: false,
        systolic: 219,
        pulse: 110,
        consciousness: 'A',
        temperature: 38.0,
      },
      scale: 2,
      total: 2,
      band: 'low',
    },
    {
      // RR 11 (1) + SpO2 93 s2 on O2 (1) + oxygen (2) + SBP 219 (0) + P 110 (1) + A (0) + 38.0 (0) = 5
      name: 'the same scale 2 patient at 93 % on oxygen scores 5, medium',
      set: {
        respiratoryRate: 11,
        spo2: 93,
        supplementalOxygen: true,
        systolic: 219,
        pulse: 110,
        consciousness: 'A',
        temperature: 38.0,
      },
      scale: 2,
      total: 5,
      band: 'medium',
    },
  ];

  it.each(cases)('$name', ({ set, scale, total, band }) => {
    const s = scoreNews2(set, { spo2Scale: scale });
    expect(s.total).toBe(total);
    expect(s.band).toBe(band);
    expect(Object.values(s.parts).reduce((a, b) => a + b, 0)).toBe(total);
  });
});

// ---- readings ----

const DAY = '2025-03-10';
const at = (hhmm: string) => new Date(`${DAY}T${hhmm}:00.000Z`);
let seq = 0;
function reading(
  type: RuleReading['type'],
  hhmm: string,
  fields: Partial<RuleReading> = {},
): RuleReading {
  const t = at(hhmm);
  return {
    deviceId: 'dev-news2',
    messageId: `${type}-${hhmm}-${++seq}`,
    type,
    measuredAt: t,
    receivedAt: t,
    value: null,
    systolic: null,
    diastolic: null,
    pulse: null,
    code: null,
    ...fields,
  };
}
const rr = (t: string, value: number, f: Partial<RuleReading> = {}) =>
  reading('respiratory_rate', t, { value, ...f });
const spo2 = (t: string, value: number, f: Partial<RuleReading> = {}) =>
  reading('spo2', t, { value, ...f });
const bp = (
  t: string,
  systolic: number,
  pulse: number | null = null,
  f: Partial<RuleReading> = {},
) => reading('blood_pressure', t, { systolic, diastolic: 80, pulse, ...f });
const hr = (t: string, value: number, f: Partial<RuleReading> = {}) =>
  reading('heart_rate', t, { value, ...f });
const acvpu = (t: string, code: string, f: Partial<RuleReading> = {}) =>
  reading('consciousness', t, { code, ...f });
const temp = (t: string, value: number, f: Partial<RuleReading> = {}) =>
  reading('body_temperature', t, { value, ...f });

/** A complete set from 08:00 to 08:25, all scoring 0. */
const morning = () => [
  rr('08:00', 16),
  acvpu('08:05', 'A'),
  spo2('08:10', 97),
  bp('08:15', 124, 77),
  hr('08:20', 72),
  temp('08:25', 36.9),
];

describe('latestFullSet: choosing a complete set of the seven parameters', () => {
  it('takes a complete set measured within an hour, newest reading as measuredAt', () => {
    const rs = morning();
    const set = latestFullSet(rs, {});
    expect(set).not.toBeNull();
    expect(set!.inputs).toEqual({
      respiratoryRate: 16,
      spo2: 97,
      supplementalOxygen: false,
      systolic: 124,
      pulse: 72,
      consciousness: 'A',
      temperature: 36.9,
    });
    expect(set!.measuredAt).toEqual(at('08:25'));
    expect(set!.readings).toEqual(rs);
    expect(set!.pulseSource).toBe('heart_rate');
  });

  it('needs a reading of each required type (the rules ask for those before gathering a set)', () => {
    for (const type of NEWS2_REQUIRED_TYPES) {
      expect([
        type,
        latestFullSet(
          morning().filter((r) => r.type !== type),
          {},
        ),
      ]).toEqual([type, null]);
    }
    // the pulse alone is not required: the pressure's pulse takes its place
    expect(
      latestFullSet(
        morning().filter((r) => r.type !== 'heart_rate'),
        {},
      ),
    ).not.toBeNull();
  });

  it('reads supplementalOxygen from the SpO2 reading, absent meaning air', () => {
    const rs = morning();
    expect(latestFullSet(rs, {})!.inputs.supplementalOxygen).toBe(false);
    rs[2] = spo2('08:10', 94, { supplementalOxygen: true });
    expect(latestFullSet(rs, {})!.inputs.supplementalOxygen).toBe(true);
  });

  it('accepts a span of exactly one hour (the window is inclusive)', () => {
    const rs = [...morning().slice(1), rr('07:25', 15)];
    expect(latestFullSet(rs, {})!.inputs.respiratoryRate).toBe(15);
  });

  it('returns null for a set spread over more than an hour', () => {
    const rs = [rr('07:24', 15), ...morning().slice(1)];
    expect(latestFullSet(rs, {})).toBeNull();
  });

  it.each([0, 1, 2, 3, 4, 5])(
    'returns null when one parameter is missing (drop reading %i)',
    (i) => {
      const rs = morning().filter((_, k) => k !== i);
      // the BP pulse stands in for a missing heart rate (reading 4), so drop its pulse too
      const set = latestFullSet(
        i === 4 ? rs.map((r) => (r.type === 'blood_pressure' ? { ...r, pulse: null } : r)) : rs,
        {},
      );
      expect(set).toBeNull();
    },
  );

  it('returns null for no readings and for readings of other types only', () => {
    expect(latestFullSet([], {})).toBeNull();
    expect(latestFullSet([reading('body_weight', '08:00', { value: 80 })], {})).toBeNull();
  });

  it('a newer partial measurement does not hide an older complete set', () => {
    const rs = [...morning(), spo2('14:00', 91), temp('14:02', 38.3)];
    const set = latestFullSet(rs, {});
    expect(set!.measuredAt).toEqual(at('08:25'));
    expect(set!.inputs.spo2).toBe(97);
    expect(set!.inputs.temperature).toBe(36.9);
  });

  it('takes the newest complete set: the newest anchor whose hour holds all seven', () => {
    // a 09:30 pulse cannot complete a set (RR at 08:00 is more than an hour before it),
    // so the set is anchored at 08:25 and uses the 08:20 heart rate
    const rs = [...morning(), hr('09:30', 120)];
    const set = latestFullSet(rs, {});
    expect(set!.measuredAt).toEqual(at('08:25'));
    expect(set!.inputs.pulse).toBe(72);
  });

  it('uses the latest repeat of a parameter within the set', () => {
    const rs = [...morning(), spo2('08:50', 93)];
    const set = latestFullSet(rs, {});
    expect(set!.measuredAt).toEqual(at('08:50'));
    expect(set!.inputs.spo2).toBe(93);
    expect(set!.readings.map((r) => r.measuredAt)).toEqual(
      ['08:00', '08:05', '08:15', '08:20', '08:25', '08:50'].map(at),
    );
  });

  it('moves to a newer set once all seven are remeasured within an hour', () => {
    const rs = [
      ...morning(),
      rr('18:00', 22),
      acvpu('18:01', 'A'),
      spo2('18:02', 95),
      bp('18:03', 105, 99),
      hr('18:04', 100),
      temp('18:05', 38.2),
    ];
    const set = latestFullSet(rs, {});
    expect(set!.measuredAt).toEqual(at('18:05'));
    expect(set!.inputs).toMatchObject({ respiratoryRate: 22, systolic: 105, pulse: 100 });
  });

  it('does not depend on the order of the input', () => {
    const rs = morning();
    expect(latestFullSet([...rs].reverse(), {})).toEqual(latestFullSet(rs, {}));
  });

  it('honours a shorter window', () => {
    expect(latestFullSet(morning(), { windowMs: 25 * 60_000 })).not.toBeNull();
    expect(latestFullSet(morning(), { windowMs: 24 * 60_000 })).toBeNull();
  });

  it('skips a consciousness reading whose code is not A, C, V, P or U', () => {
    const rs = morning();
    rs[1] = acvpu('08:05', 'X');
    expect(latestFullSet(rs, {})).toBeNull();
  });

  describe('pulse: heart rate first, a blood-pressure pulse only in its absence', () => {
    it('uses the heart_rate reading when one is in the window, even if the BP pulse is newer', () => {
      const rs = [...morning().filter((r) => r.type !== 'blood_pressure'), bp('08:30', 124, 95)];
      const set = latestFullSet(rs, {});
      expect(set!.inputs.pulse).toBe(72);
      expect(set!.pulseSource).toBe('heart_rate');
    });

    it('uses the BP pulse when no heart_rate reading is in the window, and lists that reading once', () => {
      const rs = morning().filter((r) => r.type !== 'heart_rate');
      const set = latestFullSet(rs, {});
      expect(set!.inputs.pulse).toBe(77);
      expect(set!.pulseSource).toBe('blood_pressure');
      expect(set!.readings).toHaveLength(5);
    });

    it('uses the BP pulse when the only heart_rate reading is outside the window', () => {
      const rs = [hr('06:00', 50), ...morning().filter((r) => r.type !== 'heart_rate')];
      expect(latestFullSet(rs, {})!.inputs.pulse).toBe(77);
    });

    it('takes the pulse of an earlier BP reading in the window if the latest has none', () => {
      const rs = [...morning().filter((r) => r.type !== 'heart_rate'), bp('08:40', 118, null)];
      const set = latestFullSet(rs, {});
      expect(set!.inputs).toMatchObject({ systolic: 118, pulse: 77 });
      expect(set!.readings).toHaveLength(6);
    });

    it('does not use a BP pulse flagged out of range', () => {
      const rs = [
        ...morning().filter((r) => r.type !== 'heart_rate' && r.type !== 'blood_pressure'),
        bp('08:15', 124, 40, { deviceStatus: ['pulse_rate_under_range'] }),
      ];
      expect(latestFullSet(rs, {})).toBeNull();
    });
  });

  describe('questionable readings are skipped', () => {
    it.each([...QUESTIONABLE_FLAGS])('skips a reading flagged %s', (flag) => {
      const rs = [...morning(), spo2('08:40', 85, { deviceStatus: [flag] })];
      const set = latestFullSet(rs, {});
      expect(set!.inputs.spo2).toBe(97);
      expect(set!.measuredAt).toEqual(at('08:25'));
    });

    it('returns null when the only reading of a parameter is questionable', () => {
      const rs = morning();
      rs[3] = bp('08:15', 124, 77, { deviceStatus: ['cuff_too_loose'] });
      rs.splice(4, 1); // no heart rate either, so nothing gives a pulse
      expect(latestFullSet(rs, {})).toBeNull();
    });

    it('keeps a reading with only harmless flags', () => {
      const rs = morning();
      rs[3] = bp('08:15', 124, 77, { deviceStatus: ['irregular_pulse'] });
      expect(latestFullSet(rs, {})!.inputs.systolic).toBe(124);
    });
  });
});

describe('news2Finding', () => {
  /** 18:00 set: RR 24 (2), SpO2 93 (2), air (0), SBP 105 (1), HR 112 (2), A (0), 38.4 (1) = 8. */
  const unwell = () => [
    rr('18:00', 24),
    acvpu('18:05', 'A'),
    spo2('18:10', 93),
    bp('18:15', 105, 110),
    hr('18:20', 112),
    temp('18:25', 38.44),
  ];

  it('gives no finding for total 0', () => {
    expect(news2Finding(morning(), S1)).toBeNull();
  });

  it('gives no finding without a complete set', () => {
    expect(news2Finding(unwell().slice(1), S1)).toBeNull();
  });

  it('reports high risk (>=7) as critical, with every part, the edges and the readings', () => {
    const rs = unwell();
    const f = news2Finding(rs, S1)!;
    expect(f.rule).toBe('news2');
    expect(f.severity).toBe('critical');
    expect(renderReason(f.reason, 'sv')).toContain('NEWS2 8 (hög risk): akut bedömning');
    expect(renderReason(f.reason, 'en')).toContain('NEWS2 8 (high risk): emergency assessment');
    expect(renderReason(f.reason, 'sv')).toContain('Beslutsstöd');
    expect(renderReason(f.reason, 'en')).toContain(
      'Decision aid: NEWS2 is not validated for unsupervised home use',
    );
    expect(f.values).toEqual({
      total: 8,
      band: 'high',
      spo2Scale: 1,
      respiratoryRate: 24,
      respiratoryRateScore: 2,
      spo2: 93,
      spo2Score: 2,
      air: 'air',
      airScore: 0,
      systolic: 105,
      systolicScore: 1,
      pulse: 112,
      pulseScore: 2,
      pulseSource: 'heart_rate',
      consciousness: 'A',
      consciousnessScore: 0,
      temperature: 38.4,
      temperatureScore: 1,
    });
    expect(f.threshold).toEqual({
      value: { lowFrom: 1, mediumFrom: 5, highFrom: 7, singleParameter: 3 },
      source: 'default',
      reference: 'Royal College of Physicians, NEWS2 (2017), chart 1 and chart 4',
    });
    expect(f.window).toEqual({ from: '2025-03-10T18:00:00.000Z', to: '2025-03-10T18:25:00.000Z' });
    expect(f.readings).toHaveLength(6);
    expect(f.readings.map((r) => r.messageId)).toEqual(rs.map((r) => r.messageId));
    expect(f.readings[0]).toEqual({
      deviceId: 'dev-news2',
      messageId: rs[0]!.messageId,
      type: 'respiratory_rate',
      measuredAt: '2025-03-10T18:00:00.000Z',
    });
  });

  it('reports medium risk (5-6) as high', () => {
    // RR 21 (2) + SpO2 92 (2) + SBP 100 (2) = 6
    const rs = [
      rr('08:00', 21),
      acvpu('08:01', 'A'),
      spo2('08:02', 92),
      bp('08:03', 100),
      hr('08:04', 70),
      temp('08:05', 37),
    ];
    const f = news2Finding(rs, S1)!;
    expect([f.severity, f.values.total, f.values.band]).toEqual(['high', 6, 'medium']);
    expect(renderReason(f.reason, 'en')).toContain('NEWS2 6 (medium risk): urgent assessment');
    expect(renderReason(f.reason, 'sv')).toContain('NEWS2 6 (medelhög risk): brådskande bedömning');
  });

  it('reports a single 3 (low-medium) as medium and names the parameter', () => {
    const rs = morning();
    rs[1] = acvpu('08:05', 'C');
    const f = news2Finding(rs, S1)!;
    expect([f.severity, f.values.total, f.values.band]).toEqual(['medium', 3, 'low-medium']);
    expect(renderReason(f.reason, 'en')).toContain('consciousness scores 3');
    expect(renderReason(f.reason, 'sv')).toContain('3 poäng för medvetandegrad');
  });

  it('reports low risk (1-4) as low', () => {
    const rs = morning();
    rs[5] = temp('08:25', 38.5);
    const f = news2Finding(rs, S1)!;
    expect([f.severity, f.values.total, f.values.band]).toEqual(['low', 1, 'low']);
  });

  it('marks the threshold personal on SpO2 scale 2 and scores by that scale', () => {
    const rs = morning();
    rs[2] = spo2('08:10', 90);
    expect(news2Finding(rs, S2)).toBeNull(); // 90 % scores 0 on scale 2
    rs[5] = temp('08:25', 38.5);
    const f = news2Finding(rs, S2)!;
    expect(f.threshold.source).toBe('personal');
    expect(f.values).toMatchObject({ total: 1, spo2Score: 0, spo2Scale: 2 });
    expect(renderReason(f.reason, 'en')).toContain('SpO2 scale 2');
    expect(news2Finding(rs, S1)!.values).toMatchObject({ total: 4, spo2Score: 3 });
  });

  it('says where the pulse came from and lists a BP reading once when it gave the pulse', () => {
    const rs = unwell().filter((r) => r.type !== 'heart_rate');
    const f = news2Finding(rs, S1)!;
    expect(f.values.pulse).toBe(110);
    expect(f.values.pulseSource).toBe('blood_pressure');
    expect(f.readings).toHaveLength(5);
  });

  it('passes windowMs through', () => {
    expect(news2Finding(unwell(), { ...S1, windowMs: 10 * 60_000 })).toBeNull();
  });
});

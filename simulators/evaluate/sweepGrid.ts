// The grid `npm run evaluate -- --sweep` walks: per detector, the rules scored together as one
// (as the report's rows, comparisons.ts) and the plans tried, each a patient plan's part (the
// mechanism patients.csv uses) laid over the patient's own. Grids are modest, 7-16 points a
// detector, so a 200 x 180-day sweep takes minutes on two cores: the current default of each
// setting (contract/plan.ts) is always one of the points, and the values around it reach from
// "pages on noise" to "misses most episodes" on the simulated cohort.
import type { ReadingType } from '../../devices/contract.js';
import type { PatientPlan } from '../../server/plans/plan.js';
import { REPORT_ROWS } from './comparisons.js';

export interface SweepPoint {
  /** The values varied, as printed (e.g. `{ gain1dKg: 1.36 }`). */
  params: Record<string, number | string>;
  /** The part of a patient plan that sets them. */
  plan: PatientPlan;
}

export interface SweepDetector {
  key: string;
  label: string;
  /** The hub's rule ids scored together as one detector. */
  rules: string[];
  /**
   * The reading types the rules read: the others are left out of the replay (they cannot change
   * these rules' findings, and the weight rules run ~6x faster on weighings alone). The sweep's
   * test checks that the default point scores as the full evaluation does.
   */
  readingTypes: ReadingType[];
  points: SweepPoint[];
}

const WEIGHT: ReadingType[] = ['body_weight'];
// personal.ts: weight from weighings, pulse from heart rates and monitor pulses, systolic from
// blood pressures
const PERSONAL: ReadingType[] = ['body_weight', 'heart_rate', 'blood_pressure'];
// the heart-failure score reads SpO2 too (personalScore.ts)
const SCORE: ReadingType[] = [...PERSONAL, 'spo2'];

/** k for every personalised signal (up and down alike). */
const allK = (k: number) => ({
  weight: { kUp: k, kDown: k },
  pulse: { kUp: k },
  systolic: { kUp: k, kDown: k },
});

/** A k no daily value reaches: the signal never fires, so personal.combined never counts it. */
const OFF = 1000;

type Member = 'weight' | 'pulse' | 'systolic';

/** personal.combined over `members` only (the others switched off), at k for the members. */
function combinedOver(members: Member[], k: number): NonNullable<PatientPlan['personal']> {
  const kOf = (m: Member) => (members.includes(m) ? k : OFF);
  // the members as personal.combined counts them: weight up, pulse up, systolic down
  return {
    weight: { kUp: kOf('weight') },
    pulse: { kUp: kOf('pulse') },
    systolic: { kDown: kOf('systolic') },
  };
}

const product = <A, B>(as: readonly A[], bs: readonly B[]): Array<[A, B]> =>
  as.flatMap((a) => bs.map((b): [A, B] => [a, b]));

/** The rules of the report's row `key` (comparisons.ts): a detector is scored as the report scores it. */
const rulesOf = (key: string): string[] => {
  const row = REPORT_ROWS.find((r) => r.key === key);
  if (!row) throw new Error(`no report row ${key}`);
  return row.rules;
};

export const SWEEP_GRID: SweepDetector[] = [
  {
    key: 'rot_1d',
    label: 'Rule of thumb, 1 day',
    rules: rulesOf('rot_1d'),
    readingTypes: WEIGHT,
    // 1.36 kg (3 lb) is the default; 0.8 is within a day's scale-and-meal noise, 3 kg rare
    points: [0.8, 1.0, 1.2, 1.36, 1.6, 2.0, 2.5, 3.0].map((gain1dKg) => ({
      params: { gain1dKg },
      plan: { weight: { gain1dKg } },
    })),
  },
  {
    key: 'rot_3d',
    label: 'Rule of thumb, 3 days',
    rules: rulesOf('rot_3d'),
    readingTypes: WEIGHT,
    // 2 kg is the default (ESC); 2.27 kg is TEN-HMS's 5 lb
    points: [1.0, 1.5, 2.0, 2.27, 2.5, 3.0, 3.5, 4.0].map((gain3dKg) => ({
      params: { gain3dKg },
      plan: { weight: { gain3dKg } },
    })),
  },
  {
    key: 'macd',
    label: 'MACD of weight',
    rules: rulesOf('macd'),
    readingTypes: WEIGHT,
    // 3/10 days is the default; 5/15 settles at 5 b instead of 3.5 b on a slope of b kg/day.
    // minDays follows the long span (the long EMA must settle).
    points: product(
      [
        [3, 10],
        [5, 15],
      ] as const,
      [0.5, 0.75, 1.0, 1.5, 2.0],
    ).map(([[shortDays, longDays], thresholdKg]) => ({
      params: { shortDays, longDays, thresholdKg },
      plan: { weight: { macd: { shortDays, longDays, thresholdKg, minDays: longDays } } },
    })),
  },
  {
    key: 'personal_any',
    label: 'Personalised detector (any worsening)',
    rules: rulesOf('personal_any'),
    readingTypes: PERSONAL,
    // k x consecutive breaches (the two settings the papers name), then the baseline window and
    // the SD floors one at a time around the default (k 2, 2 breaches, 14 days, floors 0.3 kg,
    // 3 bpm, 4 mmHg)
    points: [
      ...product([1.5, 2, 2.5, 3], [1, 2, 3]).map(([k, consecutive]) => ({
        params: { k, consecutive, baselineDays: 14, sdFloor: 'x1' },
        plan: { personal: { ...allK(k), consecutive } },
      })),
      ...[7, 28].map((baselineDays) => ({
        params: { k: 2, consecutive: 2, baselineDays, sdFloor: 'x1' },
        plan: { personal: { baselineDays } },
      })),
      ...[0.5, 2].map((f) => ({
        params: { k: 2, consecutive: 2, baselineDays: 14, sdFloor: `x${f}` },
        plan: {
          personal: {
            weight: { sdFloor: 0.3 * f },
            pulse: { sdFloor: 3 * f },
            systolic: { sdFloor: 4 * f },
          },
        },
      })),
    ],
  },
  {
    key: 'personal_combined',
    label: 'Personalised: combined',
    rules: rulesOf('personal_combined'),
    readingTypes: PERSONAL,
    // which signals count (a member is left out by a k it never reaches) and how many are
    // needed, at the default k 2 and a looser 1.5; then the days the members' last breaches may
    // lie apart (default 1)
    points: [
      ...product(
        [
          { members: 'w+p+s', of: ['weight', 'pulse', 'systolic'] as Member[], needed: 2 },
          { members: 'w+p+s', of: ['weight', 'pulse', 'systolic'] as Member[], needed: 3 },
          { members: 'w+p', of: ['weight', 'pulse'] as Member[], needed: 2 },
          { members: 'w+s', of: ['weight', 'systolic'] as Member[], needed: 2 },
          { members: 'p+s', of: ['pulse', 'systolic'] as Member[], needed: 2 },
        ],
        [1.5, 2],
      ).map(([m, k]) => ({
        params: { members: m.members, needed: m.needed, k, withinDays: 1 },
        plan: { personal: { ...combinedOver(m.of, k), combinedMin: m.needed } },
      })),
      ...[0, 2].map((combinedWithinDays) => ({
        params: { members: 'w+p+s', needed: 2, k: 2, withinDays: combinedWithinDays },
        plan: { personal: { combinedWithinDays } },
      })),
    ],
  },
  {
    key: 'personal_score',
    label: 'Heart-failure score',
    rules: rulesOf('personal_score'),
    readingTypes: SCORE,
    // the decision interval h against the reference k (the CUSUM's two settings), then how much
    // weight and systolic pressure count beside pulse and SpO2, and the baseline's length, each
    // at h 5 and k 0.75 (the grid's middle, where it was first drawn; the default, h 3 and k 1,
    // was then chosen on its curve) around weights 0.3/1/1/0.3 and 28 days
    points: [
      ...product([3, 4, 5, 6, 7], [0.5, 0.75, 1]).map(([h, k]) => ({
        params: { h, k, weight: 0.3, systolic: 0.3, baselineDays: 28 },
        plan: { personal: { score: { h, k } } },
      })),
      ...product([0, 0.6, 1], [0, 0.3]).map(([weight, systolic]) => ({
        params: { h: 5, k: 0.75, weight, systolic, baselineDays: 28 },
        plan: { personal: { score: { weights: { weight, systolic } } } },
      })),
      ...[14, 42].map((baselineDays) => ({
        params: { h: 5, k: 0.75, weight: 0.3, systolic: 0.3, baselineDays },
        plan: { personal: { score: { baselineDays } } },
      })),
    ],
  },
];

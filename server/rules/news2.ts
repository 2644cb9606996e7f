import type { ReadingType } from '../../devices/contract.js';
// NEWS2, the National Early Warning Score 2 (Royal College of Physicians, 2017): chart 1
// scoring, chart 2/4 clinical-risk bands, and the choice of a complete set of observations
// from a patient's home readings. Pure: no I/O, no clock.
//
// NEWS2 is not validated for unsupervised home telemonitoring: the finding says it is a
// decision aid, and nothing is computed from a partial set (the chart is meaningless without
// all seven parameters; docs/clinical-evidence.md section 5).
import { reason } from '../../contract/reasons.js';
import { refOf, type Finding, type RuleReading, type Severity } from './types.js';
import { isQuestionable } from './localDay.js';

export type Acvpu = 'A' | 'C' | 'V' | 'P' | 'U';
const ACVPU: ReadonlySet<string> = new Set<Acvpu>(['A', 'C', 'V', 'P', 'U']);

/** One complete set of observations, canonical units (/min, %, mm[Hg], /min, Cel). */
export interface News2Inputs {
  respiratoryRate: number;
  spo2: number;
  /** Any supplemental oxygen (mask, nasal cannula, ...); false = room air. */
  supplementalOxygen: boolean;
  systolic: number;
  pulse: number;
  consciousness: Acvpu;
  temperature: number;
}

export type News2Band = 'low' | 'low-medium' | 'medium' | 'high';

export interface News2Parts {
  respiratoryRate: number;
  spo2: number;
  air: number;
  systolic: number;
  pulse: number;
  consciousness: number;
  temperature: number;
}

export interface News2Score {
  total: number;
  band: News2Band;
  parts: News2Parts;
}

export interface News2Options {
  /** Scale 2 only for a prescribed target of 88-92 %, on the direction of a clinician. */
  spo2Scale: 1 | 2;
}

export const NEWS2_REFERENCE = 'Royal College of Physicians, NEWS2 (2017), chart 1 and chart 4';
/** Chart 4 trigger thresholds: aggregate from which a band starts, and the "red" single score. */
/** The reading types a NEWS2 set is made of. */
export const NEWS2_TYPES: readonly ReadingType[] = [
  'respiratory_rate',
  'spo2',
  'blood_pressure',
  'heart_rate',
  'consciousness',
  'body_temperature',
];

/** The types a full set holds one of each of at least (the pulse may come with the pressure). */
export const NEWS2_REQUIRED_TYPES: readonly ReadingType[] = [
  'respiratory_rate',
  'spo2',
  'blood_pressure',
  'consciousness',
  'body_temperature',
];

export const NEWS2_BAND_EDGES = { lowFrom: 1, mediumFrom: 5, highFrom: 7, singleParameter: 3 };
export const DEFAULT_NEWS2_WINDOW_MS = 60 * 60_000;

// ---- rounding ----

/**
 * Round half up at `decimals` places. The product is first cut to 12 significant digits so
 * that binary noise (36.05 * 10 = 360.49999…, 1.005 * 100) does not round down a true half.
 * All NEWS2 inputs are positive, where Math.round's "half towards +∞" is "half up".
 */
const roundHalfUp = (v: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(Number((v * f).toPrecision(12))) / f;
};

/**
 * The inputs as chart 1 reads them: RR, SpO2, systolic and pulse as whole numbers, temperature
 * to one decimal, all rounded half up (36.05 -> 36.1, 90.5 -> 91). A design choice [U]:
 * docs/clinical-evidence.md section 5.
 */
export function roundNews2Inputs(set: News2Inputs): News2Inputs {
  for (const key of ['respiratoryRate', 'spo2', 'systolic', 'pulse', 'temperature'] as const) {
    if (!Number.isFinite(set[key])) throw new RangeError(`NEWS2 ${key} must be a finite number`);
  }
  if (!ACVPU.has(set.consciousness)) {
    throw new RangeError(`NEWS2 consciousness must be one of A, C, V, P, U`);
  }
  return {
    respiratoryRate: roundHalfUp(set.respiratoryRate, 0),
    spo2: roundHalfUp(set.spo2, 0),
    supplementalOxygen: set.supplementalOxygen === true,
    systolic: roundHalfUp(set.systolic, 0),
    pulse: roundHalfUp(set.pulse, 0),
    consciousness: set.consciousness,
    temperature: roundHalfUp(set.temperature, 1),
  };
}

// ---- chart 1 (bands inclusive, on the rounded values) ----

const scoreRespiratoryRate = (rr: number) =>
  rr <= 8 ? 3 : rr <= 11 ? 1 : rr <= 20 ? 0 : rr <= 24 ? 2 : 3;

const scoreSpo2Scale1 = (s: number) => (s <= 91 ? 3 : s <= 93 ? 2 : s <= 95 ? 1 : 0);

/** Scale 2: 88-92 scores 0, and so does ≥93 on air; on oxygen ≥93 scores 1-3 (over-oxygenation). */
const scoreSpo2Scale2 = (s: number, oxygen: boolean) => {
  if (s <= 83) return 3;
  if (s <= 85) return 2;
  if (s <= 87) return 1;
  if (s <= 92 || !oxygen) return 0;
  return s <= 94 ? 1 : s <= 96 ? 2 : 3;
};

const scoreSystolic = (sbp: number) =>
  sbp <= 90 ? 3 : sbp <= 100 ? 2 : sbp <= 110 ? 1 : sbp <= 219 ? 0 : 3;

const scorePulse = (p: number) =>
  p <= 40 ? 3 : p <= 50 ? 1 : p <= 90 ? 0 : p <= 110 ? 1 : p <= 130 ? 2 : 3;

/** On tenths of a degree, so that band edges are compared as integers. */
const scoreTemperature = (celsius: number) => {
  const t = Math.round(celsius * 10);
  return t <= 350 ? 3 : t <= 360 ? 1 : t <= 380 ? 0 : t <= 390 ? 1 : 2;
};

/** Chart 4 precedence: ≥7 high; else 5-6 medium; else any single 3 low-medium; else low. */
export function news2Band(total: number, parts: News2Parts): News2Band {
  if (total >= NEWS2_BAND_EDGES.highFrom) return 'high';
  if (total >= NEWS2_BAND_EDGES.mediumFrom) return 'medium';
  if (Object.values(parts).some((p) => p >= NEWS2_BAND_EDGES.singleParameter)) return 'low-medium';
  return 'low';
}

/** Scores one complete set (chart 1) after rounding it as charted, and bands it (chart 4). */
export function scoreNews2(set: News2Inputs, opts: News2Options): News2Score {
  if (opts.spo2Scale !== 1 && opts.spo2Scale !== 2) {
    throw new RangeError('NEWS2 spo2Scale must be 1 or 2');
  }
  const r = roundNews2Inputs(set);
  const parts: News2Parts = {
    respiratoryRate: scoreRespiratoryRate(r.respiratoryRate),
    spo2:
      opts.spo2Scale === 2
        ? scoreSpo2Scale2(r.spo2, r.supplementalOxygen)
        : scoreSpo2Scale1(r.spo2),
    air: r.supplementalOxygen ? 2 : 0,
    systolic: scoreSystolic(r.systolic),
    pulse: scorePulse(r.pulse),
    consciousness: r.consciousness === 'A' ? 0 : 3,
    temperature: scoreTemperature(r.temperature),
  };
  const total = Object.values(parts).reduce((a, b) => a + b, 0);
  return { total, band: news2Band(total, parts), parts };
}

// ---- choosing the set ----

/**
 * A blood-pressure monitor's pulse with these flags is a clamped out-of-range value, not a
 * measurement: it may not stand in for a heart rate (the systolic is still used).
 */
const PULSE_OUT_OF_RANGE = ['pulse_rate_over_range', 'pulse_rate_under_range'];

const questionable = (r: RuleReading) => isQuestionable(r.deviceStatus);

const finite = (v: number | null): v is number => v !== null && Number.isFinite(v);

type Slot = 'respiratoryRate' | 'spo2' | 'systolic' | 'heartRate' | 'consciousness' | 'temperature';

/** The slot a usable reading fills, or null if it cannot be used for NEWS2. */
function slotOf(r: RuleReading): Slot | null {
  switch (r.type) {
    case 'respiratory_rate':
      return finite(r.value) ? 'respiratoryRate' : null;
    case 'spo2':
      return finite(r.value) ? 'spo2' : null;
    case 'blood_pressure':
      return finite(r.systolic) ? 'systolic' : null;
    case 'heart_rate':
      return finite(r.value) ? 'heartRate' : null;
    case 'consciousness':
      return r.code !== null && ACVPU.has(r.code) ? 'consciousness' : null;
    case 'body_temperature':
      return finite(r.value) ? 'temperature' : null;
    default:
      return null;
  }
}

const bpPulseUsable = (r: RuleReading) =>
  finite(r.pulse) && !(r.deviceStatus ?? []).some((f) => PULSE_OUT_OF_RANGE.includes(f));

export interface News2Set {
  inputs: News2Inputs;
  /** The readings the set rests on, oldest first; one reading may give two inputs (BP pulse). */
  readings: RuleReading[];
  /** When the newest reading of the set was measured. */
  measuredAt: Date;
  /** Where the pulse came from: a heart-rate reading, or a blood-pressure reading's pulse. */
  pulseSource: 'heart_rate' | 'blood_pressure';
}

/**
 * The newest complete set of the seven NEWS2 parameters measured within `windowMs` (default
 * 1 hour, inclusive) of each other, or null.
 *
 * "Newest" means the set whose newest reading is the latest possible. For each candidate
 * anchor (every usable reading, newest first) it takes the latest usable reading of each
 * parameter measured in [anchor - window, anchor]; the first anchor that fills all seven wins.
 * So a newer partial measurement (one SpO2 at 14:00) does not hide an older complete set
 * (08:00-08:30), and within a set the latest repeat of a parameter is used. How old the set is
 * matters to the caller, who knows `now`: check `measuredAt`.
 *
 * Pulse: the latest heart_rate reading in the window; only if there is none, the pulse of the
 * latest blood_pressure reading in the window that carries one (not flagged out of range).
 *
 * Readings whose deviceStatus holds any questionable flag (see localDay.isQuestionable), and readings without a usable
 * value, are skipped. Input need not be sorted; equal times keep input order (later wins).
 */
export function latestFullSet(
  readings: readonly RuleReading[],
  opts: { windowMs?: number } = {},
): News2Set | null {
  const windowMs = opts.windowMs ?? DEFAULT_NEWS2_WINDOW_MS;
  if (!Number.isFinite(windowMs) || windowMs < 0) {
    throw new RangeError('NEWS2 windowMs must be a finite, non-negative number');
  }
  const usable = readings
    .map((r, i) => ({ r, i, t: r.measuredAt.getTime(), slot: slotOf(r) }))
    .filter(
      (x): x is typeof x & { slot: Slot } =>
        x.slot !== null && Number.isFinite(x.t) && !questionable(x.r),
    )
    .sort((a, b) => a.t - b.t || a.i - b.i);
  // No window can be complete when a parameter was never measured: say so at once rather
  // than trying every window (most home patients never measure respiratory rate).
  const present = new Set<Slot>(usable.map((x) => x.slot));
  const pulseSeen =
    present.has('heartRate') || usable.some((x) => x.slot === 'systolic' && bpPulseUsable(x.r));
  const needed: Slot[] = ['respiratoryRate', 'spo2', 'systolic', 'consciousness', 'temperature'];
  if (!pulseSeen || needed.some((slot) => !present.has(slot))) return null;

  for (let end = usable.length - 1; end >= 0; end--) {
    const anchor = usable[end]!.t;
    // Readings at the anchor's time that come later in order belong to this window too.
    let hi = end;
    while (hi + 1 < usable.length && usable[hi + 1]!.t === anchor) hi++;
    if (hi !== end) continue; // the same window was already tried from its last reading

    const latest = new Map<Slot, RuleReading>();
    let bpWithPulse: RuleReading | undefined;
    for (let k = hi; k >= 0 && usable[k]!.t >= anchor - windowMs; k--) {
      const { r, slot } = usable[k]!;
      if (!latest.has(slot)) latest.set(slot, r);
      if (slot === 'systolic' && bpWithPulse === undefined && bpPulseUsable(r)) bpWithPulse = r;
    }

    const rr = latest.get('respiratoryRate');
    const spo2 = latest.get('spo2');
    const bp = latest.get('systolic');
    const hr = latest.get('heartRate');
    const acvpu = latest.get('consciousness');
    const temp = latest.get('temperature');
    const pulseReading = hr ?? bpWithPulse;
    if (!rr || !spo2 || !bp || !pulseReading || !acvpu || !temp) continue;

    const used = [...new Set([rr, spo2, bp, pulseReading, acvpu, temp])].sort(
      (a, b) => a.measuredAt.getTime() - b.measuredAt.getTime(),
    );
    return {
      inputs: {
        respiratoryRate: rr.value!,
        spo2: spo2.value!,
        supplementalOxygen: spo2.supplementalOxygen === true,
        systolic: bp.systolic!,
        pulse: hr ? hr.value! : pulseReading.pulse!,
        consciousness: acvpu.code as Acvpu,
        temperature: temp.value!,
      },
      readings: used,
      measuredAt: new Date(anchor),
      pulseSource: hr ? 'heart_rate' : 'blood_pressure',
    };
  }
  return null;
}

// ---- the finding ----

const SEVERITY: Record<News2Band, Severity> = {
  low: 'low',
  'low-medium': 'medium',
  medium: 'high',
  high: 'critical',
};

/**
 * NEWS2 on the newest complete set (see latestFullSet), as a finding: aggregate 0 gives none;
 * 1-4 low, a single 3 medium, 5-6 high, ≥7 critical. Null when there is no complete set.
 */
export function news2Finding(
  readings: readonly RuleReading[],
  opts: News2Options & { windowMs?: number },
): Finding | null {
  const set = latestFullSet(
    readings,
    opts.windowMs === undefined ? {} : { windowMs: opts.windowMs },
  );
  if (!set) return null;
  const score = scoreNews2(set.inputs, { spo2Scale: opts.spo2Scale });
  if (score.total === 0) return null;

  const shown = roundNews2Inputs(set.inputs);
  const reds = (Object.keys(score.parts) as (keyof News2Parts)[]).filter(
    (k) => score.parts[k] >= NEWS2_BAND_EDGES.singleParameter,
  );
  const first = set.readings[0]!;

  return {
    rule: 'news2',
    severity: SEVERITY[score.band],
    // the band's action and the decision-aid caveat (NEWS2 is not validated for unsupervised
    // home use) are the catalogue's words: contract/reasons.ts
    reason: reason('news2', {
      total: score.total,
      band: score.band,
      scoresThree: score.band === 'low-medium' ? reds : [],
      spo2Scale: opts.spo2Scale,
    }),
    values: {
      total: score.total,
      band: score.band,
      spo2Scale: opts.spo2Scale,
      respiratoryRate: shown.respiratoryRate,
      respiratoryRateScore: score.parts.respiratoryRate,
      spo2: shown.spo2,
      spo2Score: score.parts.spo2,
      air: shown.supplementalOxygen ? 'oxygen' : 'air',
      airScore: score.parts.air,
      systolic: shown.systolic,
      systolicScore: score.parts.systolic,
      pulse: shown.pulse,
      pulseScore: score.parts.pulse,
      pulseSource: set.pulseSource,
      consciousness: shown.consciousness,
      consciousnessScore: score.parts.consciousness,
      temperature: shown.temperature,
      temperatureScore: score.parts.temperature,
    },
    threshold: {
      value: { ...NEWS2_BAND_EDGES },
      source: opts.spo2Scale === 2 ? 'personal' : 'default',
      reference: NEWS2_REFERENCE,
      ...(opts.spo2Scale === 2 ? { keys: ['spo2Scale'] } : {}),
    },
    window: { from: first.measuredAt.toISOString(), to: set.measuredAt.toISOString() },
    readings: set.readings.map(refOf),
  };
}

// A home-monitoring workload for the rules benchmark: one patient per device, each measuring
// themselves the way a home does (weight, blood pressure with pulse, heart rate, SpO2,
// temperature), with physiological values around a personal baseline and small noise, and now
// and then a clearly abnormal value that the rules must alert on at once. Time is simulated per
// device: `measuredAt` starts in the past and steps about two hours per reading, so that a load
// of many readings per second is still a plausible history for each patient; it never passes
// the present (the hub refuses future time stamps): a device that catches up with the clock is
// held a second behind it, and counted. Values come from a seeded PRNG per device, so two runs
// send the same values; messageIds stay the publisher's (unique per run).
import type { ReadingType } from '../../devices/contract.js';
import { mulberry32 as prng, standardNormal } from '../patients/random.js';

export interface HomeWorkloadOptions {
  devices: number;
  /** measuredAt of each device's first reading (ms since the epoch), before a small per-device offset. */
  startMs: number;
  /** Simulated time between a device's readings, on average (jittered +-20 %). */
  stepMs: number;
  /** Share of readings that are clearly abnormal (0..1). */
  abnormalFraction: number;
  seed?: number;
  /** The wall clock: publish times of abnormal readings, and the never-in-the-future check. */
  now?: () => number;
}

/** An abnormal reading as published: what it is and when (Date.now() at publish). */
export interface AbnormalReading {
  device: number;
  kind: AbnormalKind;
  publishedAt: number;
}

export type AbnormalKind = 'spo2' | 'blood_pressure' | 'heart_rate' | 'body_temperature';

export interface HomeWorkload {
  /** A payload function for the load generator (simulators/load/publisher.ts). */
  payload(messageId: string, device: number): string;
  /** Abnormal readings published so far, by messageId. */
  readonly abnormal: Map<string, AbnormalReading>;
  readonly counts: {
    readings: number;
    byType: Record<string, number>;
    abnormal: number;
    /** Readings whose simulated time reached the present and were held a second behind it. */
    clampedToNow: number;
  };
  /** The newest measuredAt handed out so far (ms). */
  newestMeasuredAt(): number;
}

/** A day at home, in two-hour steps: weight in the morning, blood pressure twice, and so on. */
const ROTATION: ReadingType[] = [
  'body_weight',
  'blood_pressure',
  'spo2',
  'heart_rate',
  'body_temperature',
  'blood_pressure',
  'spo2',
  'heart_rate',
];

interface Patient {
  rand: () => number;
  next: number;
  slot: number;
  weight: number;
  systolic: number;
  diastolic: number;
  pulse: number;
  spo2: number;
  temperature: number;
}

/**
 * The abnormal values' ranges, each past a severe threshold (server/rules/vitals.ts,
 * bloodPressure.ts) and far from any normal value the workload sends.
 */
const ABNORMAL = {
  systolic: [182, 196], // >= 180: bp.very_high
  heart_rate: [136, 150], // > 130/min: pulse.very_high
  body_temperature_tenths: [393, 398], // >= 39.1 Cel: temperature.high_fever
  spo2: [84, 87], // under 88 %: spo2.very_low
} as const satisfies Record<string, readonly [number, number]>;

/** Whether a stored reading (canonical units) holds one of the workload's abnormal values. */
export function isAbnormalValue(r: {
  type: string;
  value: number | null;
  systolic: number | null;
}): boolean {
  switch (r.type) {
    case 'blood_pressure':
      return (r.systolic ?? 0) >= ABNORMAL.systolic[0];
    case 'heart_rate':
      return (r.value ?? 0) >= ABNORMAL.heart_rate[0];
    case 'body_temperature':
      return (r.value ?? 0) * 10 >= ABNORMAL.body_temperature_tenths[0] - 0.5;
    case 'spo2':
      return (r.value ?? 100) <= ABNORMAL.spo2[1];
    default:
      return false;
  }
}

const round = (v: number, decimals: number) => Number(v.toFixed(decimals));
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export function createHomeWorkload(o: HomeWorkloadOptions): HomeWorkload {
  const now = o.now ?? Date.now;
  const seed = o.seed ?? 1;
  const patients: Patient[] = Array.from({ length: o.devices }, (_, i) => {
    const rand = prng(seed * 1_000_003 + i);
    const between = (lo: number, hi: number) => lo + (hi - lo) * rand();
    return {
      rand,
      // devices do not all measure on the same minute
      next: o.startMs + Math.floor(rand() * o.stepMs),
      slot: Math.floor(rand() * ROTATION.length),
      weight: between(58, 110),
      systolic: between(112, 130),
      diastolic: between(68, 80),
      pulse: between(60, 78),
      spo2: between(95, 98),
      temperature: between(36.4, 36.9),
    };
  });
  const abnormal = new Map<string, AbnormalReading>();
  const counts = {
    readings: 0,
    byType: {} as Record<string, number>,
    abnormal: 0,
    clampedToNow: 0,
  };
  let newest = 0;

  /** Normal noise (Box-Muller) with standard deviation `sd`. */
  const noise = (p: Patient, sd: number) => sd * standardNormal(p.rand);

  function normal(p: Patient, type: ReadingType): Record<string, unknown> {
    switch (type) {
      case 'body_weight':
        return { type, value: round(p.weight + noise(p, 0.25), 1), unit: 'kg' };
      case 'blood_pressure': {
        const systolic = Math.round(clamp(p.systolic + noise(p, 6), 100, 150));
        const diastolic = Math.round(clamp(p.diastolic + noise(p, 4), 55, 92));
        const pulse = Math.round(clamp(p.pulse + noise(p, 4), 52, 100));
        return { type, systolic, diastolic, pulse, unit: 'mm[Hg]' };
      }
      case 'heart_rate':
        return { type, value: Math.round(clamp(p.pulse + noise(p, 4), 52, 100)), unit: '/min' };
      case 'spo2':
        return { type, value: Math.round(clamp(p.spo2 + noise(p, 0.8), 93, 100)), unit: '%' };
      default:
        return {
          type: 'body_temperature',
          value: round(clamp(p.temperature + noise(p, 0.15), 35.8, 37.6), 1),
          unit: 'Cel',
        };
    }
  }

  /** Clearly abnormal: each alerts on the reading alone (see server/rules/vitals.ts, bloodPressure.ts). */
  function abnormalOf(p: Patient, slot: ReadingType): [AbnormalKind, Record<string, unknown>] {
    const between = ([lo, hi]: readonly [number, number]) => Math.round(lo + (hi - lo) * p.rand());
    switch (slot) {
      case 'blood_pressure':
        return [
          'blood_pressure',
          {
            type: slot,
            systolic: between(ABNORMAL.systolic),
            diastolic: between([98, 108]),
            pulse: between([70, 95]),
            unit: 'mm[Hg]',
          },
        ];
      case 'heart_rate':
        return ['heart_rate', { type: slot, value: between(ABNORMAL.heart_rate), unit: '/min' }];
      case 'body_temperature':
        return [
          'body_temperature',
          { type: slot, value: between(ABNORMAL.body_temperature_tenths) / 10, unit: 'Cel' },
        ];
      default: // also in place of a weight, which has no such rule
        return ['spo2', { type: 'spo2', value: between(ABNORMAL.spo2), unit: '%' }];
    }
  }

  return {
    abnormal,
    counts,
    newestMeasuredAt: () => newest,
    payload(messageId, device) {
      const p = patients[device]!;
      const slot = ROTATION[p.slot]!;
      p.slot = (p.slot + 1) % ROTATION.length;
      const wall = now();
      let at = p.next;
      if (at > wall - 1000) {
        at = wall - 1000;
        counts.clampedToNow++;
      }
      p.next = at + Math.round(o.stepMs * (0.8 + 0.4 * p.rand()));
      newest = Math.max(newest, at);
      counts.readings++;
      let body: Record<string, unknown>;
      if (p.rand() < o.abnormalFraction) {
        const [kind, reading] = abnormalOf(p, slot);
        body = reading;
        counts.abnormal++;
        abnormal.set(messageId, { device, kind, publishedAt: wall });
      } else {
        body = normal(p, slot);
      }
      const type = body.type as string;
      counts.byType[type] = (counts.byType[type] ?? 0) + 1;
      return JSON.stringify({ messageId, measuredAt: new Date(at).toISOString(), ...body });
    },
  };
}

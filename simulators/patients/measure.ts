// Home measurements as devices report them: canonical units, the display resolution of
// ordinary home devices (scale 0.1 kg, cuff and oximeter whole numbers, thermometer 0.1 Cel),
// and the human side of when they are taken (habit, jitter, forgetting).
import { clamp, roundTo, type Rng } from './random.js';
import type { SimMeasurement } from './types.js';

export const weighing = (at: Date, kg: number): SimMeasurement => ({
  type: 'body_weight',
  measuredAt: at,
  value: roundTo(kg, 1),
});

export const bloodPressure = (
  at: Date,
  systolic: number,
  diastolic: number,
  pulse: number,
  deviceStatus?: string[],
): SimMeasurement => {
  const sys = Math.round(clamp(systolic, 60, 260));
  return {
    type: 'blood_pressure',
    measuredAt: at,
    systolic: sys,
    // noise drawn apart for each must not cross them: a cuff reports a pulse pressure of at
    // least ~15 mmHg (a diastolic above the systolic is a reading the hub refuses)
    diastolic: Math.round(clamp(Math.min(diastolic, sys - MIN_PULSE_PRESSURE), 35, 150)),
    pulse: Math.round(clamp(pulse, 30, 200)),
    ...(deviceStatus?.length ? { deviceStatus } : {}),
  };
};
const MIN_PULSE_PRESSURE = 15;

export const oxygenSaturation = (
  at: Date,
  percent: number,
  supplementalOxygen?: boolean,
): SimMeasurement => ({
  type: 'spo2',
  measuredAt: at,
  value: Math.round(clamp(percent, 70, 100)),
  ...(supplementalOxygen === undefined ? {} : { supplementalOxygen }),
});

export const heartRate = (
  at: Date,
  perMinute: number,
  deviceStatus?: string[],
): SimMeasurement => ({
  type: 'heart_rate',
  measuredAt: at,
  value: Math.round(clamp(perMinute, 30, 200)),
  ...(deviceStatus?.length ? { deviceStatus } : {}),
});

export const temperature = (at: Date, celsius: number): SimMeasurement => ({
  type: 'body_temperature',
  measuredAt: at,
  value: roundTo(clamp(celsius, 34, 42), 1),
});

const WEEKEND = new Set([0, 6]);

/**
 * Minutes after local midnight of a habitual measurement: the patient's habit, jittered from
 * day to day, later at weekends (people sleep in), kept between 05:00 and 23:00.
 */
export function habitMinute(rng: Rng, habit: number, weekday: number, jitterSd = 15): number {
  const weekend = WEEKEND.has(weekday) ? 40 : 0;
  return clamp(habit + weekend + rng.normal(0, jitterSd), 5 * 60, 23 * 60);
}

/**
 * Days on which a forgetful patient measures nothing: a two-state Markov chain (remembering,
 * forgetting), so missed days come in spells rather than scattered. The share of missed days
 * is pForget / (pForget + pResume); a spell lasts 1 / pResume days on average.
 */
export function forgetfulDays(rng: Rng, days: number, pForget: number, pResume: number): boolean[] {
  const out: boolean[] = [];
  let forgetting = false;
  for (let i = 0; i < days; i++) {
    forgetting = forgetting ? !rng.chance(pResume) : rng.chance(pForget);
    out.push(forgetting);
  }
  return out;
}

/**
 * A slow wander around zero (Ornstein-Uhlenbeck, one step a day) with stationary SD `sd` and
 * a memory of about `tauDays`: appetite, activity, diuretic adjustments; drawn once per
 * patient so that any day's value is the same whatever window is asked for.
 */
export function slowDrift(rng: Rng, days: number, sd: number, tauDays: number): number[] {
  const keep = Math.exp(-1 / tauDays);
  const step = sd * Math.sqrt(1 - keep * keep);
  const out: number[] = [];
  let x = rng.normal(0, sd);
  for (let i = 0; i < days; i++) {
    out.push(x);
    x = keep * x + rng.normal(0, step);
  }
  return out;
}

// Deteriorations over time: when episodes happen (a renewal process at a yearly rate), how
// long they build up and resolve, and how strongly they pull each signal. Times are in days
// since the simulation's start (fractional: 7.5 is noon on day 7). Sources for every figure:
// docs/simulation.md ("Episodes"); tags [V]/[M]/[U] and citations in docs/clinical-evidence.md.
import type { Episode } from './types.js';
import { clamp, Rng } from './random.js';
import type { LocalCalendar } from './localCalendar.js';

/** How much an episode moves each signal at its peak (signs as the physiology goes). */
export interface EpisodeEffects {
  weightKg: number;
  pulse: number;
  spo2: number;
  systolic: number;
  temperature: number;
}

/** An episode as the physiology uses it: day-index times and effects at the peak. */
export interface EpisodeCourse {
  kind: Episode['kind'];
  start: number;
  peak: number;
  end: number;
  /** Admitted at the peak: no home measurements until the start of this day. */
  hospitalisedUntil?: number;
  effects: EpisodeEffects;
}

/**
 * How far along an episode is at time `t`: 0 before the start, rising convexly to 1 at the
 * peak (fluid and symptoms accumulate faster in the last days before admission: Chaudhry et
 * al., Circulation 2007 [M]), then a smooth fall back to 0 at the end (treatment).
 */
export function intensity(e: EpisodeCourse, t: number): number {
  if (t <= e.start || t >= e.end) return 0;
  if (t <= e.peak) return ((t - e.start) / (e.peak - e.start)) ** 2;
  return 0.5 * (1 + Math.cos((Math.PI * (t - e.peak)) / (e.end - e.peak)));
}

/** The summed effect of all episodes on one signal at time `t`. */
export function effectAt(
  episodes: readonly EpisodeCourse[],
  t: number,
  signal: keyof EpisodeEffects,
): number {
  let sum = 0;
  for (const e of episodes) {
    if (t > e.start && t < e.end) sum += intensity(e, t) * e.effects[signal];
  }
  return sum;
}

/** In hospital at time `t` (admitted at the peak, home again on day `hospitalisedUntil`). */
export const hospitalisedAt = (episodes: readonly EpisodeCourse[], t: number): boolean =>
  episodes.some((e) => e.hospitalisedUntil !== undefined && t >= e.peak && t < e.hospitalisedUntil);

/**
 * Weight a heart-failure decompensation adds by its peak (kg). TEN-HMS (Zhang et al., Eur J
 * Heart Fail 2009 [V]): +0.9 +/- 2.1 kg over the 14 days before a worsening-HF admission (vs
 * -0.2 +/- 1.1 kg before other admissions), and many episodes show little or no gain (Zhang
 * 2009; Gyllensten 2016: weight alone did not predict events [V]). Modelled as a mixture:
 * 35 % "dry" episodes around 0 kg (SD 0.3), 65 % log-normal (median 1.4 kg, log-SD 0.9,
 * mean 2.1 kg), capped at 10 kg: mean 1.4 kg, SD 2.3 kg at the peak. Because part of the gain
 * builds up more than 14 days before the peak and the last weighing comes before it, the
 * simulated 14-day change before the peak comes out near TEN-HMS's (`npm run evaluate` prints
 * both).
 */
export function decompensationGainKg(rng: Rng): number {
  const dry = rng.chance(0.35);
  const small = rng.normal(0, 0.3);
  const large = rng.logNormal(1.4, 0.9);
  return dry ? small : Math.min(10, large);
}

export interface EpisodeRates {
  /** Heart-failure decompensations per patient-year. */
  decompensation: number;
  /** Infections (non-HF deteriorations) per patient-year. */
  infection: number;
  /** COPD exacerbations per patient-year. */
  exacerbation: number;
}

/** One episode of `kind` with onset at `start`: its time course and effects. */
function course(kind: Episode['kind'], start: number, rng: Rng): EpisodeCourse {
  switch (kind) {
    case 'decompensation': {
      // Build-up 4-28 days, median 12 (weight rises from ~1-4 weeks before admission:
      // Chaudhry 2007 [M]; thoracic impedance falls ~2 weeks before: Yu et al., Circulation
      // 2005 [M]). Treatment resolves it over 5-14 days; about half are admitted [U], staying
      // 3-9 days (Swedish HF registry median stay ~5-6 days [M]).
      const buildUp = clamp(rng.logNormal(12, 0.45), 4, 28);
      const recovery = rng.uniform(5, 14);
      const peak = start + buildUp;
      const admitted = rng.chance(0.5);
      const stay = rng.int(3, 9);
      return {
        kind,
        start,
        peak,
        end: peak + recovery,
        ...(admitted ? { hospitalisedUntil: Math.floor(peak) + stay } : {}),
        effects: {
          weightKg: decompensationGainKg(rng),
          // Resting pulse and systolic pressure carry as much signal as weight (EHJ Digital
          // Health 2023;4:455: heart-rate PPV 92 % [V]); magnitudes not published [U].
          pulse: rng.clampedNormal(8, 5, 0, 25),
          spo2: -rng.clampedNormal(2, 1.2, 0, 6),
          systolic: rng.normal(-5, 8),
          temperature: 0,
        },
      };
    }
    case 'infection': {
      // A respiratory or urinary infection: days to peak, a week to settle [M]; fever, a faster
      // pulse, lower SpO2, a little weight lost from poor intake. Not an HF event: TEN-HMS had
      // more admissions for other reasons than for worsening HF (76 vs 45; Zhang 2009 [V]).
      const peak = start + rng.uniform(2, 4);
      return {
        kind,
        start,
        peak,
        end: peak + rng.uniform(4, 8),
        effects: {
          weightKg: -rng.clampedNormal(0.6, 0.4, 0, 2),
          pulse: rng.clampedNormal(10, 4, 2, 25),
          spo2: -rng.clampedNormal(1.5, 1, 0, 5),
          systolic: rng.normal(-5, 5),
          temperature: rng.clampedNormal(1.0, 0.4, 0.2, 2.5),
        },
      };
    }
    case 'exacerbation': {
      // COPD exacerbation: a few days to peak, recovery of symptoms over 1-2 weeks (Seemungal
      // et al., AJRCCM 2000: median 7 days [M]); SpO2 falls, pulse rises, fever in some [M].
      const peak = start + rng.uniform(2, 5);
      return {
        kind,
        start,
        peak,
        end: peak + rng.uniform(7, 14),
        effects: {
          weightKg: 0,
          pulse: rng.clampedNormal(10, 4, 2, 25),
          spo2: -rng.clampedNormal(3, 1.5, 1, 8),
          systolic: rng.normal(0, 5),
          temperature: rng.chance(0.4) ? rng.clampedNormal(0.8, 0.3, 0.2, 2) : 0,
        },
      };
    }
  }
}

/**
 * A severe COPD exacerbation peaking at `peak` (a scenario's `acute` event, simulators/scenario):
 * breathlessness building over a day and a half, SpO2 down 9-12 points and the pulse up 20-35 at
 * the peak, recovery at home over ten days. Severe on purpose (design proposal [U], for demos and
 * tests that need an urgent finding at a known time): at the peak a patient on scale 2 (88-92 %)
 * is under 84 %, which the rules call urgent.
 */
export function acuteExacerbation(peak: number, rng: Rng): EpisodeCourse {
  return {
    kind: 'exacerbation',
    start: peak - 1.5,
    peak,
    end: peak + 10,
    effects: {
      weightKg: 0,
      pulse: rng.clampedNormal(28, 4, 20, 35),
      spo2: -rng.clampedNormal(10.5, 0.8, 9, 12),
      systolic: 0,
      temperature: rng.clampedNormal(0.8, 0.3, 0.3, 1.5),
    },
  };
}

const YEAR_DAYS = 365.25;

/** The same course moved to start at `start`. */
function shift(c: EpisodeCourse, start: number): EpisodeCourse {
  const by = start - c.start;
  return {
    ...c,
    start,
    peak: c.peak + by,
    end: c.end + by,
    ...(c.hospitalisedUntil !== undefined
      ? { hospitalisedUntil: Math.floor(c.peak + by) + (c.hospitalisedUntil - Math.floor(c.peak)) }
      : {}),
  };
}

/**
 * Episodes over `days` days: for each kind, a renewal process at its yearly rate (exponential
 * gaps), no onset before `quietDays` (a baseline for the detectors to learn from), and none
 * overlapping another (a new one waits 14 days after the last one ended). With `atLeastOne`,
 * a patient without a decompensation in the span gets one at a uniformly drawn onset.
 */
export function drawEpisodes(
  rng: Rng,
  rates: EpisodeRates,
  days: number,
  quietDays: number,
  atLeastOne: boolean,
  /** Every decompensation adds this weight instead of a drawn one (what-if cohorts). */
  fixedGainKg?: number,
): EpisodeCourse[] {
  const out: EpisodeCourse[] = [];
  const free = (c: EpisodeCourse) => out.every((e) => c.start > e.end + 14 || c.end + 14 < e.start);
  for (const kind of ['decompensation', 'infection', 'exacerbation'] as const) {
    const rate = rates[kind];
    if (rate <= 0) continue;
    let t = quietDays;
    for (;;) {
      t += rng.exponential(YEAR_DAYS / rate);
      const c = course(kind, t, rng);
      if (c.peak >= days) break;
      if (free(c)) out.push(c);
      t = c.end;
    }
  }
  if (atLeastOne && !out.some((e) => e.kind === 'decompensation')) {
    // draw the course first, then an onset that lets its peak fall inside the span (short
    // spans, such as a demo's week, need a short build-up: redraw a few times)
    for (let attempt = 0; attempt < 20; attempt++) {
      const c = course('decompensation', 0, rng);
      const latest = days - c.peak - 0.5;
      if (latest < quietDays) continue;
      const onset = rng.uniform(quietDays, latest);
      const shifted = shift(c, onset);
      if (free(shifted)) {
        out.push(shifted);
        break;
      }
    }
  }
  const fixed = (c: EpisodeCourse): EpisodeCourse =>
    fixedGainKg !== undefined && c.kind === 'decompensation'
      ? { ...c, effects: { ...c.effects, weightKg: fixedGainKg } }
      : c;
  return out.map(fixed).sort((a, b) => a.start - b.start);
}

/** Ground-truth episodes (dates) from day-index courses. */
export function toEpisodes(courses: readonly EpisodeCourse[], cal: LocalCalendar): Episode[] {
  const when = (t: number) => cal.at(Math.floor(t), (t - Math.floor(t)) * 1440);
  return courses.map((c) => ({
    kind: c.kind,
    start: when(c.start),
    peak: when(c.peak),
    end: when(c.end),
    weightGainKg: Math.round(c.effects.weightKg * 100) / 100,
    ...(c.hospitalisedUntil !== undefined
      ? { hospitalisedUntil: cal.at(c.hospitalisedUntil, 0) }
      : {}),
  }));
}

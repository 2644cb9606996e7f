// A virtual patient assembled from a profile's day generator. Each day's measurements come
// from a PRNG seeded by (seed, profile, day index) alone, and everything that carries over
// from day to day (slow drift, episodes, forgetful spells) is drawn once when the patient is
// created; so `measurements(from, to)` gives the same readings for the same seed whatever
// window is asked for, in whatever order.
import type { EpisodeCourse } from './episodes.js';
import { toEpisodes } from './episodes.js';
import type { LocalCalendar } from './localCalendar.js';
import { Rng } from './random.js';
import type { ProfileName, SimMeasurement, VirtualPatient } from './types.js';

/** One simulated day as a profile sees it. */
export interface SimDay {
  /** Days since the simulation's start (day 0 is the local date of `start`). */
  index: number;
  /** 0 = Sunday ... 6 = Saturday. */
  weekday: number;
  /** This day's own random stream. */
  rng: Rng;
  /** The instant of local time `minutes` after midnight on this day. */
  at(minutes: number): Date;
}

/** What a profile gives the assembly. */
export interface ProfileModel {
  courses: EpisodeCourse[];
  suggestedPlan: Record<string, unknown>;
  /** The day's measurements, in any order. */
  day(d: SimDay): SimMeasurement[];
}

export interface PatientSpan {
  seed: number;
  start: Date;
  days: number;
}

const byTime = (a: SimMeasurement, b: SimMeasurement) =>
  a.measuredAt.getTime() - b.measuredAt.getTime();

export function assemble(
  profile: ProfileName,
  span: PatientSpan,
  cal: LocalCalendar,
  model: ProfileModel,
): VirtualPatient {
  const startMs = span.start.getTime();
  const endMs = cal.midnight(span.days).getTime();
  const truth = {
    profile,
    seed: span.seed,
    episodes: toEpisodes(model.courses, cal),
  };
  const dayOf = (index: number): SimMeasurement[] =>
    model.day({
      index,
      weekday: cal.weekday(index),
      rng: Rng.of(span.seed, profile, 'day', index),
      at: (minutes) => cal.at(index, minutes),
    });
  return {
    profile,
    seed: span.seed,
    truth,
    suggestedPlan: model.suggestedPlan,
    measurements(from, to) {
      const lo = Math.max(startMs, from.getTime());
      const hi = Math.min(endMs, to.getTime());
      if (hi <= lo) return [];
      const first = Math.max(0, cal.approxIndex(new Date(lo)) - 1);
      const last = Math.min(span.days - 1, cal.approxIndex(new Date(hi)) + 1);
      const out: SimMeasurement[] = [];
      for (let i = first; i <= last; i++) {
        for (const m of dayOf(i)) {
          const t = m.measuredAt.getTime();
          if (t >= lo && t < hi) out.push(m);
        }
      }
      return out.sort(byTime);
    },
  };
}

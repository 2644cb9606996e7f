// Hypertension measured at home as the ESH protocol asks: two readings a minute apart, morning
// and evening (Stergiou et al., J Hypertens 2021 [M]). What makes home readings differ from
// the true pressure: day-to-day variability, reading noise, a morning surge, an alerting
// reaction on the first reading of a session and a "white-coat" rise on the first days of home
// monitoring (why the protocol discards day 1), and now and then a loose cuff. Sources:
// docs/simulation.md ("Hypertension").
import { bloodPressure, habitMinute, slowDrift } from './measure.js';
import { clamp, Rng } from './random.js';
import type { SimMeasurement } from './types.js';
import type { PatientSpan, ProfileModel, SimDay } from './virtualPatient.js';

export function hypertensionModel(span: PatientSpan): ProfileModel {
  const name = 'hypertension';
  const rng = Rng.of(span.seed, name, 'baseline');
  const base = {
    // Treated but not at target: home average above 135/85 (ESH 2023 home threshold [M]).
    systolic: rng.clampedNormal(142, 10, 125, 175),
    diastolic: rng.clampedNormal(86, 7, 70, 105),
    pulse: rng.clampedNormal(72, 8, 55, 95),
    // First reading of a session higher (alerting reaction) [M].
    firstReadingRise: rng.uniform(3, 8),
    // White-coat rise on the first days at home, fading over ~2 days [M].
    whiteCoat: rng.uniform(5, 15),
    morningHabit: clamp(rng.normal(7 * 60 + 30, 40), 6 * 60, 10 * 60),
    eveningHabit: clamp(rng.normal(21 * 60, 40), 19 * 60, 22 * 60 + 30),
  };
  // Treatment changes and seasons move the true pressure slowly (~3 mmHg SD, a month) [U].
  const drift = slowDrift(Rng.of(span.seed, name, 'drift'), span.days, 3, 30);

  function day(d: SimDay): SimMeasurement[] {
    const r = d.rng;
    const out: SimMeasurement[] = [];
    const whiteCoat = base.whiteCoat * Math.exp(-d.index / 2);
    // Day-to-day variability of home pressure: SD ~6/4 mmHg [M].
    const daySys = base.systolic + (drift[d.index] ?? 0) + whiteCoat + r.normal(0, 6);
    const dayDia = base.diastolic + 0.5 * (drift[d.index] ?? 0) + 0.6 * whiteCoat + r.normal(0, 4);
    const sessions = [
      // Morning surge: morning readings ~5/3 mmHg above evening ones [M].
      { habit: base.morningHabit, surge: 5, missed: r.chance(0.04) },
      { habit: base.eveningHabit, surge: 0, missed: r.chance(0.08) },
    ];
    for (const s of sessions) {
      const minute = habitMinute(r, s.habit, d.weekday, 20);
      for (let k = 0; k < 2; k++) {
        const alerting = k === 0 ? base.firstReadingRise : 0;
        // A loose cuff over-reads and the cuff says so (~1.5 % of readings) [U].
        const loose = r.chance(0.015);
        const sys = daySys + s.surge + alerting + r.normal(0, 4) + (loose ? r.uniform(5, 15) : 0);
        const dia = dayDia + 0.6 * s.surge + 0.5 * alerting + r.normal(0, 3);
        const pulse = base.pulse + (k === 0 ? 2 : 0) + r.normal(0, 4);
        if (s.missed) continue;
        out.push(
          bloodPressure(d.at(minute + k), sys, dia, pulse, loose ? ['cuff_too_loose'] : undefined),
        );
      }
    }
    return out;
  }

  return {
    courses: [],
    suggestedPlan: {
      timeZone: 'Europe/Stockholm',
      // Averages judged over the week, as the HBPM protocol does; defaults 135/85 (ESH 2023).
      measurements: [{ type: 'blood_pressure', everyDays: 1, dueBy: '10:00', graceHours: 12 }],
      bloodPressure: { averageDays: 7, minReadings: 12 },
    },
    day,
  };
}

// Permanent atrial fibrillation, rate-controlled: the pulse a cuff or oximeter shows is an
// average over an irregular rhythm, so it jumps from reading to reading far more than in sinus
// rhythm, and the blood-pressure monitor sets its irregular-pulse flag on most readings
// (home monitors with AF detection flag ~90 % of AF readings [M]). Lenient rate control aims
// at a resting rate under 110/min (RACE II [M], docs/clinical-evidence.md section 7). Sources:
// docs/simulation.md ("Atrial fibrillation").
import { bloodPressure, habitMinute, heartRate, oxygenSaturation } from './measure.js';
import { clamp, Rng } from './random.js';
import type { SimMeasurement } from './types.js';
import type { PatientSpan, ProfileModel, SimDay } from './virtualPatient.js';

export function atrialFibrillationModel(span: PatientSpan): ProfileModel {
  const name = 'atrial-fibrillation';
  const rng = Rng.of(span.seed, name, 'baseline');
  const base = {
    rate: rng.clampedNormal(82, 10, 60, 105),
    systolic: rng.clampedNormal(132, 12, 105, 165),
    diastolic: rng.clampedNormal(80, 8, 60, 100),
    spo2: rng.uniform(94, 98),
    // Share of readings the monitor flags as irregular [M].
    flagged: rng.uniform(0.85, 0.95),
    morningHabit: clamp(rng.normal(7 * 60 + 45, 40), 6 * 60, 10 * 60),
    eveningHabit: clamp(rng.normal(20 * 60 + 30, 40), 18 * 60 + 30, 22 * 60 + 30),
  };

  function day(d: SimDay): SimMeasurement[] {
    const r = d.rng;
    // The day's mean ventricular rate moves ~6/min (activity, dose timing) [U]; each reading
    // adds ~10/min of beat-to-beat irregularity [U].
    const dayRate = base.rate + r.normal(0, 6);
    const out: SimMeasurement[] = [];
    for (const habit of [base.morningHabit, base.eveningHabit]) {
      const minute = habitMinute(r, habit, d.weekday, 20);
      const missed = r.chance(0.05);
      // Oscillometric readings are less precise in AF: SD ~9/6 mmHg [M].
      const sys = base.systolic + r.normal(0, 9);
      const dia = base.diastolic + r.normal(0, 6);
      const pulse = dayRate + r.normal(0, 10);
      const flag = r.chance(base.flagged);
      if (missed) continue;
      out.push(
        bloodPressure(d.at(minute), sys, dia, pulse, flag ? ['irregular_pulse'] : undefined),
      );
    }
    const oxMinute = habitMinute(r, base.morningHabit + 10, d.weekday, 20);
    const spo2 = base.spo2 + r.normal(0, 0.8);
    const oxRate = dayRate + r.normal(0, 10);
    if (!r.chance(0.05)) {
      out.push(oxygenSaturation(d.at(oxMinute), spo2), heartRate(d.at(oxMinute), oxRate));
    }
    return out;
  }

  return {
    courses: [],
    suggestedPlan: {
      timeZone: 'Europe/Stockholm',
      measurements: [
        { type: 'blood_pressure', everyDays: 1, dueBy: '10:00', graceHours: 8 },
        { type: 'heart_rate', everyDays: 1, dueBy: '10:00', graceHours: 8 },
      ],
      // Reading-to-reading pulse swings of ~10/min are the rhythm, not a change: a wider floor
      // for the personal pulse detector (design choice [U]).
      personal: { pulse: { sdFloor: 8 } },
    },
    day,
  };
}

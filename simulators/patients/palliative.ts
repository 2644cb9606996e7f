// A palliative patient at home, measured when the home-care nurse visits: about twice a week,
// late morning, and not every visit (the patient may be too tired). The course is a slow
// decline (weight lost to cachexia, SpO2 falling, pulse rising, pressure falling) rather than
// episodes. Sources: docs/simulation.md ("Palliative").
import { bloodPressure, heartRate, oxygenSaturation, temperature, weighing } from './measure.js';
import { clamp, Rng } from './random.js';
import type { SimMeasurement } from './types.js';
import type { PatientSpan, ProfileModel, SimDay } from './virtualPatient.js';

/** Visit weekdays (Tuesday, Friday). */
const VISIT_DAYS = new Set([2, 5]);

export function palliativeModel(span: PatientSpan): ProfileModel {
  const name = 'palliative';
  const rng = Rng.of(span.seed, name, 'baseline');
  const base = {
    weightKg: rng.clampedNormal(62, 10, 38, 95),
    // Cachexia: 0.5-1.5 kg a month [M].
    weightLossPerDay: rng.uniform(0.5, 1.5) / 30,
    spo2: rng.uniform(92, 96),
    spo2LossPerDay: rng.uniform(0.2, 0.6) / 30,
    pulse: rng.clampedNormal(84, 10, 60, 105),
    pulseRisePerDay: rng.uniform(0.5, 2) / 30,
    systolic: rng.clampedNormal(112, 12, 90, 140),
    systolicLossPerDay: rng.uniform(1, 3) / 30,
    temperature: rng.clampedNormal(36.7, 0.25, 36.1, 37.3),
  };

  function day(d: SimDay): SimMeasurement[] {
    const r = d.rng;
    const visit = VISIT_DAYS.has(d.weekday);
    // 1 visit in 5 without measurements: too tired, asleep, other priorities [U].
    const measured = r.chance(0.8);
    const minute = clamp(r.normal(11 * 60, 60), 8 * 60, 16 * 60);
    const n = d.index;
    const spo2 = base.spo2 - base.spo2LossPerDay * n + r.normal(0, 1);
    const pulse = base.pulse + base.pulseRisePerDay * n + r.normal(0, 5);
    const sys = base.systolic - base.systolicLossPerDay * n + r.normal(0, 8);
    const dia = 0.6 * sys + r.normal(0, 5);
    const temp = base.temperature + r.normal(0, 0.25);
    // Weighed on about one visit in four: getting on a scale is a burden [U].
    const weigh = r.chance(0.25);
    const kg = base.weightKg - base.weightLossPerDay * n + r.normal(0, 0.4);
    if (!visit || !measured) return [];
    const at = d.at(minute);
    const out = [
      oxygenSaturation(at, spo2),
      heartRate(at, pulse),
      bloodPressure(d.at(minute + 4), sys, dia, pulse + r.normal(0, 2)),
      temperature(d.at(minute + 7), temp),
    ];
    if (weigh) out.push(weighing(d.at(minute + 10), kg));
    return out;
  }

  return {
    courses: [],
    suggestedPlan: {
      timeZone: 'Europe/Stockholm',
      measurements: [
        { type: 'spo2', everyDays: 7, dueBy: '16:00', graceHours: 48 },
        { type: 'blood_pressure', everyDays: 7, dueBy: '16:00', graceHours: 48 },
      ],
      // Comfort-focused care: page for what changes care, not for the expected decline
      // (design choice [U], for the palliative team to confirm).
      vitals: { spo2: { contactBelow: 88, urgentBelow: 85 } },
    },
    day,
  };
}

import { describe, expect, it } from 'vitest';
import { localFields } from '../../../devices/gatt/datetime.js';
import { patientPlanSchema, resolvePlan, type PatientPlan } from '../../../server/plans/plan.js';
import { replayAlerts } from '../../../server/rules/replay.js';
import { toRuleReadings } from '../../../simulators/evaluate/ruleReadings.js';
import {
  createPatient,
  profileNames,
  type ProfileName,
  type SimMeasurement,
  type VirtualPatient,
} from '../../../simulators/patients/index.js';

const DAY = 86_400_000;
const START = new Date('2026-01-05T00:00:00+01:00');
const ALL = [new Date('2000-01-01'), new Date('2100-01-01')] as const;

const patient = (profile: ProfileName, seed: number, days = 180) =>
  createPatient(profile, { seed, start: START, days });
const all = (p: VirtualPatient) => p.measurements(...ALL);
const ofType = (ms: SimMeasurement[], type: SimMeasurement['type']) =>
  ms.filter((m) => m.type === type);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const localDay = (d: Date) => {
  const f = localFields(d.getTime(), 'Europe/Stockholm');
  return `${f.year}-${f.month}-${f.day}`;
};
const localHour = (d: Date) => {
  const f = localFields(d.getTime(), 'Europe/Stockholm');
  return f.hours + f.minutes / 60;
};

describe('a virtual patient is reproducible from its seed', () => {
  it('gives the same readings for the same seed, and other readings for another seed', () => {
    for (const profile of profileNames) {
      const a = all(patient(profile, 42, 60));
      const b = all(patient(profile, 42, 60));
      expect(a.length).toBeGreaterThan(0);
      expect(b).toEqual(a);
      expect(all(patient(profile, 43, 60))).not.toEqual(a);
    }
  });

  it('gives the same readings on the overlap of different windows, asked for in any order', () => {
    for (const profile of profileNames) {
      const p = patient(profile, 7, 90);
      const at = (day: number, hour: number) =>
        new Date(START.getTime() + day * DAY + hour * 3.6e6);
      const late = p.measurements(at(40, 0), at(70, 0));
      const early = p.measurements(at(10, 5.5), at(50, 0));
      const overlap = (ms: SimMeasurement[]) =>
        ms.filter((m) => m.measuredAt >= at(40, 0) && m.measuredAt < at(50, 0));
      expect(overlap(late).length).toBeGreaterThan(0);
      expect(overlap(early)).toEqual(overlap(late));
      // and a whole run is the union of consecutive windows
      const whole = p.measurements(at(0, 0), at(90, 0));
      const pieces = [0, 13, 29, 61].flatMap((d, i, ds) =>
        p.measurements(at(d, 0), at(ds[i + 1] ?? 90, 0)),
      );
      expect(pieces).toEqual(whole);
    }
  });

  it('also gives the same longer-span patient the same days (a longer run extends a shorter one)', () => {
    const short = all(patient('hf-stable', 5, 30));
    const long = all(patient('hf-stable', 5, 60)).filter(
      (m) => m.measuredAt.getTime() < START.getTime() + 29 * DAY,
    );
    expect(long).toEqual(short.filter((m) => m.measuredAt.getTime() < START.getTime() + 29 * DAY));
  });
});

describe('every profile suggests a valid patient plan', () => {
  it.each(profileNames)('%s: the plan parses and resolves, whatever the patient', (profile) => {
    // plans follow the patient's own normal (a slow pulse, a low pressure): try many patients
    for (let seed = 0; seed < 40; seed++) {
      const plan = patient(profile, seed, 30).suggestedPlan;
      const parsed = patientPlanSchema.parse(plan);
      const resolved = resolvePlan(parsed as PatientPlan);
      expect(resolved.timeZone).toBe('Europe/Stockholm');
      expect(resolved.measurements.length).toBeGreaterThan(0);
      expect(resolved.vitals.pulse.contactLow).toBeGreaterThan(resolved.vitals.pulse.urgentLow);
    }
  });

  it('COPD is judged on SpO2 scale 2; heart failure has a dry weight near the patient', () => {
    expect(patient('copd', 1).suggestedPlan.spo2Scale).toBe(2);
    const hf = patient('hf-stable', 1);
    const dry = resolvePlan(hf.suggestedPlan as PatientPlan).weight.dryWeightKg!;
    const weights = ofType(all(hf), 'body_weight').map((m) => m.value!);
    expect(Math.abs(mean(weights) - dry)).toBeLessThan(1.5);
  });
});

describe('blood pressure from every profile', () => {
  it('always reports the diastolic well below the systolic, as a cuff does', () => {
    for (const profile of profileNames) {
      for (const seed of [1, 2, 3]) {
        for (const m of ofType(all(patient(profile, seed, 365)), 'blood_pressure')) {
          expect(m.systolic! - m.diastolic!).toBeGreaterThanOrEqual(15);
        }
      }
    }
  });
});

describe('a stable heart-failure patient over a simulated year', () => {
  const seeds = [1, 2, 3, 4, 5];

  it('stays within physiological range, weighing in the local morning', () => {
    for (const seed of seeds) {
      const ms = all(patient('hf-stable', seed, 365));
      const weights = ofType(ms, 'body_weight').map((m) => m.value!);
      expect(weights.length).toBeGreaterThan(330);
      expect(Math.max(...weights) - Math.min(...weights)).toBeLessThan(8);
      for (const m of ofType(ms, 'blood_pressure')) {
        expect(m.systolic).toBeGreaterThanOrEqual(80);
        expect(m.systolic).toBeLessThanOrEqual(190);
        expect(m.diastolic).toBeLessThan(m.systolic!);
        expect(m.pulse).toBeGreaterThanOrEqual(45);
        expect(m.pulse).toBeLessThanOrEqual(120);
      }
      for (const m of ofType(ms, 'spo2')) expect(m.value).toBeGreaterThanOrEqual(85);
      // the first weighing of every day falls in the morning, in winter and summer time alike
      const firstOfDay = new Map<string, Date>();
      for (const m of ofType(ms, 'body_weight')) {
        const day = localDay(m.measuredAt);
        if (!firstOfDay.has(day)) firstOfDay.set(day, m.measuredAt);
      }
      for (const at of firstOfDay.values()) {
        expect(localHour(at)).toBeGreaterThanOrEqual(5);
        expect(localHour(at)).toBeLessThan(11.5);
      }
    }
  });

  it('shows day-to-day weight noise of a few hundred grams and a weekend bump', () => {
    const diffs: number[] = [];
    const byWeekday = Array.from({ length: 7 }, () => [] as number[]);
    for (const seed of seeds) {
      const ws = ofType(all(patient('hf-stable', seed, 365)), 'body_weight');
      const daily = new Map<string, number>();
      for (const m of ws)
        if (!daily.has(localDay(m.measuredAt))) daily.set(localDay(m.measuredAt), m.value!);
      const first = [...new Map(ws.map((m) => [localDay(m.measuredAt), m])).values()];
      const avg = mean([...daily.values()]);
      for (const m of first)
        byWeekday[m.measuredAt.getDay()]!.push(daily.get(localDay(m.measuredAt))! - avg);
      const days = [...daily.values()];
      for (let i = 1; i < days.length; i++) diffs.push(days[i]! - days[i - 1]!);
    }
    const sdOfDiff = Math.sqrt(mean(diffs.map((d) => d * d)));
    // noise 0.3-0.5 kg SD per day gives 0.42-0.71 kg SD of a day-to-day difference
    expect(sdOfDiff).toBeGreaterThan(0.4);
    expect(sdOfDiff).toBeLessThan(0.9);
    // Monday mornings heavier than Friday mornings (weekend salt and fluids)
    expect(mean(byWeekday[1]!)).toBeGreaterThan(mean(byWeekday[5]!) + 0.15);
  });

  it('does not set off a storm of rule-of-thumb weight-gain alerts', () => {
    const perYear = seeds.map((seed) => {
      const p = patient('hf-stable', seed, 365);
      const plan = resolvePlan(p.suggestedPlan as PatientPlan);
      const { byRule } = replayAlerts(toRuleReadings(`p${seed}`, all(p)), plan, START);
      return (byRule['weight.gain_1d'] ?? 0) + (byRule['weight.gain_3d'] ?? 0);
    });
    // a handful a year from scale noise, drift and weighing in clothes, not one a week; a
    // noisy patient (0.5 kg SD) may reach about one a month
    for (const n of perYear) expect(n).toBeLessThanOrEqual(15);
    expect(mean(perYear)).toBeLessThanOrEqual(10);
  });
});

describe('a decompensating heart-failure patient', () => {
  const cohort = Array.from({ length: 40 }, (_, i) => patient('hf-decompensating', 100 + i, 180));

  it('has at least one decompensation in the ground truth, with start before peak before end', () => {
    for (const p of cohort) {
      const eps = p.truth.episodes.filter((e) => e.kind === 'decompensation');
      expect(eps.length).toBeGreaterThanOrEqual(1);
      for (const e of eps) {
        expect(e.start.getTime()).toBeLessThan(e.peak.getTime());
        expect(e.peak.getTime()).toBeLessThan(e.end.getTime());
      }
    }
  });

  it('gains weight, pulse and loses SpO2 towards the peak, and recovers after treatment', () => {
    const rows: Array<{ gain: number; dw: number; dp: number; ds: number; after: number }> = [];
    for (const p of cohort) {
      const ms = all(p);
      const e = p.truth.episodes.find((x) => x.kind === 'decompensation')!;
      const during = (
        type: SimMeasurement['type'],
        from: number,
        to: number,
        pick = (m: SimMeasurement) => m.value!,
      ) =>
        ms
          .filter(
            (m) => m.type === type && m.measuredAt.getTime() >= from && m.measuredAt.getTime() < to,
          )
          .map(pick);
      const s = e.start.getTime();
      const pk = e.peak.getTime();
      const before = [s - 14 * DAY, s] as const;
      const nearPeak = [pk - 2.5 * DAY, pk] as const;
      const afterEnd = [e.end.getTime(), e.end.getTime() + 10 * DAY] as const;
      const w0 = during('body_weight', ...before);
      const w1 = during('body_weight', ...nearPeak);
      const w2 = during('body_weight', ...afterEnd);
      const pulse = (r: readonly [number, number]) =>
        during('blood_pressure', ...r, (m) => m.pulse!);
      const sat = (r: readonly [number, number]) => during('spo2', ...r);
      if (!w0.length || !w1.length || !w2.length) continue;
      rows.push({
        gain: e.weightGainKg,
        dw: mean(w1) - mean(w0),
        dp: mean(pulse(nearPeak)) - mean(pulse(before)),
        ds: mean(sat(nearPeak)) - mean(sat(before)),
        after: mean(w2) - mean(w0),
      });
    }
    expect(rows.length).toBeGreaterThan(25);
    // the weight the truth says the episode adds shows on the scale by the peak (most of it:
    // the last weighings come a day or two before the peak itself)
    expect(mean(rows.map((r) => r.dw))).toBeGreaterThan(0.45 * mean(rows.map((r) => r.gain)));
    const big = rows.filter((r) => r.gain > 2);
    expect(big.length).toBeGreaterThan(3);
    for (const r of big) expect(r.dw).toBeGreaterThan(1);
    // and many episodes add little or nothing (TEN-HMS)
    expect(rows.filter((r) => r.gain < 0.5).length).toBeGreaterThan(rows.length / 5);
    expect(mean(rows.map((r) => r.dp))).toBeGreaterThan(3);
    expect(mean(rows.map((r) => r.ds))).toBeLessThan(-0.8);
    // after treatment the weight is back near where it was
    expect(Math.abs(mean(rows.map((r) => r.after)))).toBeLessThan(0.5);
  });

  it('measures nothing at home while admitted to hospital', () => {
    const admitted = cohort.flatMap((p) =>
      p.truth.episodes.filter((e) => e.hospitalisedUntil).map((e) => ({ p, e })),
    );
    expect(admitted.length).toBeGreaterThan(5);
    for (const { p, e } of admitted) {
      expect(p.measurements(e.peak, e.hospitalisedUntil!)).toEqual([]);
    }
  });
});

describe('the other profiles', () => {
  it('COPD: SpO2 stays mostly in the 88-92 % target band', () => {
    for (const seed of [1, 2, 3]) {
      const sats = ofType(all(patient('copd', seed, 180)), 'spo2').map((m) => m.value!);
      const inBand = sats.filter((v) => v >= 88 && v <= 92).length / sats.length;
      expect(inBand).toBeGreaterThan(0.75);
    }
  });

  it('COPD: an acute exacerbation takes SpO2 under 84 % and the pulse up at its peak, when the patient measures', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const peak = new Date(START.getTime() + 40.3 * DAY + 1234);
      const plain = patient('copd', seed, 60);
      const ill = createPatient('copd', { seed, start: START, days: 60, acute: [peak] });
      // a true episode, peaking then
      const episode = ill.truth.episodes.find((e) => e.peak.getTime() === peak.getTime() - 234);
      expect(episode?.kind).toBe('exacerbation');
      // the spot check at the peak (whole seconds, as devices report)
      const at = ill
        .measurements(...ALL)
        .filter((m) => m.measuredAt.getTime() === peak.getTime() - 234);
      expect(at.map((m) => m.type).sort()).toEqual(['heart_rate', 'spo2']);
      const spo2 = at.find((m) => m.type === 'spo2')!.value!;
      const pulse = at.find((m) => m.type === 'heart_rate')!.value!;
      expect(spo2).toBeLessThan(84);
      const usual = mean(
        ofType(plain.measurements(START, peak), 'heart_rate').map((m) => m.value!),
      );
      expect(pulse - usual).toBeGreaterThan(12);
      // before the exacerbation nothing changed: the acute draws have streams of their own
      const before = new Date(peak.getTime() - 2 * DAY);
      expect(ill.measurements(START, before)).toEqual(plain.measurements(START, before));
    }
    expect(() =>
      createPatient('hf-stable', { seed: 1, start: START, days: 30, acute: [START] }),
    ).toThrow('an acute exacerbation is modelled for copd, not hf-stable');
  });

  it('frail and forgetful: misses days, in spells rather than one at a time', () => {
    let missed = 0;
    let spells = 0;
    let days = 0;
    for (const seed of [1, 2, 3, 4]) {
      const measuredDays = new Set(
        all(patient('frail-forgetful', seed, 180)).map((m) => localDay(m.measuredAt)),
      );
      let previousMissed = false;
      for (let i = 0; i < 180; i++) {
        const miss = !measuredDays.has(localDay(new Date(START.getTime() + i * DAY + 12 * 3.6e6)));
        if (miss) missed++;
        if (miss && !previousMissed) spells++;
        previousMissed = miss;
        days++;
      }
    }
    expect(missed / days).toBeGreaterThan(0.12);
    expect(missed / days).toBeLessThan(0.45);
    // independent misses at this rate would give spells of ~1.3 days
    expect(missed / spells).toBeGreaterThan(2);
  });

  it('palliative: measured on at most two days a week', () => {
    const ms = all(patient('palliative', 3, 182));
    const measuredDays = new Set(ms.map((m) => localDay(m.measuredAt)));
    expect(measuredDays.size).toBeGreaterThan(20);
    expect(measuredDays.size).toBeLessThanOrEqual(2 * 26);
  });

  it('atrial fibrillation: the pulse jumps between readings and the cuff flags it irregular', () => {
    const bp = ofType(all(patient('atrial-fibrillation', 4, 90)), 'blood_pressure');
    const flagged = bp.filter((m) => m.deviceStatus?.includes('irregular_pulse')).length;
    expect(flagged / bp.length).toBeGreaterThan(0.8);
    const pulses = bp.map((m) => m.pulse!);
    const steps = pulses.slice(1).map((v, i) => Math.abs(v - pulses[i]!));
    expect(mean(steps)).toBeGreaterThan(8);
    const sinus = ofType(all(patient('hf-stable', 4, 90)), 'blood_pressure').map((m) => m.pulse!);
    const sinusSteps = sinus.slice(1).map((v, i) => Math.abs(v - sinus[i]!));
    expect(mean(steps)).toBeGreaterThan(2 * mean(sinusSteps));
  });

  it('hypertension: two readings morning and evening, the first of a session higher', () => {
    const bp = ofType(all(patient('hypertension', 8, 60)), 'blood_pressure');
    const hours = bp.map((m) => localHour(m.measuredAt));
    expect(hours.filter((h) => h < 12).length).toBeGreaterThan(100);
    expect(hours.filter((h) => h >= 17).length).toBeGreaterThan(90);
    const firsts: number[] = [];
    const seconds: number[] = [];
    for (let i = 1; i < bp.length; i++) {
      const gap = bp[i]!.measuredAt.getTime() - bp[i - 1]!.measuredAt.getTime();
      if (gap === 60_000) {
        firsts.push(bp[i - 1]!.systolic!);
        seconds.push(bp[i]!.systolic!);
      }
    }
    expect(firsts.length).toBeGreaterThan(80);
    expect(mean(firsts)).toBeGreaterThan(mean(seconds) + 1.5);
    // white-coat rise on the first days of home monitoring
    const firstDays = bp.filter((m) => m.measuredAt.getTime() < START.getTime() + 2 * DAY);
    const later = bp.filter((m) => m.measuredAt.getTime() > START.getTime() + 14 * DAY);
    expect(mean(firstDays.map((m) => m.systolic!))).toBeGreaterThan(
      mean(later.map((m) => m.systolic!)),
    );
  });
});

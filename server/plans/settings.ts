// What a care team can set per patient for each rule, and the defaults every patient starts
// from. Each default names its source; the rules (server/rules/) judge with the settings a plan
// resolves to (plan.ts), and a finding says whether it used a default or the patient's own value.
import { z } from 'zod';
import { readingTypes } from '../../devices/contract.js';

// Absolute thresholds for single vital signs (server/rules/vitals.ts).

export const vitalThresholdsSchema = z.object({
  pulse: z.object({
    /** ≤ urgentLow or > urgentHigh: urgent. NEWS2 scores ≤40 and ≥131 as 3 (RCP 2017). */
    urgentLow: z.number(),
    urgentHigh: z.number(),
    /** ≤ contactLow or > contactHigh: contact. NEWS2 41-50 and 111-130 (RCP 2017); β-blocker bradycardia <50 (ESC HF). */
    contactLow: z.number(),
    contactHigh: z.number(),
  }),
  spo2: z.object({
    /** Below this: urgent. References: under 88 % on air (scale 1). */
    urgentBelow: z.number(),
    /** Below this: contact the same day. References: under 92 % on air (scale 1). */
    contactBelow: z.number(),
  }),
  temperature: z.object({
    /** ≥ fever: fever (38.1 Cel, NEWS2 band edge). */
    fever: z.number(),
    /** ≥ highFever: high fever (39.1 Cel, NEWS2 scores 2). */
    highFever: z.number(),
    /** ≤ hypothermia: hypothermia in the elderly (35.0 Cel, NEWS2 scores 3). */
    hypothermia: z.number(),
  }),
  glucose: z.object({
    /** < low: hypoglycaemia (4.0 mmol/L); < severeLow: severe (3.0); > high: high (15). */
    severeLow: z.number(),
    low: z.number(),
    high: z.number(),
  }),
  respiratoryRate: z.object({
    /** ≤ urgentLow or ≥ urgentHigh: NEWS2 scores 3 (≤8, ≥25); ≥ contactHigh: scores 2 (21). */
    urgentLow: z.number(),
    urgentHigh: z.number(),
    contactHigh: z.number(),
  }),
});
export type VitalThresholds = z.infer<typeof vitalThresholdsSchema>;

/** Scale 1 (most patients). `spo2ScaleTwo` replaces `spo2` for a prescribed target of 88-92 %. */
export const DEFAULT_VITALS: VitalThresholds = {
  pulse: { urgentLow: 40, urgentHigh: 130, contactLow: 50, contactHigh: 110 },
  spo2: { urgentBelow: 88, contactBelow: 92 },
  temperature: { fever: 38.1, highFever: 39.1, hypothermia: 35.0 },
  glucose: { severeLow: 3.0, low: 4.0, high: 15 },
  respiratoryRate: { urgentLow: 8, urgentHigh: 25, contactHigh: 21 },
};

// Blood pressure at home (server/rules/bloodPressure.ts).

export const bloodPressureSettingsSchema = z.object({
  /** ≥ on one reading: grade 3, same-day contact (ESC 2024 / ESH 2023: 180/110). */
  severeSystolic: z.number(),
  severeDiastolic: z.number(),
  /** < on one reading: hypotension, important on diuretics and blockers (ESC HF guidance: 90). */
  lowSystolic: z.number(),
  /** Home hypertension on the average: ≥ 135/85 (ESH 2023, ESC 2024; [M]). */
  averageSystolic: z.number(),
  averageDiastolic: z.number(),
  averageDays: z.number().int().min(1),
  minReadings: z.number().int().min(1),
});
export type BloodPressureSettings = z.infer<typeof bloodPressureSettingsSchema>;

export const DEFAULT_BLOOD_PRESSURE: BloodPressureSettings = {
  severeSystolic: 180,
  severeDiastolic: 110,
  lowSystolic: 90,
  averageSystolic: 135,
  averageDiastolic: 85,
  averageDays: 7,
  minReadings: 6,
};

// Heart-failure daily weight (server/rules/weight.ts).

export const weightSettingsSchema = z.object({
  /** Gain over 1 day, kg (more than). */
  gain1dKg: z.number().positive(),
  /** Gain over 3 days vs the lowest of the previous 3 days, kg (more than). */
  gain3dKg: z.number().positive(),
  /** Loss over 1 day, kg (more than). */
  loss1dKg: z.number().positive(),
  /** Loss over 3 days vs the highest of the previous 3 days, kg (more than). */
  loss3dKg: z.number().positive(),
  macd: z
    .object({
      shortDays: z.number().int().min(1),
      longDays: z.number().int().min(2),
      /** MACD above this (kg) at the last day: a rising trend. */
      thresholdKg: z.number().positive(),
      /** MACD below minus this (kg): a falling trend. */
      lossThresholdKg: z.number().positive(),
      /** Daily weights needed before MACD may fire (the long EMA must have settled). */
      minDays: z.number().int().min(1),
    })
    .refine((m) => m.shortDays < m.longDays, { message: 'shortDays must be below longDays' }),
  /** Clinician-set dry weight, kg; the dry-weight rule is off without it. */
  dryWeightKg: z.number().positive().optional(),
  /** Distance from the dry weight that alerts, kg (more than). */
  dryWeightToleranceKg: z.number().positive(),
});
export type WeightSettings = z.infer<typeof weightSettingsSchema>;

export const DEFAULT_WEIGHT: WeightSettings = {
  // 3 lb (1.36 kg) in 1 day: Zhang et al., Eur J Heart Fail 2009 (TEN-HMS, RoT 3 lb/1 d);
  // Ledwidge 2013 RoT comparator 1.36 kg/1 d; US HF-zone sheets: 2-3 lb in a day. [V] abstracts.
  gain1dKg: 1.36,
  // More than 2 kg in 3 days: ESC 2021 HF guideline self-care table [M];
  // heartfailurematters.org "Weight gain" page [V].
  gain3dKg: 2.0,
  // Losses: no published rate rule; the same magnitudes in the other direction (clinical
  // references: "weight loss matters too"; HF-zone sheets: gain or loss of 5 lb/week). [U]
  loss1dKg: 1.36,
  loss3dKg: 2.0,
  macd: {
    // Zhang 2009 and Gyllensten 2016 do not publish their MACD parameters [U]. Defaults are a
    // starting point, to be tuned on the simulated cohort. Note: on a steady slope b kg/day the
    // MACD settles at b * (longDays - shortDays) / 2 (3.5 b for 3/10), so a 1.0 kg threshold
    // needs more than ~0.29 kg/day sustained.
    shortDays: 3,
    longDays: 10,
    thresholdKg: 1.0,
    lossThresholdKg: 1.0,
    // The long EMA starts at the first weight and needs about its span to settle.
    minDays: 10,
  },
  // Cleveland Clinic HF zones: call at 4 lb (1.8 kg) or more above or below dry weight [V];
  // rounded to 2.0 kg, configurable.
  dryWeightToleranceKg: 2.0,
};

// The personalised detector (server/rules/personal.ts).

const signalSchema = z.object({
  /** Fires above mean + kUp * SD. */
  kUp: z.number().positive(),
  /** Fires below mean - kDown * SD. */
  kDown: z.number().positive(),
  /** Smallest SD used, in the signal's unit, so that a very stable patient is not paged on noise. */
  sdFloor: z.number().positive(),
});

export const personalSettingsSchema = z.object({
  baselineDays: z.number().int().min(2),
  excludeRecentDays: z.number().int().min(0),
  consecutive: z.number().int().min(1),
  minBaselineDays: z.number().int().min(2),
  weight: signalSchema,
  pulse: signalSchema.omit({ kDown: true }),
  systolic: signalSchema,
  /** personal.combined needs this many of weight up, pulse up and systolic down. */
  combinedMin: z.number().int().min(2),
  /** ... whose last tested days lie at most this many days apart. */
  combinedWithinDays: z.number().int().min(0),
});
export type PersonalSettings = z.infer<typeof personalSettingsSchema>;

export const DEFAULT_PERSONAL: PersonalSettings = {
  // Two weeks of own history [U]: the TEN-HMS analyses look at the 14 days before admission;
  // HeartPhone's moving-average window was not captured.
  baselineDays: 14,
  // 0: the baseline runs up to the first tested day. Raise it to keep a slow drift out of it. [U]
  excludeRecentDays: 0,
  // N consecutive breaches before alerting (Crofton/HeartPhone patent; its N not captured) [U].
  consecutive: 2,
  // At least a week of values for a mean and SD worth trusting [U].
  minBaselineDays: 7,
  // k = 2 SD: the usual statistical-process-control warning limit; the HeartPhone patent uses
  // 1 SD with N consecutive breaches, so 2 SD x 2 days is the more conservative choice [U].
  // SD floors (scale day-to-day noise, pulse and home-BP variability): design proposals [U].
  weight: { kUp: 2.0, kDown: 2.0, sdFloor: 0.3 },
  pulse: { kUp: 2.0, sdFloor: 3 },
  systolic: { kUp: 2.0, kDown: 2.0, sdFloor: 4 },
  // Decompensation shows in several signals together (Ledwidge 2013; EHJ-DH 2023) [U].
  combinedMin: 2,
  combinedWithinDays: 1,
};

// A measurement the plan expects (server/rules/missing.ts).

export const planItemSchema = z.object({
  type: z.enum(readingTypes),
  /** Expected once every N local days (1 = daily weight; 7 = weekly for a palliative patient). */
  everyDays: z.number().int().min(1).max(31).default(1),
  /** Local time by which the day's measurement is due, HH:MM. */
  dueBy: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
    .default('10:00'),
  /** Hours after the reminder before the care team is alerted. */
  graceHours: z.number().min(0).max(72).default(4),
});
export type PlanItem = z.infer<typeof planItemSchema>;

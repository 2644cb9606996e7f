// A patient's plan as the staff API takes it (PUT /patients/{id}/plan, the what-if): what a care
// team can set per patient for each rule, and the defaults every patient starts from. Each
// default names its source (citations and tags: docs/clinical-evidence.md); the rules (server/rules/) judge with the settings a plan resolves to
// (server/plans/plan.ts), and a finding says whether it used a default or the patient's own
// value. In the contract because the dashboard's plan editor edits exactly this.
import { z } from 'zod';
import { readingTypes } from '../devices/contract.js';
import { timeZoneSchema } from '../devices/timeZone.js';

/** One setting: how a care team's value is checked, and the value every patient starts from. */
interface Setting<S extends z.ZodType = z.ZodType> {
  schema: S;
  defaults: z.output<S>;
}

const setting = <S extends z.ZodType>(schema: S, defaults: z.output<S>): Setting<S> => ({
  schema,
  defaults,
});

type SettingsSchema<F extends Record<string, Setting>> = z.ZodObject<{
  [K in keyof F]: F[K]['schema'];
}>;

/**
 * The settings of a rule, or a part of one (itself a setting), each named once with its check
 * and its default: the object schema of them all (refined by `check` when given) and the
 * defaults, which are checked against it here. A check relates settings (`fields`): its refusal
 * names the first, and carries them all (`params.fields`) so that a refusal of a plan can name
 * the one the care team set (server/plans/plan.ts `checkPlan`). A plan's part (`deepPartial`,
 * below) cannot check them, one of them may be the default's: checkPlan checks the resolved plan.
 */
function settings<F extends Record<string, Setting>>(
  fields: F,
  check?: {
    test: (value: z.output<SettingsSchema<F>>) => boolean;
    message: string;
    fields: readonly [keyof F & string, ...(keyof F & string)[]];
  },
): Setting<SettingsSchema<F>> {
  const entries = Object.entries(fields);
  let schema = z.object(
    Object.fromEntries(entries.map(([key, f]) => [key, f.schema])),
  ) as SettingsSchema<F>;
  if (check)
    schema = schema.refine(check.test, {
      message: check.message,
      path: [check.fields[0]],
      params: { fields: check.fields },
    });
  const given = entries.filter(([, f]) => f.defaults !== undefined);
  return {
    schema,
    defaults: schema.parse(Object.fromEntries(given.map(([key, f]) => [key, f.defaults]))),
  };
}

const threshold = (defaults: number) => setting(z.number(), defaults);

// Absolute thresholds for single vital signs (server/rules/vitals.ts). The defaults are scale 1
// (most patients); `spo2ScaleTwo` replaces `spo2` for a prescribed target of 88-92 %.

export const { schema: vitalThresholdsSchema, defaults: DEFAULT_VITALS } = settings({
  pulse: settings({
    /** ≤ urgentLow or > urgentHigh: urgent. NEWS2 scores ≤40 and ≥131 as 3 (RCP 2017). */
    urgentLow: threshold(40),
    urgentHigh: threshold(130),
    /** ≤ contactLow or > contactHigh: contact. NEWS2 41-50 and 111-130 (RCP 2017); β-blocker bradycardia <50 (ESC HF). */
    contactLow: threshold(50),
    contactHigh: threshold(110),
  }),
  spo2: settings({
    /** Below this: urgent. Under 88 % on air (scale 1): this hub's choice [U]. */
    urgentBelow: threshold(88),
    /** Below this: contact the same day. Under 92 % on air: NEWS2 scale 1 scores ≤91 as 3 (RCP 2017). */
    contactBelow: threshold(92),
  }),
  temperature: settings({
    /** ≥ fever: fever (38.1 Cel, NEWS2 band edge). */
    fever: threshold(38.1),
    /** ≥ highFever: high fever (39.1 Cel, NEWS2 scores 2). */
    highFever: threshold(39.1),
    /** ≤ hypothermia: hypothermia in the elderly (35.0 Cel, NEWS2 scores 3). */
    hypothermia: threshold(35.0),
  }),
  glucose: settings({
    /** < low: hypoglycaemia (4.0 mmol/L, JBDS); < severeLow: severe (3.0, IHSG 2017); > high: high (15, [U]). */
    severeLow: threshold(3.0),
    low: threshold(4.0),
    high: threshold(15),
  }),
  respiratoryRate: settings({
    /** ≤ urgentLow or ≥ urgentHigh: NEWS2 scores 3 (≤8, ≥25); ≥ contactHigh: scores 2 (21). */
    urgentLow: threshold(8),
    urgentHigh: threshold(25),
    contactHigh: threshold(21),
  }),
});
export type VitalThresholds = z.infer<typeof vitalThresholdsSchema>;

// Blood pressure at home (server/rules/bloodPressure.ts).

const atLeastOne = (defaults: number) => setting(z.number().int().min(1), defaults);

export const { schema: bloodPressureSettingsSchema, defaults: DEFAULT_BLOOD_PRESSURE } = settings({
  /** ≥ on one reading: grade 3, same-day contact (ESC 2024 / ESH 2023: 180/110). */
  severeSystolic: threshold(180),
  severeDiastolic: threshold(110),
  /** < on one reading: hypotension, important on diuretics and blockers (ESC HF guidance: 90). */
  lowSystolic: threshold(90),
  /** Home hypertension on the average: ≥ 135/85 (ESH 2023, ESC 2024; [M]). */
  averageSystolic: threshold(135),
  averageDiastolic: threshold(85),
  averageDays: atLeastOne(7),
  minReadings: atLeastOne(6),
});
export type BloodPressureSettings = z.infer<typeof bloodPressureSettingsSchema>;

// Heart-failure daily weight (server/rules/weight.ts).

const kg = (defaults: number) => setting(z.number().positive(), defaults);

export const { schema: weightSettingsSchema, defaults: DEFAULT_WEIGHT } = settings({
  // 3 lb (1.36 kg) in 1 day: Zhang et al., Eur J Heart Fail 2009 (TEN-HMS, RoT 3 lb/1 d);
  // Ledwidge 2013 RoT comparator 1.36 kg/1 d; US HF-zone sheets: 2-3 lb in a day. [V] abstracts.
  /** Gain over 1 day, kg (more than). */
  gain1dKg: kg(1.36),
  // More than 2 kg in 3 days: ESC 2021 HF guideline self-care table [M];
  // heartfailurematters.org "Weight gain" page [V].
  /** Gain over 3 days vs the lowest of the previous 3 days, kg (more than). */
  gain3dKg: kg(2.0),
  // Losses: no published rate rule; the same magnitudes in the other direction (HF-zone sheets
  // ask for a call on a loss too; docs/clinical-evidence.md section 1.3). [U]
  /** Loss over 1 day, kg (more than). */
  loss1dKg: kg(1.36),
  /** Loss over 3 days vs the highest of the previous 3 days, kg (more than). */
  loss3dKg: kg(2.0),
  // Zhang 2009 and Gyllensten 2016 do not publish their MACD parameters [U]. Defaults are a
  // starting point, to be tuned on the simulated cohort. Note: on a steady slope b kg/day the
  // MACD settles at b * (longDays - shortDays) / 2 (3.5 b for 3/10), so a 1.0 kg threshold
  // needs more than ~0.29 kg/day sustained.
  macd: settings(
    {
      shortDays: atLeastOne(3),
      longDays: setting(z.number().int().min(2), 10),
      /** MACD above this (kg) at the last day: a rising trend. */
      thresholdKg: kg(1.0),
      /** MACD below minus this (kg): a falling trend. */
      lossThresholdKg: kg(1.0),
      // The long EMA starts at the first weight and needs about its span to settle.
      /** Daily weights needed before MACD may fire (the long EMA must have settled). */
      minDays: atLeastOne(10),
    },
    {
      test: (m) => m.shortDays < m.longDays,
      message: 'shortDays must be below longDays',
      fields: ['shortDays', 'longDays'],
    },
  ),
  /** Clinician-set dry weight, kg; the dry-weight rule is off without it. */
  dryWeightKg: setting(z.number().positive().optional(), undefined),
  // Cleveland Clinic HF zones: call at 4 lb (1.8 kg) or more above or below dry weight [V];
  // rounded to 2.0 kg, configurable.
  /** Distance from the dry weight that alerts, kg (more than). */
  dryWeightToleranceKg: kg(2.0),
});
export type WeightSettings = z.infer<typeof weightSettingsSchema>;

// The personalised detector (server/rules/personal.ts).

const signalSchema = z.object({
  /** Fires above mean + kUp * SD. */
  kUp: z.number().positive(),
  /** Fires below mean - kDown * SD. */
  kDown: z.number().positive(),
  /** Smallest SD used, in the signal's unit, so that a very stable patient is not paged on noise. */
  sdFloor: z.number().positive(),
});

export const { schema: personalSettingsSchema, defaults: DEFAULT_PERSONAL } = settings({
  // Two weeks of own history [U]: the TEN-HMS analyses look at the 14 days before admission;
  // HeartPhone's moving-average window was not captured.
  baselineDays: setting(z.number().int().min(2), 14),
  // 0: the baseline runs up to the first tested day. Raise it to keep a slow drift out of it. [U]
  excludeRecentDays: setting(z.number().int().min(0), 0),
  // N consecutive breaches before alerting (Crofton/HeartPhone patent; its N not captured) [U].
  consecutive: atLeastOne(2),
  // At least a week of values for a mean and SD worth trusting [U].
  minBaselineDays: setting(z.number().int().min(2), 7),
  // k = 2 SD: the usual statistical-process-control warning limit; the HeartPhone patent uses
  // 1 SD with N consecutive breaches, so 2 SD x 2 days is the more conservative choice [U].
  // SD floors (scale day-to-day noise, pulse and home-BP variability): design proposals [U].
  weight: setting(signalSchema, { kUp: 2.0, kDown: 2.0, sdFloor: 0.3 }),
  pulse: setting(signalSchema.omit({ kDown: true }), { kUp: 2.0, sdFloor: 3 }),
  systolic: setting(signalSchema, { kUp: 2.0, kDown: 2.0, sdFloor: 4 }),
  // Decompensation shows in several signals together (Ledwidge 2013; EHJ-DH 2023) [U].
  /** personal.combined needs this many of weight up, pulse up and systolic down. */
  combinedMin: setting(z.number().int().min(2), 2),
  /** ... whose last tested days lie at most this many days apart. */
  combinedWithinDays: setting(z.number().int().min(0), 1),
  // The heart-failure score (server/rules/personalScore.ts, scoreCore.ts): the patient's own
  // weight, resting pulse, SpO2 and systolic pressure as one CUSUM chart. The defaults are the
  // operating point chosen on the tuning seeds' curve (docs/simulation.md, "The heart-failure
  // score"); the weights say how much each signal counts (0: not at all).
  score: settings(
    {
      /**
       * Once a signal has its baseline, the score pages instead of the rules it subsumes for
       * that signal (weight rule of thumb and MACD, the single personal signals, combined):
       * they are still judged and shown, as information. Off: every rule pages as before.
       */
      replacesRules: setting(z.boolean(), true),
      /** The trailing window each day's value is judged against, in calendar days. */
      baselineDays: setting(z.number().int().min(7).max(90), 28),
      /** Days just before the judged one kept out of its baseline (a slow rise stays visible). */
      excludeRecentDays: setting(z.number().int().min(0).max(14), 3),
      /** Values a baseline needs before the signal counts. */
      minBaselineDays: setting(z.number().int().min(3), 10),
      /** Days the CUSUM runs over, up to today. */
      runDays: setting(z.number().int().min(1).max(28), 14),
      // k 1 and h 3: the most sensitive point within 1 false alert a patient-year on the
      // tuning seeds 1-5 (79 % at 0.96); held out (seeds 6-10) 80 % at 1.05 [U]
      /** Reference value k: the daily score a stable patient's chart must beat to accumulate. */
      k: setting(z.number().min(0).max(3), 1),
      /** Decision interval h: the accumulated score that pages. */
      h: setting(z.number().positive().max(30), 3),
      /** A signal's z is clipped at +/- this, so that one wild reading cannot page alone. */
      clip: setting(z.number().positive().max(10), 4),
      weights: settings({
        weight: setting(z.number().min(0).max(3), 0.3),
        pulse: setting(z.number().min(0).max(3), 1),
        spo2: setting(z.number().min(0).max(3), 1),
        systolic: setting(z.number().min(0).max(3), 0.3),
      }),
      /** Smallest SD per signal, in its unit: scale, pulse, oximeter and cuff noise. */
      sdFloor: settings({
        weight: setting(z.number().positive(), 0.3),
        pulse: setting(z.number().positive(), 3),
        spo2: setting(z.number().positive(), 0.7),
        systolic: setting(z.number().positive(), 4),
      }),
    },
    {
      test: (s) => s.minBaselineDays <= s.baselineDays,
      message: 'minBaselineDays must not exceed baselineDays',
      fields: ['minBaselineDays', 'baselineDays'],
    },
  ),
});
export type PersonalSettings = z.infer<typeof personalSettingsSchema>;

// How old a finding's newest reading may be when the hub judges it, per rule family, in hours
// (server/rules/evaluate.ts). Older, it is a late finding: raised at most 'low', with no
// escalation timer and shown with its age, because a value measured days ago that only arrives
// now (a gateway offline, a phone out of coverage) is not today's state: paging the care team
// for same-day contact and escalating within the hour pretended it was (issue 18: a 19-day-old
// blood pressure). Design proposals [U], each the span a value keeps its meaning for:
/** A month: longer, and a value is history, not news. */
const MAX_FRESHNESS_HOURS = 24 * 31;
const hours = (defaults: number) =>
  setting(z.number().int().min(1).max(MAX_FRESHNESS_HOURS), defaults);

export const { schema: freshnessSettingsSchema, defaults: DEFAULT_FRESHNESS } = settings({
  /** weight.*: a daily weight; past a day it is no longer today's weight. */
  weight: hours(24),
  /** personal.*: daily values against the patient's own baseline, likewise a day. */
  personal: hours(24),
  /** Single vital signs (pulse, SpO2, temperature, glucose, respiratory rate, consciousness). */
  vitals: hours(24),
  /** bp.*: one reading (very high, low) or the home average whose newest reading it is. */
  bloodPressure: hours(24),
  /** news2: an acute score; RCP 2017 asks for a new set at least every 12 hours. */
  news2: hours(12),
});
export type FreshnessSettings = z.infer<typeof freshnessSettingsSchema>;

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

// The plan a care team sets: any part of the settings above, on top of the defaults.

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/**
 * Every field optional, all the way down; unknown keys are refused so typos do not pass. A check
 * across settings is not kept (the other setting may be missing): checkPlan checks it on the plan
 * resolved.
 */
function deepPartial(schema: z.ZodObject): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    shape[key] = (
      field instanceof z.ZodObject ? deepPartial(field) : (field as z.ZodType)
    ).optional();
  }
  return z.strictObject(shape);
}

export const patientPlanSchema = z.strictObject({
  timeZone: timeZoneSchema.optional(),
  /** NEWS2 SpO2 scale 2: only for a prescribed target of 88-92 %, set by a clinician. */
  spo2Scale: z.union([z.literal(1), z.literal(2)]).optional(),
  measurements: z.array(planItemSchema).optional(),
  /** Minutes a patient has to measure again after a borderline reading. */
  remeasureMinutes: z
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .optional(),
  vitals: deepPartial(vitalThresholdsSchema).optional(),
  bloodPressure: deepPartial(bloodPressureSettingsSchema).optional(),
  weight: deepPartial(weightSettingsSchema).optional(),
  personal: deepPartial(personalSettingsSchema).optional(),
  freshness: deepPartial(freshnessSettingsSchema).optional(),
});

export interface PatientPlan {
  timeZone?: string;
  spo2Scale?: 1 | 2;
  measurements?: PlanItem[];
  remeasureMinutes?: number;
  vitals?: DeepPartial<VitalThresholds>;
  bloodPressure?: DeepPartial<BloodPressureSettings>;
  weight?: DeepPartial<WeightSettings>;
  personal?: DeepPartial<PersonalSettings>;
  freshness?: DeepPartial<FreshnessSettings>;
}

/** The body of PUT /patients/{id}/plan and of the what-if. */
export const planBodySchema = z.object({ plan: patientPlanSchema });

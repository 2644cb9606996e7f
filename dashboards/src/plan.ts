// What the plan editor offers: every rule's settings the contract takes (contract/plan.ts),
// grouped by the measurement they judge, and the measurement schedule; which groups a patient
// needs; and the plan the editor's text proposes. Pure.
import type { Key } from './i18n.js';
import { canonicalUnits, parseNumber } from './format.js';
import type { Lang, ReadingType } from './types.js';

/**
 * Every measurement, in the order the patient view shows them: those with a unit (format.ts
 * names each, so the compiler finds a new one missing), then consciousness (ACVPU, no unit).
 */
export const measurementTypes: readonly ReadingType[] = [
  ...(Object.keys(canonicalUnits) as ReadingType[]),
  'consciousness',
];

/** A part of the editor: one measurement's rules, the personal detector's own settings, the rest. */
export type Group = ReadingType | 'personal' | 'general';

export interface PlanField {
  /** Path in the patient plan (`patientPlanSchema`), e.g. `weight.gain3dKg`. */
  path: string;
  label: Key;
  group: Group;
  /** UCUM unit of the value, shown the reader's way (format.ts `unitName`). */
  unit?: string;
  /** The contract takes whole numbers only. */
  integer: boolean;
  /** The range offered: inside what the contract takes, and clinically plausible. */
  min: number;
  max: number;
}

const field = (
  group: Group,
  path: string,
  label: Key,
  unit: string | undefined,
  [min, max]: readonly [number, number],
  integer = false,
): PlanField => ({ path, label, group, unit, integer, min, max });

const kg = [0.1, 10] as const;
const sd = [0.5, 5] as const;
/** How much a signal counts in the heart-failure score: 0 (not at all) to 3. */
const weighting = [0, 3] as const;

export const planFields: PlanField[] = [
  field('body_weight', 'weight.gain1dKg', 'th_gain1dKg', 'kg', kg),
  field('body_weight', 'weight.gain3dKg', 'th_gain3dKg', 'kg', kg),
  field('body_weight', 'weight.loss1dKg', 'th_loss1dKg', 'kg', kg),
  field('body_weight', 'weight.loss3dKg', 'th_loss3dKg', 'kg', kg),
  field('body_weight', 'weight.dryWeightKg', 'th_dryWeightKg', 'kg', [20, 300]),
  field('body_weight', 'weight.dryWeightToleranceKg', 'th_dryWeightToleranceKg', 'kg', [0.1, 20]),
  field('body_weight', 'weight.macd.thresholdKg', 'th_macdThresholdKg', 'kg', kg),
  field('body_weight', 'weight.macd.lossThresholdKg', 'th_macdLossThresholdKg', 'kg', kg),
  // short below long at either end, against the other's default (3 and 10)
  field('body_weight', 'weight.macd.shortDays', 'th_macdShortDays', 'd', [1, 9], true),
  field('body_weight', 'weight.macd.longDays', 'th_macdLongDays', 'd', [4, 60], true),
  field('body_weight', 'weight.macd.minDays', 'th_macdMinDays', 'd', [1, 90], true),
  field('body_weight', 'personal.weight.kUp', 'th_personalWeightKUp', '{SD}', sd),
  field('body_weight', 'personal.weight.kDown', 'th_personalWeightKDown', '{SD}', sd),
  field('body_weight', 'personal.weight.sdFloor', 'th_personalWeightSdFloor', 'kg', [0.05, 5]),

  field(
    'blood_pressure',
    'bloodPressure.severeSystolic',
    'th_bpSevereSystolic',
    'mm[Hg]',
    [140, 250],
  ),
  field(
    'blood_pressure',
    'bloodPressure.severeDiastolic',
    'th_bpSevereDiastolic',
    'mm[Hg]',
    [80, 150],
  ),
  field('blood_pressure', 'bloodPressure.lowSystolic', 'th_bpLowSystolic', 'mm[Hg]', [60, 130]),
  field(
    'blood_pressure',
    'bloodPressure.averageSystolic',
    'th_bpAverageSystolic',
    'mm[Hg]',
    [110, 180],
  ),
  field(
    'blood_pressure',
    'bloodPressure.averageDiastolic',
    'th_bpAverageDiastolic',
    'mm[Hg]',
    [60, 120],
  ),
  field('blood_pressure', 'bloodPressure.averageDays', 'th_bpAverageDays', 'd', [1, 30], true),
  field(
    'blood_pressure',
    'bloodPressure.minReadings',
    'th_bpMinReadings',
    undefined,
    [1, 60],
    true,
  ),
  field('blood_pressure', 'personal.systolic.kUp', 'th_personalSystolicKUp', '{SD}', sd),
  field('blood_pressure', 'personal.systolic.kDown', 'th_personalSystolicKDown', '{SD}', sd),
  field(
    'blood_pressure',
    'personal.systolic.sdFloor',
    'th_personalSystolicSdFloor',
    'mm[Hg]',
    [1, 30],
  ),

  field('heart_rate', 'vitals.pulse.urgentLow', 'th_pulseUrgentLow', '/min', [20, 100], true),
  field('heart_rate', 'vitals.pulse.urgentHigh', 'th_pulseUrgentHigh', '/min', [60, 250], true),
  field('heart_rate', 'vitals.pulse.contactLow', 'th_pulseContactLow', '/min', [20, 200], true),
  field('heart_rate', 'vitals.pulse.contactHigh', 'th_pulseContactHigh', '/min', [20, 250], true),
  field('heart_rate', 'personal.pulse.kUp', 'th_personalPulseKUp', '{SD}', sd),
  field('heart_rate', 'personal.pulse.sdFloor', 'th_personalPulseSdFloor', '/min', [1, 30]),

  field('spo2', 'vitals.spo2.urgentBelow', 'th_spo2Urgent', '%', [70, 100], true),
  field('spo2', 'vitals.spo2.contactBelow', 'th_spo2Contact', '%', [70, 100], true),

  field('body_temperature', 'vitals.temperature.fever', 'th_tempFever', 'Cel', [37, 40]),
  field('body_temperature', 'vitals.temperature.highFever', 'th_tempHighFever', 'Cel', [37.5, 42]),
  field(
    'body_temperature',
    'vitals.temperature.hypothermia',
    'th_tempHypothermia',
    'Cel',
    [32, 36.5],
  ),

  field(
    'respiratory_rate',
    'vitals.respiratoryRate.urgentLow',
    'th_respUrgentLow',
    '/min',
    [3, 15],
  ),
  field(
    'respiratory_rate',
    'vitals.respiratoryRate.urgentHigh',
    'th_respUrgentHigh',
    '/min',
    [15, 60],
  ),
  field(
    'respiratory_rate',
    'vitals.respiratoryRate.contactHigh',
    'th_respContactHigh',
    '/min',
    [12, 40],
  ),

  field('blood_glucose', 'vitals.glucose.severeLow', 'th_glucoseSevereLow', 'mmol/L', [1, 5]),
  field('blood_glucose', 'vitals.glucose.low', 'th_glucoseLow', 'mmol/L', [2, 8]),
  field('blood_glucose', 'vitals.glucose.high', 'th_glucoseHigh', 'mmol/L', [8, 30]),

  field('personal', 'personal.baselineDays', 'th_personalBaselineDays', 'd', [2, 60], true),
  field(
    'personal',
    'personal.excludeRecentDays',
    'th_personalExcludeRecentDays',
    'd',
    [0, 30],
    true,
  ),
  field('personal', 'personal.consecutive', 'th_personalConsecutive', undefined, [1, 10], true),
  field(
    'personal',
    'personal.minBaselineDays',
    'th_personalMinBaselineDays',
    undefined,
    [2, 60],
    true,
  ),
  field('personal', 'personal.combinedMin', 'th_personalCombinedMin', undefined, [2, 3], true),
  field(
    'personal',
    'personal.combinedWithinDays',
    'th_personalCombinedWithinDays',
    'd',
    [0, 14],
    true,
  ),

  // the heart-failure score (contract/plan.ts personal.score)
  field('personal', 'personal.score.h', 'th_scoreH', undefined, [1, 30]),
  field('personal', 'personal.score.k', 'th_scoreK', undefined, [0, 3]),
  field('personal', 'personal.score.weights.weight', 'th_scoreWeightWeight', undefined, weighting),
  field('personal', 'personal.score.weights.pulse', 'th_scoreWeightPulse', undefined, weighting),
  field('personal', 'personal.score.weights.spo2', 'th_scoreWeightSpo2', undefined, weighting),
  field(
    'personal',
    'personal.score.weights.systolic',
    'th_scoreWeightSystolic',
    undefined,
    weighting,
  ),
  field('personal', 'personal.score.baselineDays', 'th_scoreBaselineDays', 'd', [7, 90], true),
  field(
    'personal',
    'personal.score.excludeRecentDays',
    'th_scoreExcludeRecentDays',
    'd',
    [0, 14],
    true,
  ),
  field(
    'personal',
    'personal.score.minBaselineDays',
    'th_scoreMinBaselineDays',
    undefined,
    [3, 90],
    true,
  ),
  field('personal', 'personal.score.runDays', 'th_scoreRunDays', 'd', [1, 28], true),
  field('personal', 'personal.score.clip', 'th_scoreClip', '{SD}', [1, 10]),
  field('personal', 'personal.score.sdFloor.weight', 'th_scoreSdFloorWeight', 'kg', [0.05, 3]),
  field('personal', 'personal.score.sdFloor.pulse', 'th_scoreSdFloorPulse', '/min', [0.5, 30]),
  field('personal', 'personal.score.sdFloor.spo2', 'th_scoreSdFloorSpo2', '%', [0.1, 5]),
  field(
    'personal',
    'personal.score.sdFloor.systolic',
    'th_scoreSdFloorSystolic',
    'mm[Hg]',
    [1, 30],
  ),

  field('general', 'remeasureMinutes', 'th_remeasureMinutes', 'min', [5, 24 * 60], true),
];

/** A setting chosen from a few values (a select). */
export interface ChoiceField {
  path: string;
  label: Key;
  group: Group;
  options: readonly { value: number | boolean; label: Key }[];
}

export const choiceFields: ChoiceField[] = [
  {
    path: 'spo2Scale',
    label: 'spo2Scale',
    group: 'spo2',
    options: [
      { value: 1, label: 'spo2Scale_1' },
      { value: 2, label: 'spo2Scale_2' },
    ],
  },
  {
    path: 'personal.score.replacesRules',
    label: 'th_scoreReplacesRules',
    group: 'personal',
    options: [
      { value: true, label: 'scoreReplaces_true' },
      { value: false, label: 'scoreReplaces_false' },
    ],
  },
];

/** The numbers of one measurement in the schedule (`plan.measurements[i]`). */
export const scheduleFields: PlanField[] = [
  field('general', 'everyDays', 'sched_everyDays', 'd', [1, 31], true),
  field('general', 'graceHours', 'sched_graceHours', 'h', [0, 72]),
];

/** What the personal detector watches: its shared settings matter when one of them is measured. */
const personalSignals: readonly ReadingType[] = ['body_weight', 'blood_pressure', 'heart_rate'];

/** The measurements a patient has: in the plan's schedule or among their latest readings. */
export function measuredTypes(plan: unknown, latest: readonly string[]): ReadingType[] {
  const scheduled = (getPath(plan, 'measurements') ?? []) as { type?: unknown }[];
  const has = new Set<unknown>([...latest, ...scheduled.map((m) => m?.type)]);
  return measurementTypes.filter((ty) => has.has(ty));
}

/** The editor's groups for those measurements, in order: a type, then personal, then the rest. */
export function groupsFor(measured: readonly ReadingType[]): Group[] {
  const personal = measured.some((ty) => personalSignals.includes(ty));
  return [...measured, ...(personal ? (['personal'] as const) : []), 'general'];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const k of path.split('.')) {
    if (!isObj(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** A copy of `obj` with `path` set; `undefined` removes the key and any object left empty. */
export function setPath(obj: Obj, path: string, value: unknown): Obj {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  const out: Obj = { ...obj };
  if (rest.length === 0) {
    if (value === undefined) delete out[head];
    else out[head] = value;
    return out;
  }
  const child = setPath(isObj(out[head]) ? (out[head] as Obj) : {}, rest.join('.'), value);
  if (Object.keys(child).length === 0) delete out[head];
  else out[head] = child;
  return out;
}

/**
 * A field's text as a value: undefined when empty (the default applies), null when it is not a
 * number the field takes (the reader's decimal separator, whole where the contract wants it).
 */
export function fieldValue(f: PlanField, raw: string, lang: Lang): number | null | undefined {
  if (raw.trim() === '') return undefined;
  const n = parseNumber(lang, raw);
  if (n === null || n < f.min || n > f.max || (f.integer && !Number.isInteger(n))) return null;
  return n;
}

/** One measurement of the schedule as the editor holds it: text as typed. */
export interface ScheduleRow {
  type: ReadingType;
  everyDays: string;
  dueBy: string;
  graceHours: string;
}

export interface Proposal {
  plan: Obj;
  /** Paths of the fields whose text is not a value they take (`measurements.0.dueBy`). */
  invalid: string[];
}

const fieldsByPath = new Map([...planFields, ...choiceFields].map((f) => [f.path, f]));

/**
 * The stored plan with the editor's text: an empty field goes back to the default, a field
 * that is not a valid value stays as stored and is listed; `schedule`, when given, replaces the
 * plan's measurements (an empty schedule removes them, and an empty field of a row takes the
 * contract's default).
 */
export function proposePlan(
  stored: Obj,
  edits: Record<string, string>,
  lang: Lang,
  schedule?: readonly ScheduleRow[],
): Proposal {
  let plan = stored;
  const invalid: string[] = [];
  for (const [path, raw] of Object.entries(edits)) {
    const f = fieldsByPath.get(path);
    const value =
      f && 'options' in f
        ? raw === ''
          ? undefined
          : (f.options.find((o) => String(o.value) === raw)?.value ?? null)
        : f
          ? fieldValue(f, raw, lang)
          : null;
    if (value === null) invalid.push(path);
    else plan = setPath(plan, path, value);
  }
  if (schedule) {
    const items = schedule.map((row, i) => {
      const item: Obj = { type: row.type };
      for (const f of scheduleFields) {
        const value = fieldValue(f, row[f.path as 'everyDays' | 'graceHours'], lang);
        if (value === null) invalid.push(`measurements.${i}.${f.path}`);
        else if (value !== undefined) item[f.path] = value;
      }
      if (/^\d\d:\d\d$/.test(row.dueBy)) item.dueBy = row.dueBy;
      else if (row.dueBy !== '') invalid.push(`measurements.${i}.dueBy`);
      return item;
    });
    plan = setPath(plan, 'measurements', items.length ? items : undefined);
  }
  return { plan, invalid };
}

/** The schedule of a plan as editor rows, its numbers written the reader's way. */
export function scheduleRows(plan: unknown, write: (n: number) => string): ScheduleRow[] {
  const items = getPath(plan, 'measurements');
  if (!Array.isArray(items)) return [];
  return (items as Obj[]).map((m) => ({
    type: m.type as ReadingType,
    everyDays: typeof m.everyDays === 'number' ? write(m.everyDays) : '',
    dueBy: typeof m.dueBy === 'string' ? m.dueBy : '',
    graceHours: typeof m.graceHours === 'number' ? write(m.graceHours) : '',
  }));
}

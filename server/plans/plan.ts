// A patient's measurement plan and personal thresholds: what the care team set, on top of the
// defaults. Resolving a plan gives every rule its settings and the set of dotted keys the team
// overrode, so that each finding can say whether it used a default or the patient's own value.
import { z } from 'zod';
import { DomainError } from '../errors.js';
import {
  DEFAULT_BLOOD_PRESSURE,
  DEFAULT_FRESHNESS,
  DEFAULT_PERSONAL,
  DEFAULT_VITALS,
  DEFAULT_WEIGHT,
  bloodPressureSettingsSchema,
  freshnessSettingsSchema,
  patientPlanSchema,
  personalSettingsSchema,
  vitalThresholdsSchema,
  weightSettingsSchema,
  type BloodPressureSettings,
  type FreshnessSettings,
  type PatientPlan,
  type PersonalSettings,
  type PlanItem,
  type VitalThresholds,
  type WeightSettings,
} from '../../contract/plan.js';

export { patientPlanSchema, type PatientPlan };

export interface ResolvedPlan {
  timeZone: string;
  spo2Scale: 1 | 2;
  measurements: PlanItem[];
  remeasureMinutes: number;
  vitals: VitalThresholds;
  bloodPressure: BloodPressureSettings;
  weight: WeightSettings;
  personal: PersonalSettings;
  /** Hours a finding's newest reading stays news, per rule family (older: a late finding). */
  freshness: FreshnessSettings;
  /** Dotted keys the care team set, e.g. `vitals.pulse.contactHigh` becomes `pulse.contactHigh`. */
  overridden: ReadonlySet<string>;
}

function merge<T>(defaults: T, override: unknown, prefix: string, keys: Set<string>): T {
  if (override === undefined) return defaults;
  if (typeof defaults !== 'object' || defaults === null || Array.isArray(defaults)) {
    keys.add(prefix);
    return override as T;
  }
  const out = { ...defaults } as Record<string, unknown>;
  for (const [k, v] of Object.entries(override as Record<string, unknown>)) {
    if (v === undefined) continue;
    out[k] = merge(
      (defaults as Record<string, unknown>)[k],
      v,
      prefix ? `${prefix}.${k}` : k,
      keys,
    );
  }
  return out as T;
}

export function resolvePlan(plan: PatientPlan = {}): ResolvedPlan {
  const keys = new Set<string>();
  const vitals = merge(DEFAULT_VITALS, plan.vitals, '', keys); // vitals keys: `pulse.contactHigh`
  const bloodPressure = merge(DEFAULT_BLOOD_PRESSURE, plan.bloodPressure, 'bloodPressure', keys);
  const weight = merge(DEFAULT_WEIGHT, plan.weight, 'weight', keys);
  const personal = merge(DEFAULT_PERSONAL, plan.personal, 'personal', keys);
  const freshness = merge(DEFAULT_FRESHNESS, plan.freshness, 'freshness', keys);
  if (plan.spo2Scale === 2) keys.add('spo2Scale');
  return {
    timeZone: plan.timeZone ?? 'Europe/Stockholm',
    spo2Scale: plan.spo2Scale ?? 1,
    measurements: plan.measurements ?? [],
    remeasureMinutes: plan.remeasureMinutes ?? 30,
    vitals,
    bloodPressure,
    weight,
    personal,
    freshness,
    overridden: keys,
  };
}

/**
 * A plan as stored, resolved; null when it is no plan (stored before the schema changed): the
 * caller decides between the defaults and leaving the patient out.
 */
export function resolveStored(stored: unknown): ResolvedPlan | null {
  const parsed = patientPlanSchema.safeParse(stored ?? {});
  return parsed.success ? resolvePlan(parsed.data) : null;
}

/**
 * The settings the rules get, each schema whole: it checks what a plan's part cannot, the checks
 * across settings (the MACD's short span below its long one) where one of them is the default's.
 */
const RESOLVED_SETTINGS = {
  vitals: vitalThresholdsSchema,
  bloodPressure: bloodPressureSettingsSchema,
  weight: weightSettingsSchema,
  personal: personalSettingsSchema,
  freshness: freshnessSettingsSchema,
} as const satisfies { [K in keyof PatientPlan & keyof ResolvedPlan]?: z.ZodType<ResolvedPlan[K]> };

/**
 * Checks a plan, or a part of one, and the plan it resolves to (the defaults with it on top):
 * `{weight: {macd: {shortDays: 12}}}` is refused, the default long span being 10. Refused:
 * DomainError 'invalid' with the first problem's dotted path as the field (`weight.gain3dKg`, an
 * unknown key named itself; of settings a check relates, the first the plan sets), under `at`
 * when given (`plan` -> `plan.weight.gain3dKg`), and the path at the head of the message.
 */
export function checkPlan(plan: unknown, at?: string): PatientPlan {
  const checked = patientPlanSchema.safeParse(plan);
  if (!checked.success) refuse(checked.error, checked.error.issues[0]!.path, at);
  const resolved = resolvePlan(checked.data);
  for (const [key, schema] of Object.entries(RESOLVED_SETTINGS)) {
    const whole = schema.safeParse(resolved[key as keyof typeof RESOLVED_SETTINGS]);
    if (whole.success) continue;
    const issue = whole.error.issues[0]!;
    refuse(whole.error, [key, ...blamed(issue, checked.data[key as keyof PatientPlan])], at);
  }
  return checked.data;
}

/**
 * Where in a plan's part a check of its resolved settings failed: a check across settings
 * (`params.fields`, contract/plan.ts `settings`) names the first of them the plan sets, the
 * others being the defaults'; any other problem its own path.
 */
function blamed(issue: z.core.$ZodIssue, part: unknown): PropertyKey[] {
  const related: unknown = issue.code === 'custom' ? issue.params?.fields : undefined;
  if (!Array.isArray(related)) return issue.path;
  const parent = issue.path.slice(0, -1);
  let set: unknown = part;
  for (const k of parent) set = isRecord(set) ? set[k as string] : undefined;
  const given = related.find((f): f is string => isRecord(set) && set[f as string] !== undefined);
  return given === undefined ? issue.path : [...parent, given];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function refuse(error: z.ZodError, at: readonly PropertyKey[], under?: string): never {
  const issue = error.issues[0]!;
  const path = [...(under === undefined ? [] : [under]), ...at.map(String)];
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) path.push(issue.keys[0]);
  const field = path.join('.');
  const message = field ? `${field}: ${issue.message}` : issue.message;
  throw new DomainError('invalid', message, field || undefined, { cause: error });
}

/** Whether `err` is checkPlan's refusal (a caller may word it for where the plan came from). */
export const isInvalidPlan = (err: unknown): err is DomainError =>
  err instanceof DomainError && err.code === 'invalid' && err.cause instanceof z.ZodError;

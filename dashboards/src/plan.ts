// The thresholds the plan editor offers, and immutable get/set on a plan by dotted path. Pure.

export interface PlanField {
  /** Path in the patient plan (`patientPlanSchema`), e.g. `weight.gain3dKg`. */
  path: string;
  label: `th_${string}`;
  step: number;
  min: number;
  max: number;
}

export const planFields: PlanField[] = [
  { path: 'weight.gain1dKg', label: 'th_gain1dKg', step: 0.1, min: 0.1, max: 10 },
  { path: 'weight.gain3dKg', label: 'th_gain3dKg', step: 0.1, min: 0.1, max: 10 },
  { path: 'weight.loss1dKg', label: 'th_loss1dKg', step: 0.1, min: 0.1, max: 10 },
  { path: 'weight.loss3dKg', label: 'th_loss3dKg', step: 0.1, min: 0.1, max: 10 },
  { path: 'weight.dryWeightKg', label: 'th_dryWeightKg', step: 0.1, min: 20, max: 300 },
  {
    path: 'weight.dryWeightToleranceKg',
    label: 'th_dryWeightToleranceKg',
    step: 0.1,
    min: 0.1,
    max: 20,
  },
  { path: 'vitals.spo2.contactBelow', label: 'th_spo2Contact', step: 1, min: 70, max: 100 },
  { path: 'vitals.spo2.urgentBelow', label: 'th_spo2Urgent', step: 1, min: 70, max: 100 },
  { path: 'vitals.pulse.contactLow', label: 'th_pulseContactLow', step: 1, min: 20, max: 200 },
  { path: 'vitals.pulse.contactHigh', label: 'th_pulseContactHigh', step: 1, min: 20, max: 250 },
];

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

/** The stored plan with the editor's values: an empty field goes back to the default. */
export function proposePlan(stored: Obj, edits: Record<string, string>): Obj {
  let plan = stored;
  for (const [path, raw] of Object.entries(edits)) {
    const trimmed = raw.trim().replace(',', '.');
    plan = setPath(plan, path, trimmed === '' ? undefined : Number(trimmed));
  }
  return plan;
}

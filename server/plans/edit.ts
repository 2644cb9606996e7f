// Edits of a stored plan, as the care team makes them: a part merged in, a key removed (back to
// its default). Pure: `changePlan` (store.ts) applies them under the plan's row lock.

/** A plan as stored: what the care team set, nothing filled in from the defaults. */
export type StoredPlan = Record<string, unknown>;

const isObject = (v: unknown): v is StoredPlan =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects merge key by key; anything else (numbers, the measurement list) replaces. */
export function deepMerge(base: StoredPlan, patch: StoredPlan): StoredPlan {
  const out: StoredPlan = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    const current = out[k];
    out[k] = isObject(v) && isObject(current) ? deepMerge(current, v) : v;
  }
  return out;
}

/** Removes a dotted key and the objects it leaves empty; null when the plan does not set it. */
export function unsetKey(plan: StoredPlan, dotted: string): StoredPlan | null {
  const [head, ...rest] = dotted.split('.');
  if (head === undefined || !Object.hasOwn(plan, head)) return null;
  const out: StoredPlan = { ...plan };
  if (!rest.length) {
    delete out[head];
    return out;
  }
  const inner = out[head];
  if (!isObject(inner)) return null;
  const next = unsetKey(inner, rest.join('.'));
  if (!next) return null;
  if (Object.keys(next).length) out[head] = next;
  else delete out[head];
  return out;
}

// A patient's plan as the care team edits it. Every edit goes through `changePlan`, which
// validates the whole plan before storing it and keeps the history (the plan after the change,
// who made it, when), so each command that edits plans does it the same way.
import type { z } from 'zod';
import { patientPlanSchema, resolvePlan } from '../rules/plan.js';
import type { Queryable } from '../store/db.js';
import { DomainError } from '../errors.js';

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

/** The first problem, named by its dotted path (`weight.gain3dKg`), as the CLI's error. */
export function planError(error: z.ZodError, arg: string): DomainError {
  const issue = error.issues[0]!;
  const at = issue.path.map(String);
  // an unknown key is reported on the object that holds it: name the key itself
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) at.push(issue.keys[0]);
  const path = at.join('.');
  return new DomainError('invalid', `--${arg}: ${path ? `${path}: ` : ''}${issue.message}`, path);
}

/**
 * Reads the stored plan under a row lock, applies `edit`, validates the result and stores it
 * with a history row. Throws DomainError 'invalid' naming the path when the result is no plan.
 */
export async function changePlan(
  tx: Queryable,
  patientId: string,
  changedBy: string | null,
  edit: (plan: StoredPlan) => StoredPlan,
  arg: string,
): Promise<StoredPlan> {
  // the row first, so that two edits of a patient without a plan still queue on its lock
  await tx.query('INSERT INTO patient_plans (patient_id) VALUES ($1) ON CONFLICT DO NOTHING', [
    patientId,
  ]);
  const { rows } = await tx.query<{ plan: StoredPlan }>(
    'SELECT plan FROM patient_plans WHERE patient_id = $1 FOR UPDATE',
    [patientId],
  );
  const plan = edit(rows[0]?.plan ?? {});
  const checked = patientPlanSchema.safeParse(plan);
  if (!checked.success) throw planError(checked.error, arg);
  const json = JSON.stringify(plan);
  await tx.query(
    'UPDATE patient_plans SET plan = $2::jsonb, updated_at = now(), updated_by = $3 WHERE patient_id = $1',
    [patientId, json, changedBy],
  );
  await tx.query(
    'INSERT INTO patient_plan_changes (patient_id, plan, changed_by) VALUES ($1, $2::jsonb, $3)',
    [patientId, json, changedBy],
  );
  return plan;
}

export interface PlanView {
  /** What the care team set. */
  plan: StoredPlan;
  /** What the rules use: the defaults with the plan on top; `overridden` lists the team's keys. */
  resolved: Omit<ReturnType<typeof resolvePlan>, 'overridden'> & { overridden: string[] };
  /** Every change, newest first: the plan after it, who made it and when. */
  changes: { plan: StoredPlan; changedBy: string | null; changedAt: string }[];
}

export async function planView(db: Queryable, patientId: string): Promise<PlanView> {
  const [stored, history] = await Promise.all([
    db.query<{ plan: StoredPlan }>('SELECT plan FROM patient_plans WHERE patient_id = $1', [
      patientId,
    ]),
    db.query<{ plan: StoredPlan; changed_by: string | null; changed_at: Date }>(
      `SELECT plan, changed_by, changed_at FROM patient_plan_changes WHERE patient_id = $1
       ORDER BY id DESC`,
      [patientId],
    ),
  ]);
  const plan = stored.rows[0]?.plan ?? {};
  const parsed = patientPlanSchema.safeParse(plan);
  const { overridden, ...resolved } = resolvePlan(parsed.success ? parsed.data : {});
  return {
    plan,
    resolved: { ...resolved, overridden: [...overridden].sort() },
    changes: history.rows.map((r) => ({
      plan: r.plan,
      changedBy: r.changed_by,
      changedAt: new Date(r.changed_at).toISOString(),
    })),
  };
}

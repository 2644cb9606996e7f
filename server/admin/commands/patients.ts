// The admin commands for a patient's registration and plan: adding them to a care unit, their
// fixed contact, frailty and SpO2 scale, and their plan's overrides with its history of changes.
import { z } from 'zod';
import { DomainError } from '../../errors.js';
import { deepMerge, unsetKey } from '../../plans/edit.js';
import { checkPlan, isInvalidPlan } from '../../plans/plan.js';
import { changePlan, planView, resolvedPlanOf, type PlanView } from '../../plans/store.js';
import { mustExist, patientCards, registerPatient, setPatientCare } from '../../registry/index.js';
import { define, id, name } from './define.js';

/** Runs `change`; a plan it refuses is worded for the option it came from (`--set: a.b: ...`). */
async function fromOption<T>(option: string, change: () => T | Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (err) {
    if (!isInvalidPlan(err)) throw err;
    throw new DomainError('invalid', `--${option}: ${err.message}`, err.field, { cause: err });
  }
}

/** `--set` is a JSON object: a part of the plan, merged into the stored one. */
const planPatch = z.string().transform((text, ctx): Record<string, unknown> => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not JSON' });
    return z.NEVER;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: 'a JSON object, e.g. {"weight":{"gain3dKg":1.5}}' });
    return z.NEVER;
  }
  return value as Record<string, unknown>;
});

export const patientCommands = {
  'patient add': define({
    summary: 'add a patient followed by a care unit',
    args: z.object({ unit: id, name }),
    run: ({ db }, a) => registerPatient(db, { unitId: a.unit, name: a.name }),
    describe: (r) => `patient ${r.id}`,
  }),

  'patient set': define({
    summary:
      "set a patient's fixed care contact, frailty level (an assessment dated --assessed-at, today by default, by --by) or SpO2 scale",
    positional: ['patient'],
    args: z
      .object({
        patient: id,
        contact: id.optional(),
        frailty: z.coerce.number().int().min(1).max(9).optional(),
        assessedAt: z.iso.date().optional(),
        spo2Scale: z.coerce
          .number()
          .pipe(z.union([z.literal(1), z.literal(2)]))
          .optional(),
        by: id.optional(),
      })
      .refine((a) => a.assessedAt === undefined || a.frailty !== undefined, {
        path: ['assessedAt'],
        message: 'the day a --frailty was assessed: give --frailty too',
      }),
    async run(ctx, a) {
      const { db } = ctx;
      await mustExist(db, 'patient', a.patient, 'patient');
      if (a.contact) await mustExist(db, 'staff member', a.contact, 'contact');
      if (a.by) await mustExist(db, 'staff member', a.by, 'by');
      await db.transaction(async (tx) => {
        if (a.contact !== undefined || a.frailty !== undefined) {
          // the same dated assessment as the staff API's (registry/frailty.ts)
          await setPatientCare(tx, {
            patientId: a.patient,
            contactId: a.contact,
            frailty: a.frailty,
            assessedAt: a.assessedAt,
            by: a.by ?? null,
          });
        }
        const scale = a.spo2Scale;
        if (scale !== undefined) {
          await fromOption('spo2Scale', () =>
            changePlan(tx, a.patient, a.by ?? null, (p) => ({ ...p, spo2Scale: scale })),
          );
        }
      });
      if (a.spo2Scale !== undefined) ctx.onPlanChanged?.(a.patient);
      const [[card], { spo2Scale }] = await Promise.all([
        patientCards(db, [a.patient]),
        resolvedPlanOf(db, a.patient),
      ]);
      // the patient was found above, and patients are never deleted
      return {
        id: a.patient,
        fixedContact: card!.fixedContact?.id ?? null,
        frailty: card!.frailty,
        spo2Scale,
      };
    },
    describe: (r) =>
      `patient ${r.id}: contact ${r.fixedContact ?? '-'}, frailty ${r.frailty ?? '-'}, SpO2 scale ${r.spo2Scale}`,
  }),

  'patient plan': define({
    summary:
      "a patient's plan, the plan in use (defaults filled in) and its changes; --set JSON merges into it, --unset a.b removes a key (back to the default); --by names who",
    positional: ['patient'],
    args: z
      .object({
        patient: id,
        by: id.optional(),
        set: planPatch.optional(),
        unset: z
          .string()
          .regex(/^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*$/, 'a dotted key, e.g. weight.gain3dKg')
          .optional(),
      })
      .superRefine((a, ctx) => {
        if ((a.set !== undefined || a.unset !== undefined) && a.by === undefined) {
          ctx.addIssue({ code: 'custom', path: ['by'], message: 'who changes the plan' });
        }
      }),
    async run(ctx, a): Promise<PlanView> {
      const { db } = ctx;
      await mustExist(db, 'patient', a.patient, 'patient');
      const { set, unset, by } = a;
      if (by === undefined || (set === undefined && unset === undefined)) {
        return planView(db, a.patient);
      }
      await mustExist(db, 'staff member', by, 'by');
      // the part given is checked on its own first, so an error names what the person typed
      if (set !== undefined) await fromOption('set', () => checkPlan(set));
      await fromOption(set === undefined ? 'unset' : 'set', () =>
        db.transaction((tx) =>
          changePlan(tx, a.patient, by, (plan) => {
            const merged = set === undefined ? plan : deepMerge(plan, set);
            if (unset === undefined) return merged;
            const out = unsetKey(merged, unset);
            if (!out) {
              throw new DomainError('invalid', `--unset: ${unset} is not set in the plan`, 'unset');
            }
            return out;
          }),
        ),
      );
      ctx.onPlanChanged?.(a.patient);
      return planView(db, a.patient);
    },
    describe: (r) =>
      [
        `plan ${JSON.stringify(r.plan)}`,
        `overridden ${r.resolved.overridden.join(', ') || '-'}`,
        ...r.changes.map((c) => `${c.changedAt}  ${c.changedBy ?? '-'}  ${JSON.stringify(c.plan)}`),
      ].join('\n'),
  }),
};

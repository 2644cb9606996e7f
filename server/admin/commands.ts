// The admin commands, as plain functions over the database. The CLI runs them in-process when
// no hub is running, or sends them to the running hub (which owns an embedded database).
import { z } from 'zod';
import { createAlerts, type AlertChange, type Alerts } from '../alerts/lifecycle.js';
import { alertRecord, alertsOfPatient, patientOfAlert } from '../alerts/views.js';
import { DomainError } from '../errors.js';
import type { Db } from '../store/db.js';
import { latestFullSet, NEWS2_TYPES, scoreNews2 } from '../rules/news2.js';
import { loadRuleReadings } from '../rules/history.js';
import { latestReadings } from '../store/readings.js';
import {
  addDevice,
  addOrganisation,
  addStaff,
  addUnit,
  mustExist,
  patientRegistration,
  registerPatient,
  revokeDevice,
  setPatientCare,
  setStaffPassword,
  setUnitOnCall,
} from '../registry/index.js';
import { deepMerge, unsetKey } from '../plans/edit.js';
import { checkPlan, isInvalidPlan } from '../plans/plan.js';
import { changePlan, planView, resolvedPlanOf, type PlanView } from '../plans/store.js';

export interface AdminContext {
  db: Db;
  /**
   * The running hub's alerts, so that a change made here reaches its listeners; without a hub
   * the commands use their own over `db`.
   */
  alerts?: Alerts;
  /** Told after a device is revoked, so that a running hub drops its connection at once. */
  onDeviceRevoked?: (deviceId: string) => void;
  /** Told after a patient's plan changed, so that a running hub stops using its cached copy. */
  onPlanChanged?: (patientId: string) => void;
}

interface Command<S extends z.ZodType> {
  summary: string;
  /** Names given to positional words after the command, in order. */
  positional?: string[];
  args: S;
  run(ctx: AdminContext, args: z.infer<S>): Promise<unknown>;
  /** One line for people; --json prints the result itself. */
  describe(result: never): string;
}

const id = z.string().min(1).max(100);
const name = z.string().trim().min(1).max(200);

const define = <S extends z.ZodType, R>(c: {
  summary: string;
  positional?: string[];
  args: S;
  run(ctx: AdminContext, args: z.infer<S>): Promise<R>;
  describe(result: R): string;
}) => c as unknown as Command<S>;

const staffRole = z.enum(['nurse', 'physician', 'admin']);
const note = z.string().trim().min(1).max(2000);

/** An alert changed by a named person: both must exist; the lifecycle's refusals pass through. */
async function alertAction(
  ctx: AdminContext,
  a: { alert: string; by: string },
  act: (alerts: Alerts, now: Date) => Promise<AlertChange>,
): Promise<AlertChange> {
  if (!(await patientOfAlert(ctx.db, a.alert))) {
    throw new DomainError('not_found', `alert ${a.alert} does not exist`, 'alert');
  }
  await mustExist(ctx.db, 'staff member', a.by, 'by');
  return act(ctx.alerts ?? createAlerts(ctx.db), new Date());
}

/** Runs `change`; a plan it refuses is worded for the option it came from (`--set: a.b: ...`). */
async function fromOption<T>(option: string, change: () => T | Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (err) {
    if (!isInvalidPlan(err)) throw err;
    throw new DomainError('invalid', `--${option}: ${err.message}`, err.field, { cause: err });
  }
}

const describeChange = (c: AlertChange) =>
  `alert ${c.alertId} ${c.kind} by ${c.actorId ?? '-'} at ${c.at} (#${c.seq})${
    c.kind === 'snoozed' ? ` until ${String(c.data.until)}` : ''
  }`;

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

export const commands = {
  'org add': define({
    summary: 'add an organisation (a region or a municipality)',
    args: z.object({ name, kind: z.enum(['region', 'municipality']) }),
    run: ({ db }, a) => addOrganisation(db, a),
    describe: (r) => `organisation ${r.id}`,
  }),

  'unit add': define({
    summary: 'add a care unit (a health centre, a home-care team) to an organisation',
    args: z.object({ org: id, name }),
    run: ({ db }, a) => addUnit(db, { organisationId: a.org, name: a.name }),
    describe: (r) => `care unit ${r.id}`,
  }),

  'patient add': define({
    summary: 'add a patient followed by a care unit',
    args: z.object({ unit: id, name }),
    run: ({ db }, a) => registerPatient(db, { unitId: a.unit, name: a.name }),
    describe: (r) => `patient ${r.id}`,
  }),

  'device add': define({
    summary: 'register a device to a patient; prints its secret once',
    args: z.object({ patient: id, label: z.string().max(100).optional() }),
    run: ({ db }, a) => addDevice(db, { patientId: a.patient, label: a.label }),
    describe: (r) =>
      `device ${r.deviceId}\nsecret ${r.secret}\n(the secret is shown only this once: give it to the device as its MQTT password)`,
  }),

  'device revoke': define({
    summary: 'revoke a device: it can no longer connect or deliver readings',
    positional: ['deviceId'],
    args: z.object({ deviceId: id }),
    async run(ctx, a) {
      const revoked = await revokeDevice(ctx.db, a.deviceId);
      ctx.onDeviceRevoked?.(a.deviceId);
      return revoked;
    },
    describe: (r) => `device ${r.deviceId} revoked at ${r.revokedAt}`,
  }),

  'staff add': define({
    summary: 'add a staff member to a care unit; prints a generated password once',
    args: z.object({
      unit: id,
      username: z
        .string()
        .trim()
        .regex(/^[a-z0-9._-]{2,40}$/, 'lower-case letters, digits, . _ -'),
      role: staffRole,
      name: name.optional(),
    }),
    run: ({ db }, a) =>
      addStaff(db, { unitId: a.unit, username: a.username, role: a.role, displayName: a.name }),
    describe: (r) => `staff ${r.id}\npassword ${r.password}\n(shown only this once)`,
  }),

  'staff password': define({
    summary: 'give a staff member a new generated password (shown once); their sessions end',
    positional: ['username'],
    args: z.object({ username: z.string().trim().min(1).max(100) }),
    run: ({ db }, a) => setStaffPassword(db, a.username),
    describe: (r) =>
      `staff ${r.id} (${r.username})\npassword ${r.password}\n(shown only this once)`,
  }),

  'unit set': define({
    summary: 'set who covers a care unit at nights and weekends (the last escalation step)',
    positional: ['unit'],
    args: z.object({ unit: id, onCall: id }),
    run: ({ db }, a) => setUnitOnCall(db, { unitId: a.unit, onCallUnitId: a.onCall }),
    describe: (r) => `care unit ${r.id}: on call ${r.onCall}`,
  }),

  'patient set': define({
    summary: "set a patient's fixed care contact, frailty level or SpO2 scale",
    positional: ['patient'],
    args: z.object({
      patient: id,
      contact: id.optional(),
      frailty: z.coerce.number().int().min(1).max(9).optional(),
      spo2Scale: z.coerce
        .number()
        .pipe(z.union([z.literal(1), z.literal(2)]))
        .optional(),
      by: id.optional(),
    }),
    async run(ctx, a) {
      const { db } = ctx;
      await mustExist(db, 'patient', a.patient, 'patient');
      if (a.contact) await mustExist(db, 'staff member', a.contact, 'contact');
      if (a.by) await mustExist(db, 'staff member', a.by, 'by');
      await db.transaction(async (tx) => {
        if (a.contact !== undefined || a.frailty !== undefined) {
          await setPatientCare(tx, {
            patientId: a.patient,
            contactId: a.contact,
            frailty: a.frailty,
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
      const [registration, { spo2Scale }] = await Promise.all([
        patientRegistration(db, a.patient),
        resolvedPlanOf(db, a.patient),
      ]);
      // the patient was found above, and patients are never deleted
      return { id: a.patient, ...registration!, spo2Scale };
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

  'alert ack': define({
    summary: '"I am on it": the named person acknowledges an alert and owns it; escalation stops',
    positional: ['alert'],
    args: z.object({ alert: id, by: id, note: note.optional() }),
    run: (ctx, a) =>
      alertAction(ctx, a, (alerts, now) => alerts.acknowledge(a.alert, a.by, a.note ?? null, now)),
    describe: describeChange,
  }),

  'alert snooze': define({
    summary:
      'the named person is not reminded of an alert for a while, with a reason; nothing else changes (it still escalates)',
    positional: ['alert'],
    args: z.object({
      alert: id,
      by: id,
      minutes: z.coerce.number().int().min(1),
      reason: note,
    }),
    run: (ctx, a) =>
      alertAction(ctx, a, (alerts, now) => alerts.snooze(a.alert, a.by, a.minutes, a.reason, now)),
    describe: describeChange,
  }),

  'alert resolve': define({
    summary: 'the named person resolves an alert, saying what was done',
    positional: ['alert'],
    args: z.object({ alert: id, by: id, note }),
    run: (ctx, a) =>
      alertAction(ctx, a, (alerts, now) => alerts.resolve(a.alert, a.by, a.note, now)),
    describe: describeChange,
  }),

  'alert show': define({
    summary: 'an alert with its finding, running snoozes and whole history in order',
    positional: ['alert'],
    args: z.object({ alert: id }),
    async run(ctx, a) {
      const alert = await alertRecord(ctx.db, a.alert, new Date());
      if (!alert) throw new DomainError('not_found', `alert ${a.alert} does not exist`, 'alert');
      return {
        ...alert,
        events: await (ctx.alerts ?? createAlerts(ctx.db)).history(a.alert),
      };
    },
    describe: (r) =>
      [
        `alert ${r.id}  ${r.status}  ${r.severity}  ${r.rule}  patient ${r.patientId}  owner ${r.ownerId ?? '-'}  level ${r.escalationLevel}`,
        ...r.snoozes.map((s) => `snoozed by ${s.staffId} until ${s.until}: ${s.reason}`),
        ...r.events.map(
          (e) =>
            `#${e.seq}  ${e.at}  ${e.kind.padEnd(12)} ${e.actorId ?? '-'}${e.note ? `  "${e.note}"` : ''}`,
        ),
      ].join('\n'),
  }),

  alerts: define({
    summary: "a patient's alerts, newest first, with rule, severity, status and reason",
    args: z.object({ patient: id }),
    async run({ db }, a) {
      await mustExist(db, 'patient', a.patient, 'patient');
      return alertsOfPatient(db, a.patient);
    },
    describe: (rows) =>
      rows.length
        ? rows
            .map(
              (r) =>
                `${r.openedAt}  ${r.status.padEnd(12)} ${r.severity.padEnd(8)} ${r.rule}: ${r.reason.en}`,
            )
            .join('\n')
        : 'no alerts',
  }),

  scores: define({
    summary:
      "the patient's latest NEWS2 from a full set of vital signs measured within an hour, or null",
    args: z.object({ patient: id }),
    async run({ db }, a) {
      await mustExist(db, 'patient', a.patient, 'patient');
      const [readings, { spo2Scale }] = await Promise.all([
        loadRuleReadings(db, a.patient, new Date(Date.now() - 30 * 86_400_000), NEWS2_TYPES),
        resolvedPlanOf(db, a.patient),
      ]);
      const set = latestFullSet(readings, {});
      if (!set) return null;
      const score = scoreNews2(set.inputs, { spo2Scale });
      return { ...score, measuredAt: set.measuredAt.toISOString() };
    },
    describe: (r) =>
      r ? `NEWS2 ${r.total} (${r.band}) at ${r.measuredAt}` : 'no full set of vital signs yet',
  }),

  readings: define({
    summary: "a patient's latest readings, newest first, in canonical units",
    args: z.object({ patient: id, limit: z.coerce.number().int().min(1).max(1000).default(50) }),
    async run({ db }, a) {
      await mustExist(db, 'patient', a.patient, 'patient');
      return latestReadings(db, a.patient, a.limit);
    },
    describe: (rows) =>
      rows.length
        ? rows
            .map(
              (r) =>
                `${r.measuredAt}  ${r.type.padEnd(16)} ${
                  r.type === 'blood_pressure'
                    ? `${r.systolic}/${r.diastolic}${r.pulse ? ` pulse ${r.pulse}` : ''}`
                    : (r.value ?? r.code)
                } ${r.unit ?? ''}`,
            )
            .join('\n')
        : 'no readings yet',
  }),
};

export type CommandName = keyof typeof commands;
export const commandNames = Object.keys(commands) as CommandName[];

/** Validates the arguments and runs one command; the single entry point for CLI and hub. */
export async function runCommand(ctx: AdminContext, name: string, rawArgs: unknown) {
  const command = (commands as Record<string, Command<z.ZodType>>)[name];
  if (!command) {
    throw new DomainError('invalid', `unknown command "${name}"; try: ${commandNames.join(', ')}`);
  }
  const parsed = command.args.safeParse(rawArgs);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String).join('.');
    throw new DomainError('invalid', `--${path}: ${issue.message}`, path);
  }
  return command.run(ctx, parsed.data);
}

export function describeResult(name: string, result: unknown): string {
  const command = (commands as Record<string, Command<z.ZodType>>)[name];
  return command ? command.describe(result as never) : JSON.stringify(result);
}

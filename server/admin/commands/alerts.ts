// The admin commands for alerts: a named person acknowledges, snoozes or resolves one, and an
// alert's history or a patient's alerts are shown. The lifecycle's own refusals pass through.
import { z } from 'zod';
import { createAlerts, type AlertChange, type Alerts } from '../../alerts/lifecycle.js';
import { reasonView } from '../../alerts/reasonView.js';
import { alertRecord, alertsOfPatient, patientOfAlert } from '../../alerts/views.js';
import { DomainError } from '../../errors.js';
import { mustExist } from '../../registry/index.js';
import { define, id, type AdminContext } from './define.js';

/** What a person writes on an alert: a note on acknowledging or resolving, a snooze's reason. */
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

const describeChange = (c: AlertChange) =>
  `alert ${c.alertId} ${c.kind} by ${c.actorId ?? '-'} at ${c.at} (#${c.seq})${
    c.kind === 'snoozed' ? ` until ${String(c.data.until)}` : ''
  }`;

export const alertCommands = {
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
      const finding = alert.finding as { reason?: unknown } | null;
      return {
        ...alert,
        // said from the stored code (or the text stored before reasons were codes)
        reason: reasonView(finding?.reason).reason,
        events: await (ctx.alerts ?? createAlerts(ctx.db)).history(a.alert),
      };
    },
    describe: (r) =>
      [
        `alert ${r.id}  ${r.status}  ${r.severity}  ${r.rule}  patient ${r.patientId}  owner ${r.ownerId ?? '-'}  level ${r.escalationLevel}`,
        r.reason.en,
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
};

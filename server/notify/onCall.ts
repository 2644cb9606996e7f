// When an alert reaches the on-call level (server/alerts/lifecycle.ts escalateDue, which names in
// its `escalated` event the on-call units and whoever was on call there): the person on call is
// told through the notifiers (an email naming the patient by initials, the severity and a link).
// Where nobody was on call, the gap is itself an alert, `oncall.nobody` (high), raised through the
// alerts lifecycle on the same patient as rules.failed is: its care team sees it, the on-call
// unit's admins are granted it and told by email, and it is logged. Only the hub that escalated
// the alert hears its event, so each escalation is told once whatever the number of hubs.
import { z } from 'zod';
import { severitySchema } from '../../contract/alerts.js';
import type { AlertChange, Alerts } from '../alerts/lifecycle.js';
import { alertRecord } from '../alerts/views.js';
import type { Logger } from '../ops/log.js';
import {
  patientCards,
  staffContacts,
  unitAdminIds,
  unitNames,
  type StaffContact,
} from '../registry/index.js';
import type { Queryable } from '../store/db.js';
import {
  alertLink,
  escalationMessage,
  initials,
  nobodyOnCallFinding,
  nobodyOnCallMessage,
  ONCALL_NOBODY,
  type RosterGap,
} from './messages.js';
import type { Message, Notifier } from './notifier.js';

const onCallSchema = z.array(z.object({ unitId: z.string(), staffId: z.string().nullable() }));

export interface OnCallDeps {
  db: Queryable;
  alerts: Alerts;
  /** Empty: nobody is told by email (SMTP_URL unset); the alert of a gap is still raised. */
  notifiers: readonly Notifier[];
  /** Where people reach the dashboard, for the links (known once the hub listens). */
  publicUrl(): string;
  log: Logger;
}

/** Starts listening; returns what stops it, waiting for what it is telling. */
export function startOnCallNotifications(d: OnCallDeps): () => Promise<void> {
  const log = d.log.child({ stage: 'notify' });
  const pending = new Set<Promise<void>>();

  async function tell(person: StaffContact, message: Message, alertId: string) {
    const who = { alertId, staffId: person.id };
    if (!d.notifiers.length) log.info(who, 'no notifier configured: nobody told outside the hub');
    for (const n of d.notifiers) {
      try {
        if (await n.notify(person, message)) log.info({ ...who, kind: n.kind }, 'notified');
        else log.warn({ ...who, kind: n.kind }, 'cannot notify: no address');
      } catch (err) {
        log.error({ err, ...who, kind: n.kind }, 'notification failed');
      }
    }
  }

  async function escalatedToOnCall(change: AlertChange) {
    const covers = onCallSchema.safeParse(change.data.onCall);
    if (!covers.success) return;
    const at = new Date(change.at);
    const alert = await alertRecord(d.db, change.alertId, at);
    if (!alert) return;
    const severity = severitySchema.parse(alert.severity);
    const [patient] = await patientCards(d.db, [alert.patientId]);
    const names = await unitNames(
      d.db,
      covers.data.map((c) => c.unitId),
    );
    const patientInitials = initials(patient?.displayName ?? '');
    for (const cover of covers.data) {
      const unitName = names.get(cover.unitId) ?? cover.unitId;
      if (cover.staffId) {
        const link = alertLink(d.publicUrl(), alert.id);
        const message = escalationMessage({ initials: patientInitials, severity, unitName, link });
        for (const person of await staffContacts(d.db, [cover.staffId])) {
          await tell(person, message, alert.id);
        }
      } else if (alert.rule !== ONCALL_NOBODY) {
        // the alert of a gap escalating in turn would only repeat itself
        const gap: RosterGap = {
          unitName,
          at,
          timeZone: patient?.timeZone ?? 'Europe/Stockholm',
          initials: patientInitials,
          severity,
        };
        await nobodyOnCall(alert.patientId, alert.id, cover.unitId, gap);
      }
    }
  }

  async function nobodyOnCall(patientId: string, alertId: string, unitId: string, gap: RosterGap) {
    const raised = await d.alerts.raise(patientId, nobodyOnCallFinding(gap), gap.at);
    const admins = await unitAdminIds(d.db, unitId);
    await d.alerts.grantAccess(
      raised.alertId,
      admins.map((id) => ({ unitId: null, staffId: id })),
      gap.at,
    );
    log.warn(
      { alertId, unitId, gapAlertId: raised.alertId, admins: admins.length },
      "nobody on call: the unit's admins are alerted",
    );
    const message = nobodyOnCallMessage(gap, alertLink(d.publicUrl(), raised.alertId));
    for (const admin of await staffContacts(d.db, admins)) {
      await tell(admin, message, raised.alertId);
    }
  }

  const onChange = (change: AlertChange) => {
    if (change.kind !== 'escalated' || change.data.to !== 'on_call_unit') return;
    const done: Promise<void> = escalatedToOnCall(change)
      .catch((err: unknown) =>
        log.error({ err, alertId: change.alertId }, 'telling the on-call unit failed'),
      )
      .finally(() => pending.delete(done));
    pending.add(done);
  };
  d.alerts.events.on('change', onChange);

  return async () => {
    d.alerts.events.off('change', onChange);
    await Promise.all(pending);
    await Promise.all(d.notifiers.map((n) => n.close()));
  };
}

// Alerts: a finding opens one, or updates the unresolved alert of the same patient and rule
// (severity can rise, never fall by itself). Open -> acknowledged -> resolved, each step with
// who, when and a note, kept as events numbered from one sequence. An open alert that nobody
// acknowledges escalates: fixed care contact -> care unit -> on-call unit. Escalation is
// claimed with FOR UPDATE SKIP LOCKED, so two hub processes never escalate the same alert.
import { EventEmitter } from 'node:events';
import type { Db, Queryable } from '../store/db.js';
import { newId } from '../store/ids.js';
import { severityRank, type Finding, type Severity } from '../rules/types.js';

export type AlertStatus = 'open' | 'acknowledged' | 'resolved';
export type AlertEventKind = 'opened' | 'updated' | 'acknowledged' | 'escalated' | 'resolved';

export interface AlertChange {
  seq: number;
  alertId: string;
  patientId: string;
  kind: AlertEventKind;
  actorId: string | null;
  note: string | null;
  at: string;
  data: Record<string, unknown>;
}

/** Minutes an open alert of each severity waits before it escalates a level (configurable). */
export type EscalationLimits = Record<Severity, number | null>;
export const DEFAULT_ESCALATION: EscalationLimits = {
  critical: 15,
  high: 60,
  medium: 4 * 60,
  low: null,
  info: null,
};
const MAX_LEVEL = 2;

export class AlertError extends Error {
  constructor(
    readonly code: 'not_found' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

/** Every alert change as a typed event, for realtime and notifications; the store knows no listener. */
export class AlertEvents extends EventEmitter<{ change: [AlertChange] }> {}

interface AlertRow {
  id: string;
  patient_id: string;
  severity: Severity;
  status: AlertStatus;
  escalation_level: number;
  escalate_at: Date | null;
}

/** The reading whose arrival raised the finding, when the rules say (publish-to-alert timing). */
const triggerOf = (f: Finding): { trigger?: unknown } =>
  'trigger' in f && f.trigger ? { trigger: f.trigger } : {};

const plusMinutes = (now: Date, minutes: number | null) =>
  minutes === null ? null : new Date(now.getTime() + minutes * 60_000);

export function createAlerts(
  db: Db,
  opts: { limits?: EscalationLimits; events?: AlertEvents } = {},
) {
  const limits = opts.limits ?? DEFAULT_ESCALATION;
  const events = opts.events ?? new AlertEvents();

  async function record(
    tx: Queryable,
    alert: { id: string; patient_id: string },
    kind: AlertEventKind,
    at: Date,
    actorId: string | null,
    note: string | null,
    data: Record<string, unknown>,
  ): Promise<AlertChange> {
    const { rows } = await tx.query<{ seq: string }>(
      `INSERT INTO alert_events (seq, alert_id, patient_id, kind, actor_id, note, at, data)
       VALUES (nextval('alert_seq'), $1, $2, $3, $4, $5, $6, $7::jsonb) RETURNING seq`,
      [alert.id, alert.patient_id, kind, actorId, note, at.toISOString(), JSON.stringify(data)],
    );
    const seq = Number(rows[0]!.seq);
    await tx.query('UPDATE alerts SET seq = $2, updated_at = $3 WHERE id = $1', [
      alert.id,
      seq,
      at.toISOString(),
    ]);
    return {
      seq,
      alertId: alert.id,
      patientId: alert.patient_id,
      kind,
      actorId,
      note,
      at: at.toISOString(),
      data,
    };
  }

  async function inTransaction<T>(
    fn: (tx: Queryable, changes: AlertChange[]) => Promise<T>,
  ): Promise<T> {
    const changes: AlertChange[] = [];
    const out = await db.transaction((tx) => fn(tx, changes));
    for (const c of changes) events.emit('change', c); // only what committed
    return out;
  }

  async function lockAlert(tx: Queryable, id: string): Promise<AlertRow> {
    const { rows } = await tx.query<AlertRow>(
      'SELECT id, patient_id, severity, status, escalation_level, escalate_at FROM alerts WHERE id = $1 FOR UPDATE',
      [id],
    );
    if (!rows[0]) throw new AlertError('not_found', `alert ${id} does not exist`);
    return rows[0];
  }

  /** A person moves an unresolved alert on; `set` names one more column, given as $2. */
  function transition(
    alertId: string,
    status: 'acknowledged' | 'resolved',
    actorId: string | null,
    note: string | null,
    now: Date,
    set: string,
    value: string | null,
  ): Promise<AlertChange> {
    return inTransaction(async (tx, changes) => {
      const a = await lockAlert(tx, alertId);
      if (a.status === 'resolved') {
        throw new AlertError('conflict', `alert ${alertId} is already resolved`);
      }
      await tx.query(
        `UPDATE alerts SET status = '${status}', ${set}, escalate_at = NULL WHERE id = $1`,
        [alertId, value],
      );
      const c = await record(tx, a, status, now, actorId, note, {});
      changes.push(c);
      return c;
    });
  }

  return {
    events,

    /** Opens an alert for the finding, or updates the patient's unresolved alert for its rule. */
    raise(patientId: string, finding: Finding, now: Date): Promise<AlertChange> {
      return inTransaction(async (tx, changes) => {
        const { rows } = await tx.query<AlertRow>(
          `SELECT id, patient_id, severity, status, escalation_level, escalate_at FROM alerts
           WHERE patient_id = $1 AND rule = $2 AND status <> 'resolved' FOR UPDATE`,
          [patientId, finding.rule],
        );
        const current = rows[0];
        if (!current) {
          const id = newId('alert');
          await tx.query(
            `INSERT INTO alerts (id, patient_id, rule, severity, status, escalate_at, opened_at,
               updated_at, finding, seq)
             VALUES ($1, $2, $3, $4, 'open', $5, $6, $6, $7::jsonb, 0)`,
            [
              id,
              patientId,
              finding.rule,
              finding.severity,
              plusMinutes(now, limits[finding.severity])?.toISOString() ?? null,
              now.toISOString(),
              JSON.stringify(finding),
            ],
          );
          const c = await record(tx, { id, patient_id: patientId }, 'opened', now, null, null, {
            severity: finding.severity,
            rule: finding.rule,
            ...triggerOf(finding),
          });
          changes.push(c);
          return c;
        }
        const rises = severityRank[finding.severity] > severityRank[current.severity];
        const severity = rises ? finding.severity : current.severity;
        // a rise brings the escalation forward when the new severity's limit is sooner
        const sooner = plusMinutes(now, limits[severity]);
        const escalateAt =
          current.status === 'open' &&
          rises &&
          sooner &&
          (!current.escalate_at || sooner < current.escalate_at)
            ? sooner
            : current.escalate_at;
        await tx.query(
          'UPDATE alerts SET severity = $2, finding = $3::jsonb, escalate_at = $4 WHERE id = $1',
          [
            current.id,
            severity,
            JSON.stringify(finding),
            escalateAt ? new Date(escalateAt).toISOString() : null,
          ],
        );
        const c = await record(tx, current, 'updated', now, null, null, {
          severity,
          rose: rises,
          ...triggerOf(finding),
        });
        changes.push(c);
        return c;
      });
    },

    /** "I am on it": the person becomes the owner, for everyone to see; escalation stops. */
    acknowledge(alertId: string, staffId: string, note: string | null, now: Date) {
      return transition(alertId, 'acknowledged', staffId, note, now, 'owner_id = $2', staffId);
    },

    resolve(alertId: string, staffId: string | null, note: string | null, now: Date) {
      return transition(
        alertId,
        'resolved',
        staffId,
        note,
        now,
        'resolved_at = $2',
        now.toISOString(),
      );
    },

    /**
     * Escalates every open alert whose time is up, one level; claimed row by row so that
     * concurrent hubs share the work and never take the same alert. Returns what it escalated.
     */
    escalateDue(now: Date, batch = 100): Promise<AlertChange[]> {
      return inTransaction(async (tx, changes) => {
        const { rows } = await tx.query<AlertRow>(
          `SELECT id, patient_id, severity, status, escalation_level, escalate_at FROM alerts
           WHERE status = 'open' AND escalate_at <= $1 AND escalation_level < $2
           ORDER BY escalate_at LIMIT $3 FOR UPDATE SKIP LOCKED`,
          [now.toISOString(), MAX_LEVEL, batch],
        );
        for (const a of rows) {
          const level = a.escalation_level + 1;
          const next = level < MAX_LEVEL ? plusMinutes(now, limits[a.severity]) : null;
          await tx.query(
            'UPDATE alerts SET escalation_level = $2, escalate_at = $3 WHERE id = $1',
            [a.id, level, next?.toISOString() ?? null],
          );
          changes.push(
            await record(tx, a, 'escalated', now, null, null, {
              level,
              to: level === 1 ? 'care_unit' : 'on_call_unit',
            }),
          );
        }
        return changes.slice();
      });
    },

    /** Changes after `seq`, in order: what a listener missed while away. */
    async changesSince(seq: number, limit = 1000): Promise<AlertChange[]> {
      const { rows } = await db.query<{
        seq: string;
        alert_id: string;
        patient_id: string;
        kind: AlertEventKind;
        actor_id: string | null;
        note: string | null;
        at: Date;
        data: Record<string, unknown>;
      }>('SELECT * FROM alert_events WHERE seq > $1 ORDER BY seq LIMIT $2', [seq, limit]);
      return rows.map((r) => ({
        seq: Number(r.seq),
        alertId: r.alert_id,
        patientId: r.patient_id,
        kind: r.kind,
        actorId: r.actor_id,
        note: r.note,
        at: new Date(r.at).toISOString(),
        data: r.data,
      }));
    },
  };
}
export type Alerts = ReturnType<typeof createAlerts>;

// Alerts: a finding opens one, or updates the unresolved alert of the same patient and problem
// (problems.ts: the rules of one problem agree on one card; a finding in the opposite direction
// replaces those it contradicts). Severity can rise, never fall by itself (only when the
// direction turns, to the new finding's). Open -> acknowledged -> resolved, each step with
// who, when and a note, kept as events numbered from one sequence. An open alert that nobody
// acknowledges escalates: fixed care contact -> care unit -> on-call unit. Escalation is
// claimed with FOR UPDATE SKIP LOCKED, so two hub processes never escalate the same alert.
// Reaching the on-call level grants the on-call units and the persons on call then (the
// registry's roster) access to the alert (alert_access), in the escalating transaction.
// Snoozing is per person ("do not remind me until ..., because ..."): it is an event everyone
// sees, but it changes neither status, owner nor escalation, so it never hides an alert from all.
import { EventEmitter } from 'node:events';
import { DomainError } from '../errors.js';
import { isConflictRollback, type Db, type Queryable } from '../store/db.js';
import { newId } from '../store/ids.js';
import { mustExist } from '../registry/exists.js';
import { onCallCoverOf, type OnCallCover } from '../registry/roster.js';
import { severityRank, type Finding, type Severity } from '../shapes/finding.js';
import { problemOf, storedFinding } from './problems.js';

export type { AlertChange, AlertEventKind, AlertStatus } from '../../contract/alerts.js';
import type { AlertChange, AlertEventKind, AlertStatus } from '../../contract/alerts.js';

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

/** Who an alert is shown to beyond its patient's care units: a unit's clinicians, a person. */
export interface AlertGrant {
  unitId: string | null;
  staffId: string | null;
}

/**
 * Why access to an alert is an explicit grant, written when the escalation happens, rather than
 * a rule derived from its level and the units' on-call unit at the time of reading: the roster
 * and `on_call_unit_id` change (a shift ends at 07:00, a unit gets another on-call unit), and the
 * person who was on call and acted must still find the alert, while whoever is on call next week
 * must not find this one. The grant records who was given access, when and why, as the audit
 * trail needs; it lasts while the alert is unresolved and a day after (views.ts).
 */
async function grant(
  tx: Queryable,
  alertId: string,
  grants: readonly AlertGrant[],
  at: Date,
): Promise<void> {
  if (!grants.length) return;
  await tx.query(
    `INSERT INTO alert_access (alert_id, care_unit_id, staff_id, reason, granted_at)
     SELECT $1, g.unit_id, g.staff_id, 'escalation', $4
     FROM unnest($2::text[], $3::text[]) AS g(unit_id, staff_id)`,
    [alertId, grants.map((g) => g.unitId), grants.map((g) => g.staffId), at.toISOString()],
  );
}

/**
 * The longest one person may snooze an alert of each severity, in minutes (configurable).
 * Design proposals, not guideline text: no longer than the escalation step for critical, high
 * and medium, so a snooze never outlasts the time the team gives itself; a day for the rest.
 */
export type SnoozeLimits = Record<Severity, number>;
export const DEFAULT_SNOOZE_MAX: SnoozeLimits = {
  critical: 15,
  high: 60,
  medium: 4 * 60,
  low: 24 * 60,
  info: 24 * 60,
};

/** One person's snooze of one alert that has not run out. */
export interface Snooze {
  alertId: string;
  staffId: string;
  until: string;
  reason: string;
  at: string;
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

/**
 * When a new alert of `finding` escalates: after its severity's limit, except a late finding's
 * (its reading was older than its rule's freshness when judged: server/rules/freshness.ts),
 * which gets no timer at all: a day-old value is not made urgent by waiting. An
 * update keeps the alert's timer unless its severity rises (RAISE_SQL): a late finding on an
 * alert raised fresh leaves that alert's escalation as it was.
 */
export const escalateAtOf = (limits: EscalationLimits) => (finding: Finding, now: Date) =>
  finding.late ? null : (plusMinutes(now, limits[finding.severity])?.toISOString() ?? null);

/** Severities from the lowest up, for SQL to rank a stored severity as severityRank does. */
const severityOrder = (Object.keys(severityRank) as Severity[]).sort(
  (x, y) => severityRank[x] - severityRank[y],
);

/**
 * Opens or updates the alerts of several findings of distinct (patient, problem) in one statement
 * (one round trip, no explicit transaction; the rules raise what a commit of many patients
 * found together): an upsert on alerts_one_unresolved, with the events and the snooze deletions
 * as CTEs on its result. $1 a JSON array of { ord, id (a new alert's), patient_id, rule,
 * problem, direction, escalate_at (now + the severity's escalation limit; null for a late
 * finding), finding (as stored: problems.ts), trig (the event's trigger: {} or {trigger}) },
 * $2 now, $3 severityOrder. Each event comes back with its `ord`.
 *
 * One alert per patient and problem (problems.ts): `merged` is the alert's agreeing findings
 * after this one (those of the opposite direction dropped, this rule's replaced), `head` the
 * worst of them (the newest on a tie), which becomes the alert's finding, rule and, when it
 * rises or the direction turned, its severity. The event says what changed: the rules now
 * agreeing, those added and dropped, and the value before and now (and when it was measured).
 *
 * The SET sees the old row but RETURNING only the new one, so the old state comes from `cur`,
 * which locks the unresolved alerts first; under READ COMMITTED FOR UPDATE yields the latest
 * version of a row changed concurrently: the row ON CONFLICT updates. An alert another hub
 * inserted after this statement's snapshot conflicts but is not in `cur`: the guard then
 * updates nothing, no row comes back for that finding, and raiseAll() runs it again.
 */
const RAISE_SQL = `
WITH input AS (
  SELECT * FROM json_to_recordset($1::json)
    AS i(ord int, id text, patient_id text, rule text, problem text, direction text,
      escalate_at timestamptz, finding jsonb, trig jsonb)
), cur AS MATERIALIZED (
  SELECT a.id, i.ord, a.findings AS old, a.severity AS old_severity
  FROM input i JOIN alerts a ON a.patient_id = i.patient_id AND a.problem = i.problem
    AND a.status <> 'resolved'
  FOR UPDATE OF a
), merged AS (
  SELECT i.ord, c.id AS cid, c.old_severity,
    COALESCE((SELECT jsonb_object_agg(k, v) FROM jsonb_each(c.old) AS f(k, v)
      WHERE k <> i.rule AND (i.direction IS NULL OR v->>'direction' IS NULL
        OR v->>'direction' = i.direction)), '{}'::jsonb)
      || jsonb_build_object(i.rule, i.finding) AS findings,
    EXISTS (SELECT 1 FROM jsonb_each(c.old) AS f(k, v)
      WHERE v->>'direction' <> i.direction) AS reversed
  FROM input i LEFT JOIN cur c ON c.ord = i.ord
), head AS (
  SELECT m.*, h.finding, h.finding->>'severity' AS severity,
    m.cid IS NOT NULL AND array_position($3::text[], h.finding->>'severity')
      > array_position($3::text[], m.old_severity) AS rises
  FROM merged m JOIN input i ON i.ord = m.ord,
  LATERAL (SELECT v AS finding FROM jsonb_each(m.findings) AS f(k, v)
    ORDER BY array_position($3::text[], v->>'severity') DESC, k = i.rule DESC, k LIMIT 1) h
), up AS (
  INSERT INTO alerts AS a (id, patient_id, rule, problem, severity, status, escalate_at,
    opened_at, updated_at, finding, findings, seq, owner_id)
  SELECT i.id, i.patient_id, h.finding->>'rule', i.problem, h.severity, 'open', i.escalate_at,
    $2, $2, h.finding, h.findings,
    CASE WHEN h.cid IS NOT NULL THEN 0 ELSE nextval('alert_seq') END,
    (SELECT fixed_contact_id FROM patients WHERE id = i.patient_id)
  FROM input i JOIN head h ON h.ord = i.ord
  ORDER BY i.ord
  ON CONFLICT (patient_id, problem) WHERE status <> 'resolved' DO UPDATE SET
    rule = EXCLUDED.rule,
    severity = CASE WHEN (SELECT rises OR reversed FROM head WHERE head.cid = a.id)
      THEN EXCLUDED.severity ELSE a.severity END,
    escalate_at = CASE
      WHEN (SELECT rises FROM head WHERE head.cid = a.id) AND a.status = 'open'
        AND EXCLUDED.escalate_at < COALESCE(a.escalate_at, 'infinity')
      THEN EXCLUDED.escalate_at ELSE a.escalate_at END,
    finding = EXCLUDED.finding,
    findings = EXCLUDED.findings,
    seq = nextval('alert_seq'),
    updated_at = EXCLUDED.updated_at
  WHERE EXISTS (SELECT 1 FROM cur WHERE cur.id = a.id)
  RETURNING a.id, a.patient_id, a.problem, a.severity, a.seq, a.findings,
    NOT EXISTS (SELECT 1 FROM cur WHERE cur.id = a.id) AS opened,
    COALESCE((SELECT rises FROM head WHERE head.cid = a.id), false) AS rose
), unsnoozed AS (
  DELETE FROM alert_snoozes WHERE alert_id IN (SELECT id FROM up WHERE rose)
), event AS (
  INSERT INTO alert_events (seq, alert_id, patient_id, kind, at, data)
  SELECT u.seq, u.id, u.patient_id, CASE WHEN u.opened THEN 'opened' ELSE 'updated' END, $2,
    jsonb_build_object('severity', u.severity, 'rule', i.rule, 'problem', u.problem,
      'rules', (SELECT jsonb_agg(k ORDER BY k) FROM jsonb_object_keys(u.findings) AS k),
      'value', i.finding->'value')
      || CASE WHEN i.finding ? 'measuredAt'
        THEN jsonb_build_object('measuredAt', i.finding->'measuredAt') ELSE '{}' END
      || CASE WHEN u.opened THEN '{}' ELSE jsonb_build_object('rose', u.rose,
        'previousValue', (SELECT e.data->'value' FROM alert_events e
          WHERE e.alert_id = u.id AND e.data ? 'value' ORDER BY e.seq DESC LIMIT 1),
        'added', COALESCE((SELECT jsonb_agg(k ORDER BY k) FROM jsonb_object_keys(u.findings) AS k
          WHERE NOT c.old ? k), '[]'),
        'dropped', COALESCE((SELECT jsonb_agg(k ORDER BY k) FROM jsonb_object_keys(c.old) AS k
          WHERE NOT u.findings ? k), '[]')) END
      || i.trig
  FROM up u JOIN input i ON i.patient_id = u.patient_id AND i.problem = u.problem
  LEFT JOIN cur c ON c.id = u.id
  RETURNING seq, alert_id, patient_id, kind, actor_id, note, at, data
)
SELECT e.*, i.ord FROM event e JOIN input i ON i.patient_id = e.patient_id
  AND i.problem = e.data->>'problem'
ORDER BY e.seq`;

interface EventRow {
  seq: string;
  alert_id: string;
  patient_id: string;
  kind: AlertEventKind;
  actor_id: string | null;
  note: string | null;
  at: Date;
  data: Record<string, unknown>;
}
const toChange = (r: EventRow): AlertChange => ({
  seq: Number(r.seq),
  alertId: r.alert_id,
  patientId: r.patient_id,
  kind: r.kind,
  actorId: r.actor_id,
  note: r.note,
  at: new Date(r.at).toISOString(),
  data: r.data,
});

export function createAlerts(
  db: Db,
  opts: { limits?: EscalationLimits; snoozeMax?: Partial<SnoozeLimits>; events?: AlertEvents } = {},
) {
  const limits = opts.limits ?? DEFAULT_ESCALATION;
  const escalateAt = escalateAtOf(limits);
  const snoozeMax: SnoozeLimits = { ...DEFAULT_SNOOZE_MAX, ...opts.snoozeMax };
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
    if (!rows[0]) throw new DomainError('not_found', `alert ${id} does not exist`);
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
        throw new DomainError('conflict', `alert ${alertId} is already resolved`);
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

  /**
   * Opens an alert for each finding, or updates the patient's unresolved alert for its problem: one
   * statement per round, a round holding one finding per patient and problem (a second one of the
   * same goes in the next). Changes in the findings' order.
   */
  async function raiseAll(
    items: readonly { patientId: string; finding: Finding }[],
    now: Date,
  ): Promise<AlertChange[]> {
    const out: AlertChange[] = new Array(items.length);
    let rest = items.map((item, index) => ({ ...item, index, tries: 0 }));
    while (rest.length) {
      const keys = new Set<string>();
      const round: typeof rest = [];
      const later: typeof rest = [];
      for (const item of rest) {
        const key = `${item.patientId}\u0000${problemOf(item.finding.rule)}`;
        if (keys.has(key)) later.push(item);
        else {
          keys.add(key);
          round.push(item);
        }
      }
      const input = round.map(({ patientId, finding }, ord) => {
        const stored = storedFinding(finding);
        return {
          ord,
          id: newId('alert'),
          patient_id: patientId,
          rule: finding.rule,
          problem: stored.problem,
          direction: stored.direction,
          escalate_at: escalateAt(finding, now),
          finding: stored,
          trig: triggerOf(finding),
        };
      });
      const rows = await raiseRound(input, now);
      const raised = new Set<number>();
      for (const row of rows) {
        const c = toChange(row); // the event as stored, as history() reads it
        out[round[row.ord]!.index] = c;
        raised.add(row.ord);
        events.emit('change', c); // the statement has committed; in seq order
      }
      // rarely: an alert another hub inserted meanwhile (the guard in RAISE_SQL); tried again
      // before any later finding of the same alert
      const again = round.filter((item, ord) => !raised.has(ord));
      for (const item of again) {
        if (++item.tries >= 3) {
          throw new Error(
            `raising ${item.finding.rule} for ${item.patientId} kept meeting concurrent raises`,
          );
        }
      }
      rest = [...again, ...later];
    }
    return out;
  }

  /**
   * One round's statement. Its row locks are taken in two steps (the alerts it saw, then the
   * keys it inserts), so another hub raising the same alerts can deadlock with it; PostgreSQL
   * then rolls one statement back whole, and that one is run again.
   */
  async function raiseRound(input: readonly object[], now: Date) {
    for (let attempt = 1; ; attempt++) {
      try {
        const { rows } = await db.query<EventRow & { ord: number }>(
          RAISE_SQL,
          [JSON.stringify(input), now.toISOString(), severityOrder],
          { prepare: 'alert_raise' },
        );
        return rows;
      } catch (err) {
        if (!isConflictRollback(err) || attempt >= 5) throw err;
      }
    }
  }

  /** raiseAll for one finding. */
  async function raise(patientId: string, finding: Finding, now: Date): Promise<AlertChange> {
    const [change] = await raiseAll([{ patientId, finding }], now);
    return change!;
  }

  return {
    events,

    /** Opens an alert for the finding, or updates the patient's unresolved alert for its problem. */
    raise,

    /** Several findings at once, in as few statements as their alerts allow. */
    raiseAll,

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
     * "Do not remind me until then": this person's snooze, replacing any earlier one of theirs.
     * Status, owner and escalation stay as they are. Longer than the severity allows, without
     * a reason, or on a resolved alert is refused.
     */
    async snooze(
      alertId: string,
      staffId: string,
      minutes: number,
      reason: string,
      now: Date,
    ): Promise<AlertChange> {
      const why = reason.trim();
      if (!why) throw new DomainError('invalid', 'a snooze needs a reason', 'reason');
      if (!Number.isInteger(minutes) || minutes < 1) {
        throw new DomainError(
          'invalid',
          'a snooze is a whole number of minutes, at least 1',
          'minutes',
        );
      }
      return inTransaction(async (tx, changes) => {
        const a = await lockAlert(tx, alertId);
        await mustExist(tx, 'staff member', staffId, 'staffId');
        if (a.status === 'resolved') {
          throw new DomainError('conflict', `alert ${alertId} is already resolved`);
        }
        const max = snoozeMax[a.severity];
        if (minutes > max) {
          throw new DomainError(
            'invalid',
            `a ${a.severity} alert may be snoozed for at most ${max} minutes`,
            'minutes',
          );
        }
        const until = new Date(now.getTime() + minutes * 60_000).toISOString();
        await tx.query(
          `INSERT INTO alert_snoozes (alert_id, staff_id, until, reason, at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (alert_id, staff_id) DO UPDATE
             SET until = EXCLUDED.until, reason = EXCLUDED.reason, at = EXCLUDED.at`,
          [alertId, staffId, until, why, now.toISOString()],
        );
        const c = await record(tx, a, 'snoozed', now, staffId, why, { until, minutes });
        changes.push(c);
        return c;
      });
    },

    /** The person's snoozes still running at `now` on unresolved alerts: what to dim for them. */
    async activeSnoozes(staffId: string, now: Date): Promise<Snooze[]> {
      const { rows } = await db.query<{
        alert_id: string;
        staff_id: string;
        until: Date;
        reason: string;
        at: Date;
      }>(
        `SELECT s.alert_id, s.staff_id, s.until, s.reason, s.at FROM alert_snoozes s
         JOIN alerts a ON a.id = s.alert_id
         WHERE s.staff_id = $1 AND s.until > $2 AND a.status <> 'resolved' ORDER BY s.until`,
        [staffId, now.toISOString()],
      );
      return rows.map((r) => ({
        alertId: r.alert_id,
        staffId: r.staff_id,
        until: new Date(r.until).toISOString(),
        reason: r.reason,
        at: new Date(r.at).toISOString(),
      }));
    },

    /** When this person's snooze of the alert runs out, or null when they have none running. */
    async snoozedUntil(alertId: string, staffId: string, now: Date): Promise<string | null> {
      const { rows } = await db.query<{ until: Date }>(
        `SELECT until FROM alert_snoozes WHERE alert_id = $1 AND staff_id = $2 AND until > $3`,
        [alertId, staffId, now.toISOString()],
      );
      return rows[0] ? new Date(rows[0].until).toISOString() : null;
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
          // the on-call units and whoever is on call there now; each listed in the event, so
          // that its listeners (notifications) know whom it reached and where nobody was on call
          let onCall: OnCallCover[] | null = null;
          if (level === MAX_LEVEL) {
            onCall = await onCallCoverOf(tx, a.patient_id, now);
            await grant(
              tx,
              a.id,
              onCall.map((c) => ({ unitId: c.unitId, staffId: c.staffId })),
              now,
            );
          }
          changes.push(
            await record(tx, a, 'escalated', now, null, null, {
              level,
              to: level === 1 ? 'care_unit' : 'on_call_unit',
              ...(onCall ? { onCall } : {}),
            }),
          );
        }
        return changes.slice();
      });
    },

    /**
     * Shows an alert to more units or persons, for the escalation's reason (the alert that
     * nobody is on call, to the unit's admins); `not_found` without the alert.
     */
    grantAccess(alertId: string, grants: readonly AlertGrant[], now: Date): Promise<void> {
      return db.transaction(async (tx) => {
        await lockAlert(tx, alertId);
        await grant(tx, alertId, grants, now);
      });
    },

    /** Changes after `seq`, in order: what a listener missed while away. */
    async changesSince(seq: number, limit = 1000): Promise<AlertChange[]> {
      const { rows } = await db.query<EventRow>(
        'SELECT * FROM alert_events WHERE seq > $1 ORDER BY seq LIMIT $2',
        [seq, limit],
      );
      return rows.map(toChange);
    },

    /** One alert's whole history, in order. */
    async history(alertId: string): Promise<AlertChange[]> {
      const { rows } = await db.query<EventRow>(
        'SELECT * FROM alert_events WHERE alert_id = $1 ORDER BY seq',
        [alertId],
      );
      return rows.map(toChange);
    },
  };
}
export type Alerts = ReturnType<typeof createAlerts>;

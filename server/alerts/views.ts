// The alerts as people see them: the view the API answers and realtime pushes (with the patient,
// the owner, the fixed contact and the person's own snooze), and the reads the CLI, the patient
// list and the rules make of the alerts table. The lifecycle (lifecycle.ts) writes them.
import type { Queryable } from '../store/db.js';
import { perTurn } from '../store/perTurn.js';
import { severityRank, type Finding } from '../shapes/finding.js';

// the schema of what crosses the wire lives in the contract; re-exported for the server's callers
export { alertSchema, alertStatusSchema, type Alert } from '../../contract/alerts.js';
import type { Alert, AlertStatus, Severity } from '../../contract/alerts.js';
import { reasonView } from './reasonView.js';
interface Row {
  id: string;
  patient_id: string;
  patient_name: string;
  frailty_level: number | null;
  rule: string;
  severity: Alert['severity'];
  status: Alert['status'];
  owner_id: string | null;
  owner_name: string | null;
  contact_id: string | null;
  contact_name: string | null;
  escalation_level: number;
  escalate_at: Date | null;
  opened_at: Date;
  updated_at: Date;
  finding: StoredFinding;
  problem: string;
  findings: Record<string, StoredFinding>;
  seq: string | number;
  snoozed_until: Date | null;
}

/** A finding as stored: what the view reads of it (older alerts may lack any of these). */
type StoredFinding = Record<string, unknown> & {
  /** A code and its parameters; before reasons were codes, `{ sv, en }` text. */
  reason?: unknown;
  readings?: { measuredAt?: string }[];
  measuredAt?: string;
  receivedAt?: string;
  late?: boolean;
  ageHours?: number;
};

/**
 * When the finding's newest reading was measured and arrived, and whether it was late: from the
 * finding (the rules set them); an alert raised before they did has its readings' newest time.
 */
function measurementOf(f: StoredFinding) {
  const times = (f.readings ?? []).map((r) => r.measuredAt).filter((t) => t !== undefined);
  const newest = times.length
    ? times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a))
    : null;
  const late = f.late === true;
  return {
    measuredAt: f.measuredAt ?? newest,
    receivedAt: f.receivedAt ?? null,
    late,
    ageHours: late ? (f.ageHours ?? null) : null,
  };
}

const rank = (f: StoredFinding) =>
  typeof f.severity === 'string' && f.severity in severityRank
    ? severityRank[f.severity as Severity]
    : -1;

/** The rules agreeing on the alert's problem, worst first, the headline's first on a tie. */
function agreeingRules(r: Pick<Row, 'rule' | 'findings'>): string[] {
  const rules = Object.keys(r.findings);
  if (!rules.length) return [r.rule];
  return rules.sort(
    (x, y) =>
      rank(r.findings[y]!) - rank(r.findings[x]!) ||
      Number(y === r.rule) - Number(x === r.rule) ||
      x.localeCompare(y),
  );
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const toAlert = (r: Row): Alert => ({
  id: r.id,
  patientId: r.patient_id,
  patientName: r.patient_name,
  frailty: r.frailty_level,
  rule: r.rule,
  problem: r.problem,
  rules: agreeingRules(r),
  severity: r.severity,
  status: r.status,
  owner: r.owner_id && r.owner_name ? { id: r.owner_id, displayName: r.owner_name } : null,
  fixedContact:
    r.contact_id && r.contact_name ? { id: r.contact_id, displayName: r.contact_name } : null,
  escalationLevel: r.escalation_level,
  escalateAt: iso(r.escalate_at),
  openedAt: iso(r.opened_at)!,
  updatedAt: iso(r.updated_at)!,
  ...reasonView(r.finding.reason),
  ...measurementOf(r.finding),
  finding: r.finding,
  seq: Number(r.seq),
  snoozedUntil: iso(r.snoozed_until),
});

/**
 * Alerts as the person sees them (`viewerId`: their own snoozes; null: nobody's); `where` is SQL
 * over `a` with $3 onwards.
 */
export async function selectAlerts(
  db: Queryable,
  viewerId: string | null,
  now: Date,
  where: string,
  params: unknown[],
  /** A name for a `where` that runs often (see QueryOptions.prepare): one name, one `where`. */
  prepare?: string,
): Promise<Alert[]> {
  const { rows } = await db.query<Row>(
    `SELECT a.id, a.patient_id, p.display_name AS patient_name, p.frailty_level, a.rule,
       a.severity, a.status, o.id AS owner_id, o.display_name AS owner_name,
       c.id AS contact_id, c.display_name AS contact_name, a.escalation_level, a.escalate_at,
       a.opened_at, a.updated_at, a.finding, a.problem, a.findings, a.seq,
       CASE WHEN a.status <> 'resolved' THEN sn.until END AS snoozed_until
     FROM alerts a
     JOIN patients p ON p.id = a.patient_id
     LEFT JOIN staff o ON o.id = a.owner_id
     LEFT JOIN staff c ON c.id = p.fixed_contact_id
     LEFT JOIN alert_snoozes sn ON sn.alert_id = a.id AND sn.staff_id = $1 AND sn.until > $2
     WHERE ${where}
     ORDER BY (a.owner_id IS NULL) DESC,
       CASE a.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2
         WHEN 'low' THEN 1 ELSE 0 END DESC,
       a.opened_at, a.id`,
    [viewerId, now.toISOString(), ...params],
    prepare ? { prepare } : undefined,
  );
  return rows.map(toAlert);
}

/**
 * The alert as the API shows it, for realtime pushes, sent to every dashboard of the care units
 * following the patient, so that none has to fetch it. The alerts changed in one turn of the
 * event loop are read in one query (the rules raise a commit's alerts together). A snooze is
 * one person's, and a push goes to a whole unit's room: `snoozedUntil` is null here and each
 * dashboard keeps its own. Null when the alert does not exist.
 */
export function alertView(db: Queryable, now: () => Date) {
  const views = perTurn<string, Alert | null>(async (ids) => {
    const found = await selectAlerts(
      db,
      null,
      now(),
      'a.id = ANY($3::text[])',
      [ids],
      'alert_views',
    );
    const byId = new Map(found.map((a) => [a.id, a]));
    return ids.map((id) => byId.get(id) ?? null);
  });
  return (alertId: string): Promise<Alert | null> => views.load(alertId);
}

/** Who asks, for the alerts granted to them: their id and the units where they are clinicians. */
export interface Grantee {
  id: string;
  clinicalUnitIds: string[];
}

/** How long after its resolution an alert stays visible through a grant, in hours. */
export const GRANT_AFTER_RESOLVED_H = 24;

/**
 * SQL: the ids of the alerts granted to the person (`units`: their clinical units, `staff`: their
 * id), as an array computed once per statement, so that `a.id = ANY(...)` ORed with the care
 * units' `a.patient_id = ANY(...)` is two index scans (a correlated EXISTS there made the nurse's
 * list a sequential scan of every alert: 200 ms against 2 ms for 300,000 alerts on PostgreSQL).
 */
const grantedIds = (units: string, staff: string) =>
  `ARRAY(SELECT g.alert_id FROM alert_access g
    WHERE g.care_unit_id = ANY(${units}::text[]) OR g.staff_id = ${staff})`;

/**
 * SQL over `a`: how long a grant lasts: while the alert is unresolved and a day after it was
 * resolved ($2: now), so that whoever acted on it at night still finds it in the morning.
 */
const GRANT_LASTS = `(a.status <> 'resolved'
  OR a.resolved_at > $2::timestamptz - interval '${GRANT_AFTER_RESOLVED_H} hours')`;

/**
 * The alerts in these statuses of these patients (those the person's units follow) and those
 * granted to the person, as they see them (the nurse's list).
 */
export function alertsVisibleTo(
  db: Queryable,
  viewer: Grantee,
  now: Date,
  patientIds: string[],
  statuses: string[],
): Promise<Alert[]> {
  return selectAlerts(
    db,
    viewer.id,
    now,
    `(a.patient_id = ANY($3::text[]) OR a.id = ANY(${grantedIds('$5', '$6')}))
     AND a.status = ANY($4::text[])
     AND (a.patient_id = ANY($3::text[]) OR ${GRANT_LASTS})`,
    [patientIds, statuses, viewer.clinicalUnitIds, viewer.id],
  );
}

/** Whether an escalation's grant lets the person see the alert at `now`. */
export async function isGranted(
  db: Queryable,
  viewer: Grantee,
  now: Date,
  alertId: string,
): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM alerts a WHERE a.id = $1 AND ${GRANT_LASTS} AND EXISTS (
       SELECT 1 FROM alert_access g WHERE g.alert_id = a.id
         AND (g.care_unit_id = ANY($3::text[]) OR g.staff_id = $4))`,
    [alertId, now.toISOString(), viewer.clinicalUnitIds, viewer.id],
  );
  return rows.length > 0;
}

/** The ids of the alerts granted to the person at `now` (a dashboard resuming its feed). */
export async function grantedAlertIds(
  db: Queryable,
  viewer: Grantee,
  now: Date,
): Promise<Set<string>> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT a.id FROM alerts a WHERE a.id = ANY(${grantedIds('$1', '$3')}) AND ${GRANT_LASTS}`,
    [viewer.clinicalUnitIds, now.toISOString(), viewer.id],
  );
  return new Set(rows.map((r) => r.id));
}

/**
 * The care units each alert was granted to (realtime pushes its changes to them too); the alerts
 * changed in one turn of the event loop are read in one query, as their views are.
 */
export function grantedUnits(db: Queryable) {
  const units = perTurn<string, string[]>(async (ids) => {
    const { rows } = await db.query<{ alert_id: string; care_unit_id: string }>(
      `SELECT DISTINCT alert_id, care_unit_id FROM alert_access
       WHERE alert_id = ANY($1::text[]) AND care_unit_id IS NOT NULL`,
      [ids],
      { prepare: 'alert_granted_units' },
    );
    const byAlert = new Map<string, string[]>();
    for (const r of rows)
      byAlert.set(r.alert_id, [...(byAlert.get(r.alert_id) ?? []), r.care_unit_id]);
    return ids.map((id) => byAlert.get(id) ?? []);
  });
  return (alertId: string): Promise<string[]> => units.load(alertId);
}

/** One alert as `viewerId` sees it, or null. */
export async function alertAsSeenBy(
  db: Queryable,
  viewerId: string,
  now: Date,
  alertId: string,
): Promise<Alert | null> {
  const [alert] = await selectAlerts(db, viewerId, now, 'a.id = $3', [alertId]);
  return alert ?? null;
}

/**
 * The findings of the rules that agree on an alert (its explanation lists them), worst first as
 * `rules` lists them: the alert's `findings` (one alert per patient and problem); an alert stored
 * before it had them, its one finding. As stored: an older finding may lack what newer rules add.
 */
export async function agreeingFindings(
  db: Queryable,
  alert: Pick<Alert, 'id' | 'finding' | 'rules'>,
): Promise<Partial<Finding>[]> {
  const { rows } = await db.query<{ findings: Record<string, Partial<Finding>> }>(
    'SELECT findings FROM alerts WHERE id = $1',
    [alert.id],
  );
  const findings = rows[0]?.findings ?? {};
  const agreeing = alert.rules.map((r) => findings[r]).filter((f) => f !== undefined);
  return agreeing.length ? agreeing : [alert.finding as Partial<Finding>];
}

/** The patient an alert is about, or null when there is no such alert. */
export async function patientOfAlert(db: Queryable, alertId: string): Promise<string | null> {
  const { rows } = await db.query<{ patient_id: string }>(
    'SELECT patient_id FROM alerts WHERE id = $1',
    [alertId],
  );
  return rows[0]?.patient_id ?? null;
}

export interface OpenAlertBrief {
  id: string;
  patientId: string;
  rule: string;
  severity: Severity;
  status: AlertStatus;
}

/** The unresolved alerts of these patients, oldest first (the patient list's badges). */
export async function openAlertsOfPatients(
  db: Queryable,
  patientIds: string[],
): Promise<OpenAlertBrief[]> {
  const { rows } = await db.query<OpenAlertBrief>(
    `SELECT id, patient_id AS "patientId", rule, severity, status FROM alerts
     WHERE patient_id = ANY($1::text[]) AND status <> 'resolved' ORDER BY opened_at`,
    [patientIds],
  );
  return rows;
}

/**
 * For each patient, the rules that have an unresolved alert (the rules' re-measure decisions):
 * every agreeing rule of each alert, not only its headline.
 */
export async function unresolvedRulesOf(
  db: Queryable,
  patientIds: readonly string[],
): Promise<Map<string, Set<string>>> {
  const { rows } = await db.query<{ patient_id: string; rule: string }>(
    `SELECT patient_id, rule FROM alerts WHERE patient_id = ANY($1::text[]) AND status <> 'resolved'
     UNION SELECT patient_id, jsonb_object_keys(findings) FROM alerts
     WHERE patient_id = ANY($1::text[]) AND status <> 'resolved'`,
    [patientIds],
    { prepare: 'alerts_unresolved_rules' },
  );
  const of = new Map<string, Set<string>>();
  for (const r of rows) {
    let rules = of.get(r.patient_id);
    if (!rules) of.set(r.patient_id, (rules = new Set()));
    rules.add(r.rule);
  }
  return of;
}

/** The unresolved alerts among these (patient, rule) pairs, by id. */
export async function unresolvedAlertIds(
  db: Queryable,
  pairs: { patientId: string; rule: string }[],
): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT a.id FROM alerts a
     JOIN unnest($1::text[], $2::text[]) AS f(patient_id, rule)
       ON a.patient_id = f.patient_id AND a.rule = f.rule
     WHERE a.status <> 'resolved'`,
    [pairs.map((p) => p.patientId), pairs.map((p) => p.rule)],
    { prepare: 'rules_resolve_missing' },
  );
  return rows.map((r) => r.id);
}

/** A patient's alerts, newest first, in brief (the CLI's `alerts`). */
export async function alertsOfPatient(db: Queryable, patientId: string) {
  const { rows } = await db.query<{
    id: string;
    rule: string;
    severity: string;
    status: string;
    escalationLevel: number;
    openedAt: string;
    reason: unknown;
  }>(
    `SELECT id, rule, severity, status, escalation_level AS "escalationLevel",
       to_json(opened_at)#>>'{}' AS "openedAt", finding->'reason' AS reason
     FROM alerts WHERE patient_id = $1 ORDER BY opened_at DESC, seq DESC`,
    [patientId],
  );
  return rows.map((r) => ({ ...r, reason: reasonView(r.reason).reason }));
}

/** One alert as stored, with the snoozes running at `now` (none once resolved); null if none. */
export async function alertRecord(db: Queryable, alertId: string, now: Date) {
  const { rows } = await db.query<{
    id: string;
    patientId: string;
    rule: string;
    severity: string;
    status: string;
    ownerId: string | null;
    escalationLevel: number;
    escalateAt: Date | null;
    openedAt: Date;
    resolvedAt: Date | null;
    finding: unknown;
  }>(
    `SELECT id, patient_id AS "patientId", rule, severity, status, owner_id AS "ownerId",
       escalation_level AS "escalationLevel", escalate_at AS "escalateAt",
       opened_at AS "openedAt", resolved_at AS "resolvedAt", finding
     FROM alerts WHERE id = $1`,
    [alertId],
  );
  const alert = rows[0];
  if (!alert) return null;
  const snoozes = await db.query<{ staff_id: string; until: Date; reason: string }>(
    `SELECT staff_id, until, reason FROM alert_snoozes
     WHERE alert_id = $1 AND until > $2 AND $3 ORDER BY until`,
    [alertId, now.toISOString(), alert.status !== 'resolved'],
  );
  return {
    ...alert,
    escalateAt: iso(alert.escalateAt),
    openedAt: iso(alert.openedAt)!,
    resolvedAt: iso(alert.resolvedAt),
    snoozes: snoozes.rows.map((s) => ({
      staffId: s.staff_id,
      until: iso(s.until)!,
      reason: s.reason,
    })),
  };
}

/** An alert in brief with the time its finding is about (the quality report, the demo). */
export interface AlertBrief {
  id: string;
  patientId: string;
  rule: string;
  severity: Severity;
  status: AlertStatus;
  openedAt: string;
  /**
   * What the finding is about, in the patients' time: its newest reading's measured time, else
   * the end of its window (a missed measurement), else when the alert opened.
   */
  findingAt: string;
  /** The same of each finding that agrees on the alert (one alert per patient and problem). */
  findingsAt: string[];
}

/** Every alert of these patients in brief, oldest first. */
export async function alertBriefs(db: Queryable, patientIds: string[]): Promise<AlertBrief[]> {
  const { rows } = await db.query<AlertBrief>(
    `SELECT id, patient_id AS "patientId", rule, severity, status,
       to_json(opened_at)#>>'{}' AS "openedAt",
       COALESCE(
         (SELECT max(r->>'measuredAt') FROM jsonb_array_elements(finding->'readings') r),
         finding->'window'->>'to', to_json(opened_at)#>>'{}') AS "findingAt",
       COALESCE((SELECT array_agg(t) FROM jsonb_each(findings) AS f(rule, v),
         LATERAL (SELECT COALESCE(
           (SELECT max(r->>'measuredAt') FROM jsonb_array_elements(v->'readings') r),
           v->'window'->>'to') AS t) ft WHERE t IS NOT NULL), '{}') AS "findingsAt"
     FROM alerts WHERE patient_id = ANY($1::text[]) ORDER BY opened_at, seq`,
    [patientIds],
  );
  return rows;
}

/** How many alerts there are by rule, most first, and how many are not resolved. */
export async function alertCounts(
  db: Queryable,
): Promise<{ open: number; byRule: { rule: string; n: number }[] }> {
  const { rows } = await db.query<{ rule: string; n: number; open: number }>(
    `SELECT rule, count(*)::int AS n, count(*) FILTER (WHERE status <> 'resolved')::int AS open
     FROM alerts GROUP BY rule ORDER BY n DESC, rule`,
  );
  return {
    open: rows.reduce((sum, r) => sum + r.open, 0),
    byRule: rows.map(({ rule, n }) => ({ rule, n })),
  };
}

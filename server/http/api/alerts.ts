// Alerts of the person's patients: the list a nurse works from, one alert with its history, and
// acknowledge / snooze / resolve by the signed-in person. Every read or change is audited.
import { Router } from 'express';
import { z } from 'zod';
import { visiblePatientIds } from '../../access/scope.js';
import type { Viewer } from '../../auth/sessions.js';
import type { Queryable } from '../../store/db.js';
import { perTurn } from '../../store/perTurn.js';
import { audit, requirePatient, viewerOf, type ApiDeps } from './context.js';
import { DomainError } from '../../errors.js';
import { parseInput } from './errors.js';
import type { RouteDoc } from './openapiTypes.js';

const statusSchema = z.enum(['open', 'acknowledged', 'resolved']);
const person = z.object({ id: z.string(), displayName: z.string() });
export const alertSchema = z.object({
  id: z.string(),
  patientId: z.string(),
  patientName: z.string(),
  frailty: z.number().nullable(),
  rule: z.string(),
  severity: z.enum(['info', 'low', 'medium', 'high', 'critical']),
  status: statusSchema,
  owner: person.nullable(),
  fixedContact: person.nullable(),
  escalationLevel: z.number().int().min(0).max(2),
  escalateAt: z.string().nullable(),
  openedAt: z.string(),
  updatedAt: z.string(),
  reason: z.object({ sv: z.string(), en: z.string() }),
  finding: z.record(z.string(), z.unknown()),
  seq: z.number().int(),
  snoozedUntil: z.string().nullable(),
});
export type Alert = z.infer<typeof alertSchema>;
const alertWithHistorySchema = alertSchema.extend({
  history: z.array(
    z.object({
      seq: z.number().int(),
      kind: z.string(),
      actor: person.nullable(),
      note: z.string().nullable(),
      at: z.string(),
      data: z.record(z.string(), z.unknown()),
    }),
  ),
});

export const alertsQuerySchema = z.object({ status: statusSchema.optional() });
const note = z.string().trim().min(1).max(2000);
export const acknowledgeSchema = z.object({ note: note.optional() });
export const snoozeSchema = z.object({ minutes: z.number().int().min(1), reason: note });
export const resolveSchema = z.object({ note });

export const alertRoutes: RouteDoc[] = [
  {
    method: 'get',
    path: '/alerts',
    summary: "Alerts of the person's patients: unowned first, then severity, then oldest",
    query: alertsQuerySchema,
    response: z.array(alertSchema),
  },
  {
    method: 'get',
    path: '/alerts/{id}',
    summary: 'One alert with its history',
    response: alertWithHistorySchema,
  },
  {
    method: 'post',
    path: '/alerts/{id}/acknowledge',
    summary: '"I am on it": the person owns the alert; escalation stops',
    body: acknowledgeSchema,
    response: alertSchema,
  },
  {
    method: 'post',
    path: '/alerts/{id}/snooze',
    summary: 'Do not remind me for a while, with a reason',
    body: snoozeSchema,
    response: alertSchema,
  },
  {
    method: 'post',
    path: '/alerts/{id}/resolve',
    summary: 'Resolve, saying what was done',
    body: resolveSchema,
    response: alertSchema,
  },
];

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
  finding: Record<string, unknown> & { reason?: { sv: string; en: string } };
  seq: string | number;
  snoozed_until: Date | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const toAlert = (r: Row): Alert => ({
  id: r.id,
  patientId: r.patient_id,
  patientName: r.patient_name,
  frailty: r.frailty_level,
  rule: r.rule,
  severity: r.severity,
  status: r.status,
  owner: r.owner_id && r.owner_name ? { id: r.owner_id, displayName: r.owner_name } : null,
  fixedContact:
    r.contact_id && r.contact_name ? { id: r.contact_id, displayName: r.contact_name } : null,
  escalationLevel: r.escalation_level,
  escalateAt: iso(r.escalate_at),
  openedAt: iso(r.opened_at)!,
  updatedAt: iso(r.updated_at)!,
  reason: r.finding.reason ?? { sv: '', en: '' },
  finding: r.finding,
  seq: Number(r.seq),
  snoozedUntil: iso(r.snoozed_until),
});

/**
 * Alerts as the person sees them (`viewerId`: their own snoozes; null: nobody's); `where` is SQL
 * over `a` with $3 onwards.
 */
async function selectAlerts(
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
       a.opened_at, a.updated_at, a.finding, a.seq,
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

export function alertsRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db } = deps;

  /** The alert after the person may see it clinically (404 / 403 otherwise). */
  async function visibleAlert(viewer: Viewer, alertId: string): Promise<Alert> {
    const { rows } = await db.query<{ patient_id: string }>(
      'SELECT patient_id FROM alerts WHERE id = $1',
      [alertId],
    );
    const patientId = rows[0]?.patient_id;
    if (!patientId) throw new DomainError('not_found', `alert ${alertId} does not exist`);
    try {
      await requirePatient(deps, viewer, patientId, 'clinical');
    } catch (err) {
      if (err instanceof DomainError && err.code === 'not_found') {
        throw new DomainError('not_found', `alert ${alertId} does not exist`);
      }
      throw err;
    }
    const [alert] = await selectAlerts(db, viewer.id, deps.now(), 'a.id = $3', [alertId]);
    return alert!;
  }

  r.get('/alerts', async (req, res) => {
    const viewer = viewerOf(res);
    const q = parseInput(alertsQuerySchema, req.query);
    const statuses = q.status ? [q.status] : ['open', 'acknowledged'];
    const ids = await visiblePatientIds(db, viewer);
    const list = ids.length
      ? await selectAlerts(
          db,
          viewer.id,
          deps.now(),
          'a.patient_id = ANY($3::text[]) AND a.status = ANY($4::text[])',
          [ids, statuses],
        )
      : [];
    await audit(deps, req, viewer, [...new Set(list.map((a) => a.patientId))], 'alerts.list');
    res.json(list);
  });

  r.get('/alerts/:id', async (req, res) => {
    const viewer = viewerOf(res);
    const alert = await visibleAlert(viewer, req.params.id);
    const changes = await deps.alerts.history(alert.id);
    const actorIds = [...new Set(changes.flatMap((c) => (c.actorId ? [c.actorId] : [])))];
    const { rows } = await db.query<{ id: string; display_name: string }>(
      'SELECT id, display_name FROM staff WHERE id = ANY($1::text[])',
      [actorIds],
    );
    const names = new Map(rows.map((s) => [s.id, s.display_name]));
    await audit(deps, req, viewer, [alert.patientId], 'alert.read', { alertId: alert.id });
    res.json({
      ...alert,
      history: changes.map((c) => ({
        seq: c.seq,
        kind: c.kind,
        actor: c.actorId ? { id: c.actorId, displayName: names.get(c.actorId) ?? c.actorId } : null,
        note: c.note,
        at: c.at,
        data: c.data,
      })),
    });
  });

  r.post('/alerts/:id/acknowledge', async (req, res) => {
    const viewer = viewerOf(res);
    const body = parseInput(acknowledgeSchema, req.body ?? {});
    const alert = await visibleAlert(viewer, req.params.id);
    await deps.alerts.acknowledge(alert.id, viewer.id, body.note ?? null, deps.now());
    await audit(deps, req, viewer, [alert.patientId], 'alert.acknowledge', { alertId: alert.id });
    res.json(await visibleAlert(viewer, alert.id));
  });

  r.post('/alerts/:id/snooze', async (req, res) => {
    const viewer = viewerOf(res);
    const body = parseInput(snoozeSchema, req.body ?? {});
    const alert = await visibleAlert(viewer, req.params.id);
    await deps.alerts.snooze(alert.id, viewer.id, body.minutes, body.reason, deps.now());
    await audit(deps, req, viewer, [alert.patientId], 'alert.snooze', { alertId: alert.id });
    res.json(await visibleAlert(viewer, alert.id));
  });

  r.post('/alerts/:id/resolve', async (req, res) => {
    const viewer = viewerOf(res);
    const body = parseInput(resolveSchema, req.body ?? {});
    const alert = await visibleAlert(viewer, req.params.id);
    await deps.alerts.resolve(alert.id, viewer.id, body.note, deps.now());
    await audit(deps, req, viewer, [alert.patientId], 'alert.resolve', { alertId: alert.id });
    res.json(await visibleAlert(viewer, alert.id));
  });

  return r;
}

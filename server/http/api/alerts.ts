// Alerts of the person's patients: the list a nurse works from, one alert with its history, and
// acknowledge / snooze / resolve by the signed-in person. Every read or change is audited. An
// alert escalated to the person's on-call unit (or to them) is theirs too, alone of its
// patient's record, audited `via: 'escalation'` (server/access/scope.ts).
import { Router } from 'express';
import { z } from 'zod';
import {
  acknowledgeSchema,
  alertDetailSchema,
  alertExplanationSchema,
  alertSchema,
  alertsQuerySchema,
  resolveSchema,
  snoozeSchema,
  type AlertDetail,
} from '../../../contract/alerts.js';
import { alertAccessOf, clinicalUnitIds, visiblePatientIds } from '../../access/scope.js';
import type { Viewer } from '../../auth/sessions.js';
import type { AuditVia } from '../../audit/log.js';
import { alertAsSeenBy, alertsVisibleTo, type Alert } from '../../alerts/views.js';
import { explainAlert } from '../../patients/explanation.js';
import { staffNames } from '../../registry/staff.js';
import { audit, notClinical, viewerOf, type ApiDeps } from './context.js';
import { DomainError } from '../../errors.js';
import { parseInput } from './errors.js';
import type { RouteDoc } from './openapiTypes.js';

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
    response: alertDetailSchema,
  },
  {
    method: 'get',
    path: '/alerts/{id}/explanation',
    summary:
      "Why the alert came: each agreeing rule's threshold and where it came from (default, or the plan change that set it and who made it), its guideline, the readings it judged and the patient's readings of those 14 days",
    response: alertExplanationSchema,
  },
  {
    method: 'post',
    path: '/alerts/{id}/acknowledge',
    summary: '"I am on it": the person owns the alert; escalation stops',
    body: acknowledgeSchema,
    response: alertSchema,
    refusals: ['conflict'],
  },
  {
    method: 'post',
    path: '/alerts/{id}/snooze',
    summary: 'Do not remind me for a while, with a reason',
    body: snoozeSchema,
    response: alertSchema,
    refusals: ['conflict'],
  },
  {
    method: 'post',
    path: '/alerts/{id}/resolve',
    summary: 'Resolve, saying what was done',
    body: resolveSchema,
    response: alertSchema,
    refusals: ['conflict'],
  },
];

export function alertsRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db } = deps;

  /**
   * The alert after the person may see it clinically (404 / 403 otherwise), and through what:
   * their unit following the patient, or the alert's escalation.
   */
  async function visibleAlert(viewer: Viewer, alertId: string): Promise<Alert & { via: AuditVia }> {
    const access = await alertAccessOf(db, viewer, alertId, deps.now());
    if (!access) throw new DomainError('not_found', `alert ${alertId} does not exist`);
    if (!access.via) throw notClinical();
    return { ...(await alertAsSeenBy(db, viewer.id, deps.now(), alertId))!, via: access.via };
  }

  r.get('/alerts', async (req, res) => {
    const viewer = viewerOf(res);
    const q = parseInput(alertsQuerySchema, req.query);
    const statuses = q.status ? [q.status] : ['open', 'acknowledged'];
    const ids = await visiblePatientIds(db, viewer);
    const grantee = { id: viewer.id, clinicalUnitIds: clinicalUnitIds(viewer) };
    const list = await alertsVisibleTo(db, grantee, deps.now(), ids, statuses);
    const cared = new Set(ids);
    const seen = [...new Set(list.map((a) => a.patientId))];
    await audit(
      deps,
      req,
      viewer,
      seen.filter((p) => cared.has(p)),
      'alerts.list',
    );
    const escalated = seen.filter((p) => !cared.has(p));
    await audit(deps, req, viewer, escalated, 'alerts.list', undefined, 'escalation');
    res.json(list);
  });

  r.get('/alerts/:id', async (req, res) => {
    const viewer = viewerOf(res);
    const alert = await visibleAlert(viewer, req.params.id);
    const changes = await deps.alerts.history(alert.id);
    const actorIds = [...new Set(changes.flatMap((c) => (c.actorId ? [c.actorId] : [])))];
    const names = await staffNames(db, actorIds);
    await audit(
      deps,
      req,
      viewer,
      [alert.patientId],
      'alert.read',
      { alertId: alert.id },
      alert.via,
    );
    const { via: _via, ...shown } = alert;
    const detail: AlertDetail = {
      ...shown,
      history: changes.map((c) => ({
        seq: c.seq,
        kind: c.kind,
        actor: c.actorId ? { id: c.actorId, displayName: names.get(c.actorId) ?? c.actorId } : null,
        note: c.note,
        at: c.at,
        data: c.data,
      })),
    };
    res.json(detail);
  });

  r.get('/alerts/:id/explanation', async (req, res) => {
    const viewer = viewerOf(res);
    const alert = await visibleAlert(viewer, req.params.id);
    const explanation = await explainAlert(db, alert, deps.now());
    if (!explanation) throw new DomainError('not_found', `alert ${alert.id} does not exist`);
    await audit(
      deps,
      req,
      viewer,
      [alert.patientId],
      'alert.explain',
      { alertId: alert.id },
      alert.via,
    );
    res.json(explanation);
  });

  /** A person's change of an alert they see: validated, made, audited; answers the alert after. */
  function change<S extends z.ZodType>(
    name: 'acknowledge' | 'snooze' | 'resolve',
    schema: S,
    act: (alertId: string, staffId: string, body: z.infer<S>, now: Date) => Promise<unknown>,
  ) {
    r.post(`/alerts/:id/${name}`, async (req, res) => {
      const viewer = viewerOf(res);
      const body = parseInput(schema, req.body ?? {});
      const alert = await visibleAlert(viewer, req.params.id!);
      await act(alert.id, viewer.id, body, deps.now());
      const detail = { alertId: alert.id };
      await audit(deps, req, viewer, [alert.patientId], `alert.${name}`, detail, alert.via);
      res.json(await alertAsSeenBy(db, viewer.id, deps.now(), alert.id));
    });
  }
  change('acknowledge', acknowledgeSchema, (id, staffId, body, now) =>
    deps.alerts.acknowledge(id, staffId, body.note ?? null, now),
  );
  change('snooze', snoozeSchema, (id, staffId, body, now) =>
    deps.alerts.snooze(id, staffId, body.minutes, body.reason, now),
  );
  change('resolve', resolveSchema, (id, staffId, body, now) =>
    deps.alerts.resolve(id, staffId, body.note, now),
  );

  return r;
}

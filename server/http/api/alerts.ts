// Alerts of the person's patients: the list a nurse works from, one alert with its history, and
// acknowledge / snooze / resolve by the signed-in person. Every read or change is audited.
import { Router } from 'express';
import { z } from 'zod';
import {
  acknowledgeSchema,
  alertDetailSchema,
  alertSchema,
  alertsQuerySchema,
  resolveSchema,
  snoozeSchema,
  type AlertDetail,
} from '../../../contract/alerts.js';
import { visiblePatientIds } from '../../access/scope.js';
import type { Viewer } from '../../auth/sessions.js';
import { alertAsSeenBy, alertsOfPatients, patientOfAlert, type Alert } from '../../alerts/views.js';
import { staffNames } from '../../registry/staff.js';
import { audit, requirePatient, viewerOf, type ApiDeps } from './context.js';
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

  /** The alert after the person may see it clinically (404 / 403 otherwise). */
  async function visibleAlert(viewer: Viewer, alertId: string): Promise<Alert> {
    const patientId = await patientOfAlert(db, alertId);
    if (!patientId) throw new DomainError('not_found', `alert ${alertId} does not exist`);
    try {
      await requirePatient(deps, viewer, patientId, 'clinical');
    } catch (err) {
      if (err instanceof DomainError && err.code === 'not_found') {
        throw new DomainError('not_found', `alert ${alertId} does not exist`);
      }
      throw err;
    }
    return (await alertAsSeenBy(db, viewer.id, deps.now(), alertId))!;
  }

  r.get('/alerts', async (req, res) => {
    const viewer = viewerOf(res);
    const q = parseInput(alertsQuerySchema, req.query);
    const statuses = q.status ? [q.status] : ['open', 'acknowledged'];
    const ids = await visiblePatientIds(db, viewer);
    const list = await alertsOfPatients(db, viewer.id, deps.now(), ids, statuses);
    await audit(deps, req, viewer, [...new Set(list.map((a) => a.patientId))], 'alerts.list');
    res.json(list);
  });

  r.get('/alerts/:id', async (req, res) => {
    const viewer = viewerOf(res);
    const alert = await visibleAlert(viewer, req.params.id);
    const changes = await deps.alerts.history(alert.id);
    const actorIds = [...new Set(changes.flatMap((c) => (c.actorId ? [c.actorId] : [])))];
    const names = await staffNames(db, actorIds);
    await audit(deps, req, viewer, [alert.patientId], 'alert.read', { alertId: alert.id });
    const detail: AlertDetail = {
      ...alert,
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

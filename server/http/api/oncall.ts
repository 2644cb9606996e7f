// A care unit's on-call roster: who is on call from when to when (server/registry/roster.ts).
// Everyone who works in the unit (admins and clinicians) may read it; only its admins change
// it. A unit the person does not work in does not exist for them (404). The roster is about
// staff, not patients: it is not in any patient's audit trail; a shift records who set it.
import { Router } from 'express';
import { z } from 'zod';
import {
  addShiftSchema,
  onCallNowQuerySchema,
  onCallNowSchema,
  onCallShiftSchema,
  shiftsQuerySchema,
} from '../../../contract/oncall.js';
import { roleIn } from '../../access/scope.js';
import type { Viewer } from '../../auth/sessions.js';
import { DomainError } from '../../errors.js';
import { addShift, onCallAt, removeShift, rosterWindow, shiftsOf } from '../../registry/index.js';
import { viewerOf, type ApiDeps } from './context.js';
import { parseInput } from './errors.js';
import type { RouteDoc } from './openapiTypes.js';

export const onCallRoutes: RouteDoc[] = [
  {
    method: 'get',
    path: '/units/{id}/oncall',
    summary: "The unit's on-call shifts overlapping a window (default: a day ago to 14 days ahead)",
    query: shiftsQuerySchema,
    response: z.array(onCallShiftSchema),
  },
  {
    method: 'get',
    path: '/units/{id}/oncall/now',
    summary: 'Who is on call in the unit now (or at `at`)',
    query: onCallNowQuerySchema,
    response: onCallNowSchema,
  },
  {
    method: 'post',
    path: '/units/{id}/oncall',
    summary: 'Put a nurse or physician of the unit on call; the unit admins only',
    body: addShiftSchema,
    response: onCallShiftSchema,
    status: 201,
    refusals: ['conflict'],
  },
  {
    method: 'delete',
    path: '/units/{id}/oncall/{shiftId}',
    summary: "Remove a shift from the unit's roster; the unit admins only",
    status: 204,
  },
];

/** 404 unless the person works in the unit; 403 when `manage` and they are not its admin. */
function requireUnit(viewer: Viewer, unitId: string, need: 'read' | 'manage'): void {
  const role = roleIn(viewer, unitId);
  if (!role) throw new DomainError('not_found', `care unit ${unitId} does not exist`);
  if (need === 'manage' && role !== 'admin') {
    throw new DomainError('forbidden', "only the unit's admins change its on-call roster");
  }
}

export function onCallRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db } = deps;

  r.get('/units/:id/oncall', async (req, res) => {
    const q = parseInput(shiftsQuerySchema, req.query);
    requireUnit(viewerOf(res), req.params.id, 'read');
    const w = rosterWindow(deps.now(), q.from, q.to);
    res.json(await shiftsOf(db, req.params.id, w.from, w.to));
  });

  r.get('/units/:id/oncall/now', async (req, res) => {
    const q = parseInput(onCallNowQuerySchema, req.query);
    requireUnit(viewerOf(res), req.params.id, 'read');
    const at = q.at ? new Date(q.at) : deps.now();
    const shift = await onCallAt(db, req.params.id, at);
    res.json({ unitId: req.params.id, at: at.toISOString(), shift });
  });

  r.post('/units/:id/oncall', async (req, res) => {
    const viewer = viewerOf(res);
    const body = parseInput(addShiftSchema, req.body ?? {});
    requireUnit(viewer, req.params.id, 'manage');
    const shift = await addShift(db, {
      unitId: req.params.id,
      staffId: body.staffId,
      startsAt: new Date(body.startsAt),
      endsAt: new Date(body.endsAt),
      createdBy: viewer.id,
    });
    res.status(201).json(shift);
  });

  r.delete('/units/:id/oncall/:shiftId', async (req, res) => {
    const viewer = viewerOf(res);
    requireUnit(viewer, req.params.id, 'manage');
    await removeShift(db, req.params.id, req.params.shiftId);
    deps.log.info(
      { unitId: req.params.id, shiftId: req.params.shiftId, by: viewer.id },
      'on-call shift removed',
    );
    res.status(204).end();
  });

  return r;
}

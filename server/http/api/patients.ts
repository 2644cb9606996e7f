// Patients of the person's clinical units: the list, one patient, their frailty assessment,
// their readings as a chart series, their plan (read, change, what-if) and their audit trail.
// Every read or change is audited. The routes check access and audit; the patients, plans,
// registry and rules modules answer.
import { Router } from 'express';
import { z } from 'zod';
import {
  auditEntrySchema,
  frailtyAssessmentSchema,
  frailtyBodySchema,
  patientDetailSchema,
  patientSummarySchema,
} from '../../../contract/patients.js';
import { planBodySchema } from '../../../contract/plan.js';
import { planViewSchema, whatIfSchema } from '../../../contract/plans.js';
import { seriesQuerySchema, seriesSchema } from '../../../contract/readings.js';
import { visiblePatientIds } from '../../access/scope.js';
import { auditOf } from '../../audit/log.js';
import { DomainError } from '../../errors.js';
import { readingSeries } from '../../patients/series.js';
import { patientDetail, summaries } from '../../patients/summaries.js';
import { checkPlan, resolvePlan } from '../../plans/plan.js';
import { changePlan, planView } from '../../plans/store.js';
import { recordFrailty } from '../../registry/frailty.js';
import { whatIf } from '../../rules/whatIf.js';
import { audit, requirePatient, viewerOf, type ApiDeps } from './context.js';
import { parseInput } from './errors.js';
import type { RouteDoc } from './openapiTypes.js';

const DAY = 86_400_000;

export const patientRoutes: RouteDoc[] = [
  {
    method: 'get',
    path: '/patients',
    summary: "Patients the person's clinical units follow",
    response: z.array(patientSummarySchema),
  },
  { method: 'get', path: '/patients/{id}', summary: 'One patient', response: patientDetailSchema },
  {
    method: 'get',
    path: '/patients/{id}/readings',
    summary: 'Readings of one type: raw up to 14 days, hourly up to 90, daily beyond',
    query: seriesQuerySchema as unknown as z.ZodObject,
    response: seriesSchema,
  },
  {
    method: 'get',
    path: '/patients/{id}/audit',
    summary: "Who read or changed the patient's data, newest first",
    response: z.array(auditEntrySchema),
  },
  {
    method: 'put',
    path: '/patients/{id}/frailty',
    summary:
      "Record a frailty assessment (CFS 1-9) dated and signed by the person; answers the patient's current one (the newest by day)",
    body: frailtyBodySchema,
    response: frailtyAssessmentSchema,
  },
  { method: 'get', path: '/patients/{id}/plan', summary: 'The plan', response: planViewSchema },
  {
    method: 'put',
    path: '/patients/{id}/plan',
    summary: 'Replace the stored plan',
    body: planBodySchema,
    response: planViewSchema,
  },
  {
    method: 'post',
    path: '/patients/{id}/plan/what-if',
    summary: 'Alerts the last 90 days would have raised under the current and a proposed plan',
    body: planBodySchema,
    response: whatIfSchema,
  },
];

/** A patient who vanished between the access check and the read: as if never there. */
const gone = (id: string) => new DomainError('not_found', `patient ${id} does not exist`);

export function patientsRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db } = deps;

  r.get('/patients', async (req, res) => {
    const viewer = viewerOf(res);
    const list = await summaries(db, await visiblePatientIds(db, viewer));
    await audit(
      deps,
      req,
      viewer,
      list.map((p) => p.id),
      'patients.list',
    );
    res.json(list);
  });

  r.get('/patients/:id', async (req, res) => {
    const viewer = viewerOf(res);
    const id = req.params.id;
    await requirePatient(deps, viewer, id, 'clinical');
    const detail = await patientDetail(db, id);
    if (!detail) throw gone(id);
    await audit(deps, req, viewer, [id], 'patient.read');
    res.json(detail);
  });

  r.get('/patients/:id/readings', async (req, res) => {
    const viewer = viewerOf(res);
    const id = req.params.id;
    const q = parseInput(seriesQuerySchema, req.query);
    await requirePatient(deps, viewer, id, 'clinical');
    const to = q.to ? new Date(q.to) : deps.now();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 14 * DAY);
    if (from >= to) throw new DomainError('invalid', 'from: must be before to', 'from');
    const series = await readingSeries(db, { patientId: id, type: q.type, from, to });
    if (!series) throw gone(id);
    await audit(deps, req, viewer, [id], 'readings.read', {
      type: q.type,
      from: from.toISOString(),
      to: to.toISOString(),
    });
    res.json(series);
  });

  r.get('/patients/:id/audit', async (req, res) => {
    const viewer = viewerOf(res);
    const id = req.params.id;
    // the unit's admins as well as its clinicians
    await requirePatient(deps, viewer, id, 'manage');
    const entries = await auditOf(db, id);
    await audit(deps, req, viewer, [id], 'audit.read');
    res.json(entries);
  });

  r.put('/patients/:id/frailty', async (req, res) => {
    const viewer = viewerOf(res);
    const id = req.params.id;
    const body = parseInput(frailtyBodySchema, req.body ?? {});
    await requirePatient(deps, viewer, id, 'clinical');
    const current = await db.transaction((tx) =>
      recordFrailty(tx, {
        patientId: id,
        level: body.level,
        assessedAt: body.assessedAt,
        by: viewer.id,
        now: deps.now(),
      }),
    );
    await audit(deps, req, viewer, [id], 'frailty.change', {
      level: body.level,
      assessedAt: body.assessedAt ?? current.assessedAt,
    });
    res.json(current);
  });

  r.get('/patients/:id/plan', async (req, res) => {
    const viewer = viewerOf(res);
    const id = req.params.id;
    await requirePatient(deps, viewer, id, 'clinical');
    const view = await planView(db, id);
    await audit(deps, req, viewer, [id], 'plan.read');
    res.json(view);
  });

  r.put('/patients/:id/plan', async (req, res) => {
    const viewer = viewerOf(res);
    const id = req.params.id;
    const body = parseInput(planBodySchema, req.body ?? {});
    await requirePatient(deps, viewer, id, 'clinical');
    // a refusal names its field in the body: `plan.weight.gain3dKg`
    await db.transaction(async (tx) => {
      await changePlan(tx, id, viewer.id, () => body.plan as Record<string, unknown>, 'plan');
    });
    deps.planChanged(id);
    await audit(deps, req, viewer, [id], 'plan.change', { plan: body.plan });
    res.json(await planView(db, id));
  });

  r.post('/patients/:id/plan/what-if', async (req, res) => {
    const viewer = viewerOf(res);
    const id = req.params.id;
    const body = parseInput(planBodySchema, req.body ?? {});
    await requirePatient(deps, viewer, id, 'clinical');
    // a plan nobody may store is no plan to replay (the MACD's spans: checked on the plan resolved)
    const answer = await whatIf(db, id, resolvePlan(checkPlan(body.plan, 'plan')), deps.now());
    await audit(deps, req, viewer, [id], 'plan.what-if');
    res.json(answer);
  });

  return r;
}

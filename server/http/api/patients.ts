// Patients of the person's clinical units: the list, one patient, their readings as a chart
// series, their plan (read, change, what-if) and their audit trail. Every read or change is
// audited.
import { Router } from 'express';
import { z } from 'zod';
import { readingTypes } from '../../../devices/contract.js';
import { unitsFollowing, visiblePatientIds } from '../../access/scope.js';
import { openAlertsOfPatients } from '../../alerts/views.js';
import { auditEntrySchema, auditOf } from '../../audit/log.js';
import { lookBackDays } from '../../rules/evaluate.js';
import { loadRuleReadings } from '../../rules/history.js';
import { readingValues, type MeasuredValues } from '../../shapes/reading.js';
import { weightReferenceDays, weightReferenceOf } from '../../rules/reference.js';
import { patientPlanSchema, resolvePlan } from '../../plans/plan.js';
import { changePlan, planView, resolvedPlanOf } from '../../plans/store.js';
import { replayAlerts } from '../../rules/replay.js';
import type { Queryable } from '../../store/db.js';
import { audit, requirePatient, viewerOf, type ApiDeps } from './context.js';
import { DomainError } from '../../errors.js';
import { parseInput } from './errors.js';
import type { RouteDoc } from './openapiTypes.js';

const DAY = 86_400_000;
const WHAT_IF_DAYS = 90;

const person = z.object({ id: z.string(), displayName: z.string() });
const latestSchema = z.object({
  value: z.number().nullable(),
  systolic: z.number().nullable(),
  diastolic: z.number().nullable(),
  pulse: z.number().nullable(),
  code: z.string().nullable(),
  unit: z.string().nullable(),
  measuredAt: z.string(),
});
export const patientSummarySchema = z.object({
  id: z.string(),
  displayName: z.string(),
  frailty: z.number().int().min(1).max(9).nullable(),
  fixedContact: person.nullable(),
  units: z.array(z.object({ id: z.string(), name: z.string() })),
  openAlerts: z.array(
    z.object({ id: z.string(), rule: z.string(), severity: z.string(), status: z.string() }),
  ),
  latest: z.record(z.string(), latestSchema),
});
export type PatientSummary = z.infer<typeof patientSummarySchema>;
const patientDetailSchema = patientSummarySchema.extend({
  plan: z.record(z.string(), z.unknown()),
  timeZone: z.string(),
});

const iso = z.iso.datetime({ offset: true });
export const readingsQuerySchema = z
  .object({ type: z.enum(readingTypes), from: iso.optional(), to: iso.optional() })
  .refine((q) => !q.from || !q.to || new Date(q.from) < new Date(q.to), {
    message: 'from must be before to',
    path: ['from'],
  });
const pointSchema = z.object({
  t: z.string(),
  value: z.number().nullable(),
  systolic: z.number().nullable(),
  diastolic: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  n: z.number().int(),
});
const lang = z.object({ sv: z.string(), en: z.string() });
const referenceSchema = z.object({
  baseline: z
    .object({ mean: z.number(), sd: z.number(), from: z.string(), to: z.string() })
    .nullable(),
  lines: z.array(z.object({ label: lang, value: z.number() })),
});
const readingsSchema = z.object({
  type: z.enum(readingTypes),
  bucket: z.enum(['hour', 'day']).nullable(),
  points: z.array(pointSchema),
  reference: referenceSchema.nullable(),
});

const planBody = z.object({ plan: patientPlanSchema });
const planViewSchema = z.object({
  plan: z.record(z.string(), z.unknown()),
  resolved: z.record(z.string(), z.unknown()),
  changes: z.array(
    z.object({
      plan: z.record(z.string(), z.unknown()),
      changedBy: z.string().nullable(),
      changedAt: z.string(),
    }),
  ),
});
const countSchema = z.object({
  alerts: z.number().int(),
  byRule: z.record(z.string(), z.number()),
});
const whatIfSchema = z.object({
  days: z.literal(WHAT_IF_DAYS),
  proposed: countSchema,
  current: countSchema,
});

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
    query: readingsQuerySchema as unknown as z.ZodObject,
    response: readingsSchema,
  },
  {
    method: 'get',
    path: '/patients/{id}/audit',
    summary: "Who read or changed the patient's data, newest first",
    response: z.array(auditEntrySchema),
  },
  { method: 'get', path: '/patients/{id}/plan', summary: 'The plan', response: planViewSchema },
  {
    method: 'put',
    path: '/patients/{id}/plan',
    summary: 'Replace the stored plan',
    body: planBody,
    response: planViewSchema,
  },
  {
    method: 'post',
    path: '/patients/{id}/plan/what-if',
    summary: 'Alerts the last 90 days would have raised under the current and a proposed plan',
    body: planBody,
    response: whatIfSchema,
  },
];

interface LatestRow extends MeasuredValues {
  patient_id: string;
  type: string;
  measured_at_ms: number;
}

/**
 * The latest reading of each type of these patients, kept by the ingest (migration 008: a
 * DISTINCT ON over `readings` walked a year of every listed patient's readings). As one JSON
 * text: a unit's ~1,250 rows cost PGlite's row-by-row transfer from its worker 3-4 times more.
 */
async function latestOfPatients(db: Queryable, ids: string[]): Promise<LatestRow[]> {
  const { rows } = await db.query<{ j: string | null }>(
    `SELECT json_agg(json_build_array(patient_id, type, value, systolic, diastolic, pulse, code,
       unit, (extract(epoch FROM measured_at) * 1000)::float8))::text AS j
     FROM latest_readings WHERE patient_id = ANY($1::text[])`,
    [ids],
  );
  const tuples = JSON.parse(rows[0]?.j ?? '[]') as [
    string,
    string,
    number | null,
    number | null,
    number | null,
    number | null,
    string | null,
    string | null,
    number,
  ][];
  return tuples.map(([patient_id, type, value, systolic, diastolic, pulse, code, unit, ms]) => ({
    patient_id,
    type,
    value,
    systolic,
    diastolic,
    pulse,
    code,
    unit,
    measured_at_ms: ms,
  }));
}

/** Summaries of these patients, in name order. */
export async function summaries(db: Queryable, ids: string[]): Promise<PatientSummary[]> {
  if (!ids.length) return [];
  const [patients, units, alerts, latest] = await Promise.all([
    db.query<{
      id: string;
      display_name: string;
      frailty_level: number | null;
      contact_id: string | null;
      contact_name: string | null;
    }>(
      `SELECT p.id, p.display_name, p.frailty_level, s.id AS contact_id, s.display_name AS contact_name
       FROM patients p LEFT JOIN staff s ON s.id = p.fixed_contact_id
       WHERE p.id = ANY($1::text[]) ORDER BY p.display_name, p.id`,
      [ids],
    ),
    unitsFollowing(db, ids),
    openAlertsOfPatients(db, ids),
    latestOfPatients(db, ids),
  ]);
  // grouped once: filtering every row for every patient is quadratic in a unit's size
  const group = <R extends { patient_id: string }>(rows: R[]) => {
    const by = new Map<string, R[]>();
    for (const r of rows) {
      const list = by.get(r.patient_id);
      if (list) list.push(r);
      else by.set(r.patient_id, [r]);
    }
    return (id: string) => by.get(id) ?? [];
  };
  const alertsOf = group(alerts.map((a) => ({ ...a, patient_id: a.patientId })));
  const latestOf = group(latest);
  return patients.rows.map((p) => ({
    id: p.id,
    displayName: p.display_name,
    frailty: p.frailty_level,
    fixedContact:
      p.contact_id && p.contact_name ? { id: p.contact_id, displayName: p.contact_name } : null,
    units: units.get(p.id) ?? [],
    openAlerts: alertsOf(p.id).map(({ id, rule, severity, status }) => ({
      id,
      rule,
      severity,
      status,
    })),
    latest: Object.fromEntries(
      latestOf(p.id).map((r) => [r.type, readingValues(r, new Date(r.measured_at_ms))]),
    ),
  }));
}

/** The weight chart's reference, from the patient's plan and recent weights (rules/reference.ts). */
async function weightReference(db: Queryable, patientId: string, to: Date) {
  const plan = await resolvedPlanOf(db, patientId);
  const since = new Date(to.getTime() - weightReferenceDays(plan) * DAY);
  const weights = (await loadRuleReadings(db, patientId, since, ['body_weight'])).filter(
    (r) => r.measuredAt <= to,
  );
  return weightReferenceOf(weights, plan);
}

// Only these bucket expressions reach SQL; the choice is by the span asked for.
const BUCKETS = {
  hour: "date_trunc('hour', measured_at)",
  day: "(date_trunc('day', measured_at AT TIME ZONE $5) AT TIME ZONE $5)",
} as const;

async function series(
  db: Queryable,
  patientId: string,
  type: string,
  from: Date,
  to: Date,
  timeZone: string,
) {
  const span = to.getTime() - from.getTime();
  const bucket = span <= 14 * DAY ? null : span <= 90 * DAY ? 'hour' : 'day';
  type Row = {
    t: Date;
    value: number | null;
    systolic: number | null;
    diastolic: number | null;
    min: number | null;
    max: number | null;
    n: string | number;
  };
  const params = [patientId, type, from.toISOString(), to.toISOString()];
  const { rows } = bucket
    ? await db.query<Row>(
        `SELECT ${BUCKETS[bucket]} AS t, avg(value) AS value, avg(systolic) AS systolic,
           avg(diastolic) AS diastolic, min(COALESCE(value, systolic)) AS min,
           max(COALESCE(value, systolic)) AS max, count(*) AS n
         FROM readings WHERE patient_id = $1 AND type = $2 AND measured_at >= $3 AND measured_at <= $4
         GROUP BY 1 ORDER BY 1`,
        bucket === 'day' ? [...params, timeZone] : params,
      )
    : await db.query<Row>(
        `SELECT measured_at AS t, value, systolic, diastolic, NULL::float8 AS min,
           NULL::float8 AS max, 1 AS n
         FROM readings WHERE patient_id = $1 AND type = $2 AND measured_at >= $3 AND measured_at <= $4
         ORDER BY measured_at`,
        params,
      );
  const num = (v: number | null) => (v === null ? null : Number(v));
  return {
    bucket,
    points: rows.map((r) => ({
      t: new Date(r.t).toISOString(),
      value: num(r.value),
      systolic: num(r.systolic),
      diastolic: num(r.diastolic),
      min: num(r.min),
      max: num(r.max),
      n: Number(r.n),
    })),
  };
}

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
    const [summary] = await summaries(db, [id]);
    const { rows } = await db.query<{ time_zone: string }>(
      'SELECT time_zone FROM patients WHERE id = $1',
      [id],
    );
    const view = await planView(db, id);
    await audit(deps, req, viewer, [id], 'patient.read');
    res.json({ ...summary!, plan: view.resolved, timeZone: rows[0]!.time_zone });
  });

  r.get('/patients/:id/readings', async (req, res) => {
    const viewer = viewerOf(res);
    const id = req.params.id;
    const q = parseInput(readingsQuerySchema, req.query);
    await requirePatient(deps, viewer, id, 'clinical');
    const to = q.to ? new Date(q.to) : deps.now();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 14 * DAY);
    if (from >= to) throw new DomainError('invalid', 'from: must be before to', 'from');
    const { rows } = await db.query<{ time_zone: string }>(
      'SELECT time_zone FROM patients WHERE id = $1',
      [id],
    );
    const s = await series(db, id, q.type, from, to, rows[0]!.time_zone);
    const reference = q.type === 'body_weight' ? await weightReference(db, id, to) : null;
    await audit(deps, req, viewer, [id], 'readings.read', {
      type: q.type,
      from: from.toISOString(),
      to: to.toISOString(),
    });
    res.json({ type: q.type, ...s, reference });
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
    const body = parseInput(planBody, req.body ?? {});
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
    const body = parseInput(planBody, req.body ?? {});
    await requirePatient(deps, viewer, id, 'clinical');
    const current = await resolvedPlanOf(db, id);
    const proposed = resolvePlan(body.plan);
    const now = deps.now();
    const from = new Date(now.getTime() - WHAT_IF_DAYS * DAY);
    const lookBack = Math.max(lookBackDays(current), lookBackDays(proposed));
    const readings = (
      await loadRuleReadings(db, id, new Date(from.getTime() - lookBack * DAY))
    ).filter((x) => x.measuredAt <= now);
    await audit(deps, req, viewer, [id], 'plan.what-if');
    res.json({
      days: WHAT_IF_DAYS,
      proposed: replayAlerts(readings, proposed, from),
      current: replayAlerts(readings, current, from),
    });
  });

  return r;
}

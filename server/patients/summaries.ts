// A patient as the staff's views show them: the registration, the units that follow them, their
// open alerts, latest values and planned measurements, gathered from each table's owner in one
// round of queries.
import type { PatientDetail, PatientSummary } from '../../contract/patients.js';
import { unitsFollowing } from '../access/scope.js';
import { openAlertsOfPatients } from '../alerts/views.js';
import { plannedTypesOf, planView } from '../plans/store.js';
import { currentFrailty } from '../registry/frailty.js';
import { patientCards, type PatientCard } from '../registry/patients.js';
import { readingValues } from '../shapes/reading.js';
import type { Queryable } from '../store/db.js';
import { latestOfPatients } from '../store/history.js';

/** Rows grouped by patient once: filtering every row for every patient is quadratic. */
function byPatient<R>(rows: R[], patientOf: (r: R) => string): (id: string) => R[] {
  const by = new Map<string, R[]>();
  for (const r of rows) {
    const id = patientOf(r);
    const list = by.get(id);
    if (list) list.push(r);
    else by.set(id, [r]);
  }
  return (id) => by.get(id) ?? [];
}

/** Summaries of these patients, in name order; an unknown id is left out. */
export async function summaries(db: Queryable, ids: string[]): Promise<PatientSummary[]> {
  return (await summarise(db, ids)).map((s) => s.summary);
}

/** Each patient's summary beside the card it was made from (the detail wants its time zone). */
async function summarise(
  db: Queryable,
  ids: string[],
): Promise<{ card: PatientCard; summary: PatientSummary }[]> {
  if (!ids.length) return [];
  const [cards, units, alerts, latest, planned] = await Promise.all([
    patientCards(db, ids),
    unitsFollowing(db, ids),
    openAlertsOfPatients(db, ids),
    latestOfPatients(db, ids),
    plannedTypesOf(db, ids),
  ]);
  const alertsOf = byPatient(alerts, (a) => a.patientId);
  const latestOf = byPatient(latest, (r) => r.patientId);
  return cards.map((p) => ({
    card: p,
    summary: {
      id: p.id,
      displayName: p.displayName,
      frailty: p.frailty,
      fixedContact: p.fixedContact,
      units: units.get(p.id) ?? [],
      openAlerts: alertsOf(p.id).map(({ id, rule, severity, status }) => ({
        id,
        rule,
        severity,
        status,
      })),
      latest: Object.fromEntries(
        latestOf(p.id).map((r) => [r.type, readingValues(r, r.measuredAt)]),
      ),
      plannedMeasurements: planned.get(p.id) ?? [],
    },
  }));
}

/**
 * One patient with the plan in use, their time zone and the assessment behind their frailty
 * level; null when there is no such patient.
 */
export async function patientDetail(db: Queryable, id: string): Promise<PatientDetail | null> {
  const [[one], view, frailty] = await Promise.all([
    summarise(db, [id]),
    planView(db, id),
    currentFrailty(db, id),
  ]);
  if (!one) return null;
  return {
    ...one.summary,
    plan: view.resolved,
    timeZone: one.card.timeZone,
    frailtyAssessment: frailty,
  };
}

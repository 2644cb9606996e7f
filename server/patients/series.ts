// A patient's readings of one type as the chart draws them: every reading up to 14 days, hourly
// means up to 90, daily means (of the patient's local days) beyond; the weight chart also gets
// the reference the weight rules judge by (server/rules/reference.ts).
import type { Series } from '../../contract/readings.js';
import type { ReadingType } from '../../devices/contract.js';
import { resolvedPlanOf } from '../plans/store.js';
import { patientCards } from '../registry/patients.js';
import { loadRuleReadings } from '../rules/history.js';
import { weightReferenceDays, weightReferenceOf } from '../rules/reference.js';
import type { Queryable } from '../store/db.js';
import { seriesOf, type SeriesBucket } from '../store/history.js';

const DAY = 86_400_000;

/** The resolution a span is drawn at: a chart holds a few hundred points at most. */
export function bucketFor(from: Date, to: Date): SeriesBucket {
  const span = to.getTime() - from.getTime();
  return span <= 14 * DAY ? null : span <= 90 * DAY ? 'hour' : 'day';
}

/** The weight chart's reference at `to`, from the patient's plan and recent weighings. */
async function weightReference(db: Queryable, patientId: string, to: Date) {
  const plan = await resolvedPlanOf(db, patientId);
  const since = new Date(to.getTime() - weightReferenceDays(plan) * DAY);
  const weights = (await loadRuleReadings(db, patientId, since, ['body_weight'])).filter(
    (r) => r.measuredAt <= to,
  );
  return weightReferenceOf(weights, plan);
}

/** The series of `type` measured in [from, to]; null when there is no such patient. */
export async function readingSeries(
  db: Queryable,
  q: { patientId: string; type: ReadingType; from: Date; to: Date },
): Promise<Series | null> {
  const [card] = await patientCards(db, [q.patientId]);
  if (!card) return null;
  const bucket = bucketFor(q.from, q.to);
  const rows = await seriesOf(db, { ...q, bucket, timeZone: card.timeZone });
  const reference = q.type === 'body_weight' ? await weightReference(db, q.patientId, q.to) : null;
  return {
    type: q.type,
    bucket,
    points: rows.map((r) => ({ ...r, t: r.t.toISOString() })),
    reference,
  };
}

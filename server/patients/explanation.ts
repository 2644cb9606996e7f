// Why an alert came, gathered from the owners: each agreeing rule's threshold with where it came
// from (a default, or the plan change that set the patient's own value, and who made it), the
// readings the rule judged, and the patient's readings of those types around them with the
// thresholds to draw. The staff API answers it (GET /alerts/{id}/explanation) after its gate.
import type { AlertExplanation, ExplainedFinding } from '../../contract/alerts.js';
import { readingTypes, type ReadingType } from '../../devices/contract.js';
import { agreeingFindings, type Alert } from '../alerts/views.js';
import { settingOrigins } from '../plans/store.js';
import { patientCards } from '../registry/patients.js';
import type { Finding, ReadingRef } from '../shapes/finding.js';
import { readingValues } from '../shapes/reading.js';
import type { Queryable } from '../store/db.js';
import { readingsByKeys, seriesOf, type SeriesBucket } from '../store/history.js';
import { thresholdView } from './thresholds.js';

const DAY = 86_400_000;
/** How far the chart reaches before the newest reading judged, and at most after it. */
const SPAN = 14 * DAY;

const iso = (d: Date | string) => new Date(d).toISOString();
const isType = (t: unknown): t is ReadingType =>
  typeof t === 'string' && (readingTypes as readonly string[]).includes(t);

/** A stored threshold's value as the contract carries it (older findings: whatever they kept). */
function thresholdValue(v: unknown): ExplainedFinding['threshold']['value'] {
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(
      Object.entries(v).filter((e): e is [string, number] => typeof e[1] === 'number'),
    );
  }
  return '';
}

/** The explanation of an alert the caller may see; null when its patient is gone. */
export async function explainAlert(
  db: Queryable,
  /** The whole view: its id and rules name the agreeing findings (alerts/views.ts). */
  alert: Alert,
  now: Date,
): Promise<AlertExplanation | null> {
  const [card] = await patientCards(db, [alert.patientId]);
  if (!card) return null;
  const findings = await agreeingFindings(db, alert);
  const refsOf = (f: Partial<Finding>): ReadingRef[] =>
    (f.readings ?? []).filter((r) => r && typeof r.deviceId === 'string' && isType(r.type));
  const [readings, origins] = await Promise.all([
    readingsByKeys(db, alert.patientId, findings.flatMap(refsOf)),
    settingOrigins(
      db,
      alert.patientId,
      findings.flatMap((f) => (f.threshold?.source === 'personal' ? (f.threshold.keys ?? []) : [])),
    ),
  ]);
  const byKey = new Map(readings.map((r) => [`${r.deviceId}\n${r.messageId}`, r]));
  const originOf = new Map(origins.map((o) => [o.key, o]));

  const explained: ExplainedFinding[] = findings.map((f) => {
    const personal = f.threshold?.source === 'personal';
    const view = thresholdView(f);
    return {
      rule: f.rule ?? '',
      severity: f.severity ?? 'info',
      threshold: {
        value: thresholdValue(f.threshold?.value),
        unit: view.unit,
        source: personal ? 'personal' : 'default',
        setBy: personal
          ? (f.threshold?.keys ?? []).flatMap((k) => {
              const o = originOf.get(k);
              return o ? [{ key: o.key, changedBy: o.changedBy, changedAt: o.changedAt }] : [];
            })
          : [],
        reference: f.threshold?.reference ?? '',
      },
      readings: refsOf(f).flatMap((ref) => {
        const r = byKey.get(`${ref.deviceId}\n${ref.messageId}`);
        if (!r) return [];
        return [
          {
            deviceId: r.deviceId,
            messageId: r.messageId,
            type: ref.type,
            ...readingValues(r, new Date(r.measuredAt)),
            receivedAt: iso(r.receivedAt),
          },
        ];
      }),
      lines: view.lines,
    };
  });

  // the chart: the types the findings judged (a missed measurement: its type) and their lines
  const types = new Set<ReadingType>();
  for (const f of explained) {
    for (const r of f.readings) types.add(r.type);
    for (const l of f.lines) types.add(l.type);
    const missing = /^missing\.(.+)$/.exec(f.rule)?.[1];
    if (isType(missing)) types.add(missing);
  }
  const times = readings.map((r) => new Date(r.measuredAt).getTime());
  const newest = times.length ? Math.max(...times) : now.getTime();
  const from = new Date(newest - SPAN);
  const to = new Date(Math.max(newest, Math.min(now.getTime(), newest + SPAN)));
  // every reading over the 14 days and a day more (an alert still open), hourly means beyond
  const bucket: SeriesBucket = to.getTime() - from.getTime() <= SPAN + DAY ? null : 'hour';
  const series = await Promise.all(
    [...types].map(async (type) => {
      const rows = await seriesOf(db, {
        patientId: alert.patientId,
        type,
        from,
        to,
        bucket,
        timeZone: card.timeZone,
      });
      return { type, bucket, points: rows.map((r) => ({ ...r, t: r.t.toISOString() })) };
    }),
  );
  return {
    alertId: alert.id,
    patientId: alert.patientId,
    timeZone: card.timeZone,
    findings: explained,
    from: from.toISOString(),
    to: to.toISOString(),
    series,
  };
}

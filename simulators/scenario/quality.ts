// How much a nurse would trust the alerts of a scenario run, against its ground truth: alerts per
// patient-week (a care unit of 200 such patients at 1 alert per patient-week gets ~29 a day), and
// the share of the cards left open at the end that belong to a true episode (a card about a
// patient who is not deteriorating is work that helps nobody). Pure; issue 18 reports it before
// and after its changes (README, "Alerts a nurse can trust").
import type { ScenarioTruth } from './runner.js';

const DAY = 86_400_000;

/** An alert as the quality report needs it (server/alerts/views.ts alertBriefs). */
export interface AlertBrief {
  patientId: string;
  rule: string;
  status: string;
  /** What the finding is about in the patient's (simulated) time: the hub opens it in its own. */
  findingAt: string;
  /** The same of each rule agreeing on the alert (one per patient and problem); may be absent. */
  findingsAt?: string[];
}

export interface AlertQuality {
  patients: number;
  /** The lived span, days (the history before it is not counted: it arrives all at once). */
  days: number;
  patientWeeks: number;
  /** Alerts about the lived span, and per patient-week. */
  alerts: number;
  perPatientWeek: number;
  /** Alerts not resolved at the end, and how many of them belong to a true episode. */
  openCards: number;
  openInEpisode: number;
  /** The same for clinical cards only (not a missed measurement, not the hub's own failures). */
  openClinical: number;
  openClinicalInEpisode: number;
  /** Alerts about the lived span, by rule, most first. */
  byRule: [rule: string, count: number][];
}

/** A rule about the patient's body, as opposed to a missed measurement or the hub itself. */
export const isClinical = (rule: string) => !/^(missing|rules|oncall)\./.test(rule);

/**
 * Whether a finding about `at` belongs to one of the patient's episodes: between the episode's
 * start and `graceDays` after its end (a card a little after recovery is still about it; one
 * about a time before the body changed is not).
 */
export function inEpisode(
  episodes: { start: string; end: string }[],
  at: number,
  graceDays: number,
): boolean {
  return episodes.some(
    (e) => at >= Date.parse(e.start) && at <= Date.parse(e.end) + graceDays * DAY,
  );
}

export function alertQuality(
  truth: ScenarioTruth,
  alerts: readonly AlertBrief[],
  o: { graceDays?: number } = {},
): AlertQuality {
  const grace = o.graceDays ?? 2;
  const from = Date.parse(truth.start);
  const to = Date.parse(truth.end);
  const days = (to - from) / DAY;
  const patients = truth.patients.length;
  const patientWeeks = (patients * days) / 7;
  const episodesOf = new Map(truth.patients.map((p) => [p.patientId, p.episodes]));
  const lived = alerts.filter((a) => {
    const at = Date.parse(a.findingAt);
    return at >= from && at <= to;
  });
  const open = alerts.filter((a) => a.status !== 'resolved');
  // a card belongs to an episode when any rule agreeing on it is about the episode: it shows them all
  const belongs = (a: AlertBrief) =>
    (a.findingsAt?.length ? a.findingsAt : [a.findingAt]).some((t) =>
      inEpisode(episodesOf.get(a.patientId) ?? [], Date.parse(t), grace),
    );
  const clinical = open.filter((a) => isClinical(a.rule));
  const byRule = new Map<string, number>();
  for (const a of lived) byRule.set(a.rule, (byRule.get(a.rule) ?? 0) + 1);
  return {
    patients,
    days,
    patientWeeks,
    alerts: lived.length,
    perPatientWeek: patientWeeks > 0 ? lived.length / patientWeeks : 0,
    openCards: open.length,
    openInEpisode: open.filter(belongs).length,
    openClinical: clinical.length,
    openClinicalInEpisode: clinical.filter(belongs).length,
    byRule: [...byRule].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
  };
}

const share = (part: number, whole: number) =>
  whole ? `${Math.round((100 * part) / whole)} %` : '-';

/** The report as lines for people. */
export function describeQuality(q: AlertQuality): string[] {
  return [
    `alerts in the lived span: ${q.alerts} for ${q.patients} patients over ${q.days.toFixed(1)} days = ${q.perPatientWeek.toFixed(2)} per patient-week`,
    `open cards at the end: ${q.openCards}, of which ${q.openInEpisode} (${share(q.openInEpisode, q.openCards)}) belong to a true episode; clinical ${q.openClinical}, of which ${q.openClinicalInEpisode} (${share(q.openClinicalInEpisode, q.openClinical)})`,
    `alerts by rule: ${q.byRule.map(([r, n]) => `${r} ${n}`).join(', ') || 'none'}`,
  ];
}

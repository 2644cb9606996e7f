// Alert quality against the ground truth. Per rule (or group of rules, scored as one):
// - an episode is detected when the rule found something between the episode's start and its
//   peak (the admission or the start of treatment): sensitivity = detected / episodes;
// - warning time = peak minus the first such finding, in days (median over detected episodes);
// - an alert is a run of consecutive local days with findings (as server/rules/replay.ts
//   counts them); it is true when its first finding lies inside a decompensation episode
//   (start to end), false when it lies outside every episode of the ground truth; alerts
//   during other episodes (infections: a real deterioration, but not heart failure) are
//   counted apart. False alerts per patient-year, and the share of alerts that are true
//   (positive predictive value for decompensation, PPV).
import type { RuleDay } from './ruleFindings.js';

export interface ScoredEpisode {
  start: number;
  peak: number;
  end: number;
}

/** One patient as scored: their decompensation episodes and each rule's finding days. */
export interface ScoredPatient {
  episodes: ScoredEpisode[];
  /** Other deteriorations of the ground truth (infections): alerts in them are not false. */
  otherEpisodes: ScoredEpisode[];
  rules: Map<string, RuleDay[]>;
}

export interface RuleScore {
  episodes: number;
  detected: number;
  /** detected / episodes; null when there were no episodes. */
  sensitivity: number | null;
  /** Median days from the first finding to the peak, over detected episodes; null if none. */
  medianWarningDays: number | null;
  alerts: number;
  falseAlerts: number;
  falseAlertsPerPatientYear: number;
  /** Alerts opening during another episode (an infection), per patient-year. */
  otherEpisodeAlertsPerPatientYear: number;
  /** True alerts / alerts; null without alerts. */
  ppv: number | null;
}

const DAY = 86_400_000;

export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * The finding days of any of `rules`, merged (first finding of each day); with `pagedOnly`,
 * only the days a finding paged (not those the heart-failure score replaced, `quiet`).
 */
export function unionDays(
  days: Map<string, RuleDay[]>,
  rules: readonly string[],
  pagedOnly = false,
): RuleDay[] {
  const byDay = new Map<number, number>();
  for (const rule of rules) {
    for (const d of days.get(rule) ?? []) {
      if (pagedOnly && d.quiet) continue;
      const seen = byDay.get(d.day);
      if (seen === undefined || d.at < seen) byDay.set(d.day, d.at);
    }
  }
  return [...byDay].map(([day, at]) => ({ day, at })).sort((a, b) => a.day - b.day);
}

/**
 * Scores the group `rules` over a cohort observed for `patientYears`: what the rules found, or
 * with `pagedOnly` what they paged a nurse about (a rule the heart-failure score replaced for
 * the patient found, and paged nobody).
 */
export function scoreRules(
  cohort: readonly ScoredPatient[],
  rules: readonly string[],
  patientYears: number,
  pagedOnly = false,
): RuleScore {
  let episodes = 0;
  let detected = 0;
  let alerts = 0;
  let falseAlerts = 0;
  let otherAlerts = 0;
  const warnings: number[] = [];
  for (const p of cohort) {
    const days = unionDays(p.rules, rules, pagedOnly);
    for (const e of p.episodes) {
      episodes++;
      const first = days.find((d) => d.at >= e.start && d.at <= e.peak);
      if (first) {
        detected++;
        warnings.push((e.peak - first.at) / DAY);
      }
    }
    for (const [i, d] of days.entries()) {
      if (i > 0 && days[i - 1]!.day === d.day - 1) continue; // the same alert, still open
      alerts++;
      const inside = (e: ScoredEpisode) => d.at >= e.start && d.at <= e.end;
      if (p.episodes.some(inside)) continue;
      if (p.otherEpisodes.some(inside)) otherAlerts++;
      else falseAlerts++;
    }
  }
  return {
    episodes,
    detected,
    sensitivity: episodes ? detected / episodes : null,
    medianWarningDays: median(warnings),
    alerts,
    falseAlerts,
    falseAlertsPerPatientYear: patientYears > 0 ? falseAlerts / patientYears : 0,
    otherEpisodeAlertsPerPatientYear: patientYears > 0 ? otherAlerts / patientYears : 0,
    ppv: alerts ? (alerts - falseAlerts - otherAlerts) / alerts : null,
  };
}

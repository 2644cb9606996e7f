// Evaluation: the rules run over each newly stored reading, in measurement order, with the
// patient's history up to that reading. A reading that arrives late (a gateway offline for
// days) is judged in its place in the history; if newer readings of the same kind already
// exist, its findings are about a past that has been superseded: they are marked late and
// superseded and lowered to 'low' (a 'low' one to 'info'); the runner raises no alert for them.
// A finding whose newest reading is simply old when judged (`judgedAt`, the hub's clock), past
// its rule's freshness window in the plan, is late too (freshness.ts): raised, at lower urgency.
import { judgeBloodPressure } from './bloodPressure.js';
import { asLate, freshnessMs } from './freshness.js';
import { dayNumber, dayStartOf, isQuestionable, localDate } from './localDay.js';
import {
  DEFAULT_NEWS2_WINDOW_MS,
  news2Finding,
  NEWS2_REQUIRED_TYPES,
  NEWS2_TYPES,
} from './news2.js';
import { localDays, PatientHistory, type LocalDays } from './patientHistory.js';
import {
  judgePersonalSignals,
  personalOfDay,
  personalTypes,
  signalsOf,
  spo2OfDay,
  type DailyValue,
  type PersonalSignal,
  type SignalDay,
} from './personal.js';
import { judgeScore, quietReplaced } from './personalScore.js';
import type { ResolvedPlan } from '../plans/plan.js';
import type { Finding, RuleReading, Severity } from './types.js';
import { judgeVitalSign } from './vitals.js';
import { judgeWeight } from './weight.js';

export interface EvaluatedFinding extends Finding {
  /** The reading whose arrival produced the finding. */
  trigger: { deviceId: string; messageId: string };
  /** The finding is about a past already superseded by newer readings of the same kind. */
  superseded?: true;
}

const NEWS2_SET: ReadonlySet<string> = new Set(NEWS2_TYPES);
const PERSONAL_TYPES = new Set(['body_weight', 'heart_rate', 'blood_pressure']);
/** What the heart-failure score reads (personalScore.ts): the personal signals and SpO2. */
const SCORE_TYPES = new Set([...PERSONAL_TYPES, 'spo2']);
/** A finding about a superseded past, lowered: never more than 'low', which never escalates. */
const supersededSeverity: Record<Severity, Severity> = {
  critical: 'low',
  high: 'low',
  medium: 'low',
  low: 'info',
  info: 'info',
};

const DAY = 86_400_000;
const SERIES_KEY: Record<PersonalSignal | 'spo2', string> = {
  weight: 'personal.weight',
  pulse: 'personal.pulse',
  systolic: 'personal.systolic',
  spo2: 'personal.spo2',
};

/**
 * How far back the rules look from a reading: personal baselines 14 days (+ tested days), MACD
 * 10, blood-pressure averages 7; more when the care team widened the personal baseline. Every
 * rule sees exactly this window, so a finding does not depend on what a cache happened to hold.
 */
export function lookBackDays(plan: ResolvedPlan): number {
  const p = plan.personal;
  const score = p.score.baselineDays + p.score.excludeRecentDays + p.score.runDays;
  return Math.max(35, p.baselineDays + p.excludeRecentDays + p.consecutive + 7, score);
}

/**
 * How far before a reading its rules may read (ms), for whoever loads or keeps its history: the
 * daily series span whole local days (below), the first begun up to a day and an hour (a
 * daylight-saving change) before `lookBackDays`.
 */
export const lookBackMs = (plan: ResolvedPlan): number => (lookBackDays(plan) + 2) * DAY;

const timeOf = (r: RuleReading) => r.measuredAt.getTime();

/**
 * Whether a reading is about a superseded past: what the rules hold of its patient when they
 * judge it (its own commit included) has a newer reading of its type, measured at
 * `newestOfType` (ms). Its findings are then flagged late, and the runner raises no alert.
 */
export const isSuperseded = (r: { measuredAt: Date }, newestOfType: number): boolean =>
  newestOfType > r.measuredAt.getTime();

/**
 * The whole local days a reading's daily series cover: from the start of the day `lookBackDays`
 * before the reading's own, up to the reading.
 */
export function seriesWindow(r: RuleReading, plan: ResolvedPlan): LocalDays {
  const today = localDate(r.measuredAt, plan.timeZone);
  const from = dayStartOf(dayNumber(today) - lookBackDays(plan), plan.timeZone) - 1;
  return localDays(from, timeOf(r), today, plan.timeZone);
}

/** Findings for one reading, given the patient's history around it. */
function evaluateReading(h: PatientHistory, r: RuleReading, plan: ResolvedPlan): Finding[] {
  if (isQuestionable(r.deviceStatus)) return [];
  const t = timeOf(r);
  const findings: Finding[] = [
    ...judgeVitalSign(r, {
      vitals: plan.vitals,
      personal: plan.overridden,
      spo2Scale: plan.spo2Scale,
    }),
  ];
  if (r.type === 'blood_pressure') {
    const bp = h.window(['blood_pressure'], t - plan.bloodPressure.averageDays * DAY, t);
    findings.push(...judgeBloodPressure(bp, plan.bloodPressure, plan.overridden));
  }
  if (SCORE_TYPES.has(r.type)) {
    // body_weight is one of them: its daily series serves the weight rules too. The series
    // start at the beginning of a local day: a day's value (its first weight, its mean pulse)
    // is never made of the part of it that lies in the window, and that first day is then
    // kept in the history's memo like the others instead of being made again for each reading
    const days = seriesWindow(r, plan);
    // made when a rule asks: a reading judges only the series it feeds (personal.ts signalsOf);
    // the weight rules read the personal detector's weight series itself (a SignalDay each)
    // (each made by its signal's personalOfDay, so of that signal's SignalDay)
    const made: Partial<Record<PersonalSignal, DailyValue[]>> = {};
    const seriesOf = <S extends PersonalSignal>(signal: S) =>
      (made[signal] ??= h.daily(
        SERIES_KEY[signal],
        personalTypes[signal],
        days,
        personalOfDay[signal],
      )) as SignalDay[S][];
    const personal: Finding[] = [];
    if (r.type === 'body_weight') {
      personal.push(...judgeWeight(seriesOf('weight'), plan.weight, plan.overridden));
    }
    const signals = signalsOf[r.type];
    if (signals) {
      personal.push(...judgePersonalSignals(seriesOf, signals, plan.personal, plan.overridden));
    }
    // the heart-failure score reads all four series whichever reading came (memoised per day in
    // the history); measured: the seed-1 evaluation (500 x 180 days, ~400,000 readings judged)
    // went from 3.1 s to 6.8 s on two threads, ~15 us of CPU a reading
    const s = plan.personal.score;
    const score = judgeScore(
      (signal) =>
        signal === 'spo2' ? h.daily(SERIES_KEY.spo2, ['spo2'], days, spo2OfDay) : seriesOf(signal),
      days.spans.at(-1)!.day,
      s,
      plan.overridden,
    );
    findings.push(...(s.replacesRules ? quietReplaced(personal, score.armed) : personal));
    if (score.finding) findings.push(score.finding);
  }
  if (NEWS2_SET.has(r.type)) {
    // only a set that includes this reading (so within the hour up to it): an older set was
    // judged when it was complete
    const from = t - DEFAULT_NEWS2_WINDOW_MS - 1; // the hour, inclusive
    // most home patients never measure a respiratory rate: no set, and nothing to gather
    if (NEWS2_REQUIRED_TYPES.every((type) => h.hasIn(type, from, t))) {
      const f = news2Finding(h.window(NEWS2_SET, from, t), { spo2Scale: plan.spo2Scale });
      if (f?.readings.some((ref) => ref.messageId === r.messageId && ref.deviceId === r.deviceId)) {
        findings.push(f);
      }
    }
  }
  return findings;
}

/**
 * The newest reading a finding of `r` rests on (`r` itself when it names none): when measured,
 * and when it arrived, from what the history holds.
 */
function newestOf(h: PatientHistory, f: Finding, r: RuleReading): RuleReading {
  const [first, ...rest] = f.readings;
  if (!first) return r;
  // ISO times of one format: their order is the order of the times
  const ref = rest.reduce((a, b) => (b.measuredAt > a.measuredAt ? b : a), first);
  if (ref.messageId === r.messageId && ref.deviceId === r.deviceId) return r;
  const t = Date.parse(ref.measuredAt);
  const held = h.window([ref.type], t - 1, t);
  return held.find((x) => x.messageId === ref.messageId && x.deviceId === ref.deviceId) ?? r;
}

/**
 * Findings for the newly stored `fresh` readings of one patient, `history` being what is stored
 * for them (it includes `fresh`) back to at least `lookBackMs` before the oldest fresh one: a
 * PatientHistory the caller keeps, or readings in any order. `judgedAt` (ms) is the hub's clock
 * now: a finding whose newest reading is older than its rule's freshness window then is late
 * (freshness.ts). Without it (a replay judges each reading as if it came when measured) none is.
 */
export function evaluatePatient(
  history: PatientHistory | readonly RuleReading[],
  fresh: readonly RuleReading[],
  plan: ResolvedPlan,
  judgedAt?: number,
): EvaluatedFinding[] {
  const h = history instanceof PatientHistory ? history : new PatientHistory(history);
  const out: EvaluatedFinding[] = [];
  for (const r of [...fresh].sort((a, b) => timeOf(a) - timeOf(b))) {
    const superseded = isSuperseded(r, h.newest(r.type));
    for (const f of evaluateReading(h, r, plan)) {
      const newest = newestOf(h, f, r);
      const seen: EvaluatedFinding = {
        ...f,
        trigger: { deviceId: r.deviceId, messageId: r.messageId },
        measuredAt: newest.measuredAt.toISOString(),
        receivedAt: newest.receivedAt.toISOString(),
      };
      const age = judgedAt === undefined ? 0 : judgedAt - timeOf(newest);
      const window = freshnessMs(f.rule, plan.freshness);
      if (superseded) {
        const severity = supersededSeverity[f.severity];
        out.push({ ...seen, severity, late: true, superseded: true });
      } else if (age > window) out.push(asLate(seen, age, window));
      else out.push(seen);
    }
  }
  return out;
}

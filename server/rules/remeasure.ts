// Re-measure before alarming. Poor technique (a cold finger, talking during a cuff reading)
// causes many of the false alerts in home monitoring (we have no source for a figure [U]:
// docs/clinical-evidence.md section 6), so a borderline value (a finding marked `remeasure`)
// first asks the patient to measure again; the care team is alerted only when the repeat
// confirms it or no repeat comes in time. Severe values and rules that already have an alert
// open go to the care team at once. Late findings (a superseded past) never come here: the
// runner raises nothing for them.
// Pure: the runner loads the pending requests and carries out what this decides.
import type { PatientNotice, ReadingType } from '../../devices/contract.js';
import { measurementNames } from '../../devices/measurementNames.js';
import { reason, renderReason, type Reason, type ReasonNote } from '../../contract/reasons.js';
import type { EvaluatedFinding } from './evaluate.js';
import { isQuestionable } from './localDay.js';
import type { Finding, RuleReading } from './types.js';

/** A request to measure again that waits for its repeat. */
export interface PendingRemeasure {
  id: string;
  rule: string;
  type: ReadingType;
  /** The reading that asked. */
  deviceId: string;
  messageId: string;
  measuredAt: Date;
}

export interface RemeasureDecision {
  /** To the care team now: severe, already alerted, or confirmed by a repeat. */
  raise: EvaluatedFinding[];
  /** Ask the patient to measure again first. */
  ask: EvaluatedFinding[];
  /** Requests a repeat has answered: confirmed (its finding is among `raise`) or cleared. */
  settled: { request: PendingRemeasure; outcome: 'confirmed' | 'cleared' }[];
}

/** `pulse.high` and `pulse.very_high` judge the same measurement. */
const measureOf = (rule: string) => rule.split('.')[0];

/**
 * Decides, for the findings of one patient's fresh readings, which go to the care team and which
 * ask for a repeat first. `pending` are the patient's waiting requests; `alerted` the rules that
 * have an unresolved alert (a nurse already knows: update it rather than ask again).
 */
export function decideRemeasure(
  findings: EvaluatedFinding[],
  fresh: RuleReading[],
  pending: PendingRemeasure[],
  alerted: ReadonlySet<string>,
): RemeasureDecision {
  const raise: EvaluatedFinding[] = [];
  const ask: EvaluatedFinding[] = [];
  const settled: RemeasureDecision['settled'] = [];
  const confirming = new Set<EvaluatedFinding>();
  const waiting = new Set<string>();

  for (const request of pending) {
    const repeats = fresh.filter(
      (r) =>
        r.type === request.type &&
        r.measuredAt.getTime() > request.measuredAt.getTime() &&
        !isQuestionable(r.deviceStatus), // a flagged repeat answers nothing
    );
    if (!repeats.length) {
      waiting.add(request.rule);
      continue;
    }
    const fromRepeat = (f: EvaluatedFinding) =>
      repeats.some((r) => r.messageId === f.trigger.messageId && r.deviceId === f.trigger.deviceId);
    // the same rule, or a worse one on the same measurement (that one alerts by itself)
    const same = findings.filter((f) => fromRepeat(f) && f.rule === request.rule);
    const worse = findings.some(
      (f) => fromRepeat(f) && !f.remeasure && measureOf(f.rule) === measureOf(request.rule),
    );
    for (const f of same) confirming.add(f);
    settled.push({ request, outcome: same.length || worse ? 'confirmed' : 'cleared' });
  }

  const asked = new Set<string>();
  for (const f of findings) {
    if (f.severity === 'info') continue;
    if (confirming.has(f)) raise.push(confirmedFinding(f));
    else if (!f.remeasure || alerted.has(f.rule)) raise.push(f);
    else if (waiting.has(f.rule) || asked.has(f.rule))
      continue; // the patient is already asked
    else {
      asked.add(f.rule);
      ask.push(f);
    }
  }
  return { raise, ask, settled };
}

/** `r` with `note` said after it. */
const noted = (r: Reason, note: ReasonNote): Reason => ({
  ...r,
  notes: [...(r.notes ?? []), note],
});

/** The finding a repeat confirmed, saying so. */
export function confirmedFinding<F extends Finding>(f: F): F {
  return {
    ...f,
    reason: noted(f.reason, reason('remeasure.confirmed', {})),
    values: { ...f.values, remeasure: 'confirmed' },
  };
}

/** The finding whose repeat never came: the care team judges it as it stands. */
export function unconfirmedFinding(f: Finding, minutes: number): Finding {
  return {
    ...f,
    reason: noted(f.reason, reason('remeasure.no_repeat', { minutes })),
    values: { ...f.values, remeasure: 'no_repeat' },
  };
}

/** What the patient's device shows: measure again, calmly, before the deadline. */
export function remeasureNotice(f: EvaluatedFinding, type: ReadingType, by: Date): PatientNotice {
  const time = by.toISOString();
  return {
    notice: 'remeasure',
    type,
    text: {
      sv: `Värdet avviker något (${renderReason(f.reason, 'sv')}). Sitt still och vila några minuter, mät sedan igen. Står värdet sig får ditt vårdteam besked.`,
      en: `The value is a little out of range (${renderReason(f.reason, 'en')}). Sit still and rest for a few minutes, then measure again. If it stands, your care team is told.`,
    },
    by: time,
    messageId: f.trigger.messageId,
  };
}

/** A planned measurement that has not come: a reminder before the care team is told. */
export function reminderNotice(type: ReadingType, dueAt: Date): PatientNotice {
  const name = measurementNames[type];
  return {
    notice: 'reminder',
    type,
    text: {
      sv: `Påminnelse: din planerade mätning av ${name.sv} har inte kommit in. Mät gärna nu.`,
      en: `Reminder: your planned ${name.en} measurement has not come in. Please measure now.`,
    },
    by: dueAt.toISOString(),
  };
}

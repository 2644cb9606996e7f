// How long an open alert of each severity waits before it escalates a level: the defaults, and
// ESCALATION_MINUTES (server/config.ts), which sets them as `critical=15,high=60,medium=240`.
// Pure. Only critical, high and medium escalate: a low alert (a late finding among them,
// server/rules/freshness.ts) never does, whatever the setting.
import { z } from 'zod';
import type { Severity } from '../shapes/finding.js';

/** Minutes an open alert of each severity waits before it escalates a level; null: never. */
export type EscalationLimits = Record<Severity, number | null>;
export const DEFAULT_ESCALATION: EscalationLimits = {
  critical: 15,
  high: 60,
  medium: 4 * 60,
  low: null,
  info: null,
};

const ESCALATING = ['critical', 'high', 'medium'] as const;
type Escalating = (typeof ESCALATING)[number];

/**
 * The shortest step, 0.05 min (3 s): shorter is below what the escalation timer can keep to (it
 * checks every few seconds at most, escalationTimer.ts), and no care team works that fast; the
 * demo's steps of seconds are the reason it is allowed below a minute at all.
 */
export const MIN_ESCALATION_MINUTES = 0.05;
/** A week: longer, and the alert is not escalated in any useful sense. */
export const MAX_ESCALATION_MINUTES = 7 * 24 * 60;

/** ESCALATION_MINUTES as the limits: severities left out keep their default. */
export const escalationMinutesSchema = z.string().transform((text, ctx): EscalationLimits => {
  const limits: EscalationLimits = { ...DEFAULT_ESCALATION };
  const seen = new Set<string>();
  for (const part of text.split(',')) {
    const m = /^\s*([a-z]+)\s*=\s*([0-9]+(?:\.[0-9]+)?)\s*$/.exec(part);
    const severity = m?.[1] as Escalating | undefined;
    if (!m || !severity || !(ESCALATING as readonly string[]).includes(severity)) {
      ctx.addIssue({
        code: 'custom',
        message: `"${part.trim().slice(0, 40)}": each part is critical=, high= or medium= a number of minutes`,
      });
      return z.NEVER;
    }
    const minutes = Number(m[2]);
    if (seen.has(severity)) {
      ctx.addIssue({ code: 'custom', message: `${severity} is given twice` });
      return z.NEVER;
    }
    seen.add(severity);
    if (minutes < MIN_ESCALATION_MINUTES || minutes > MAX_ESCALATION_MINUTES) {
      ctx.addIssue({
        code: 'custom',
        message: `${severity}: from ${MIN_ESCALATION_MINUTES} to ${MAX_ESCALATION_MINUTES} minutes`,
      });
      return z.NEVER;
    }
    limits[severity] = minutes;
  }
  // a more urgent alert never waits longer than a less urgent one
  for (const [more, less] of [
    ['critical', 'high'],
    ['high', 'medium'],
  ] as const) {
    if (limits[more]! > limits[less]!) {
      ctx.addIssue({
        code: 'custom',
        message: `${more} (${limits[more]} min) must not wait longer than ${less} (${limits[less]} min)`,
      });
      return z.NEVER;
    }
  }
  return limits;
});

/** `critical=15,high=60,medium=240`: the limits as ESCALATION_MINUTES writes them. */
export const formatEscalation = (limits: EscalationLimits): string =>
  ESCALATING.map((s) => `${s}=${limits[s]}`).join(',');

// Escalation on a timer: an open alert nobody acknowledged in time moves up a level. Claimed in
// the database (FOR UPDATE SKIP LOCKED), so every hub may run this timer.
import type { Logger } from '../ops/log.js';
import { every } from '../ops/every.js';
import type { EscalationLimits } from './escalationLimits.js';
import type { Alerts } from './lifecycle.js';

export const ESCALATION_CHECK_MS = 30_000;

/**
 * How often to check: every 30 s, or a third of the shortest step when that is shorter (at
 * least 1 s), so that an alert is late by at most a third of its step (the demo's steps are
 * seconds; the defaults' shortest is 15 minutes).
 */
export function escalationCheckMs(limits: EscalationLimits): number {
  const steps = Object.values(limits).filter((m): m is number => m !== null);
  const shortest = Math.min(...steps) * 60_000;
  return Math.round(Math.max(1000, Math.min(ESCALATION_CHECK_MS, shortest / 3)));
}

/** Starts escalating what is due every 30 s; returns what stops it (and waits for a check going). */
export function startEscalationTimer(
  alerts: Pick<Alerts, 'escalateDue'>,
  log: Logger,
  o: { everyMs?: number; now?: () => Date } = {},
): () => Promise<void> {
  const now = o.now ?? (() => new Date());
  return every(
    o.everyMs ?? ESCALATION_CHECK_MS,
    () => alerts.escalateDue(now()),
    (err) => log.warn({ err }, 'escalation check failed'),
  );
}

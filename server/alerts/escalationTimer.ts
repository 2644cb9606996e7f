// Escalation on a timer: an open alert nobody acknowledged in time moves up a level. Claimed in
// the database (FOR UPDATE SKIP LOCKED), so every hub may run this timer.
import type { Logger } from '../ops/log.js';
import { every } from '../ops/every.js';
import type { Alerts } from './lifecycle.js';

export const ESCALATION_CHECK_MS = 30_000;

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

// The rules' own timers: unconfirmed values whose repeat never came, and measurements that did
// not come at all. Both may run on every hub: the expiry is claimed in the database, and the
// missed-measurement check skips what already has an open alert.
import type { Logger } from '../ops/log.js';
import { every } from '../ops/every.js';
import type { RuleRunner } from './runner.js';

export const REMEASURE_CHECK_MS = 30_000;
export const MISSED_CHECK_MS = 5 * 60_000;

/** Starts both checks; returns what stops them (and waits for a check going). */
export function startRuleTimers(
  rules: Pick<RuleRunner, 'expireRemeasures' | 'checkMissed'>,
  log: Logger,
  o: { remeasureEveryMs?: number; missedEveryMs?: number } = {},
): () => Promise<void> {
  const stops = [
    every(
      o.remeasureEveryMs ?? REMEASURE_CHECK_MS,
      () => rules.expireRemeasures(),
      (err) => log.warn({ err }, 're-measure check failed'),
    ),
    every(
      o.missedEveryMs ?? MISSED_CHECK_MS,
      () => rules.checkMissed(),
      (err) => log.warn({ err }, 'missed-measurement check failed'),
    ),
  ];
  return async () => {
    await Promise.all(stops.map((stop) => stop()));
  };
}

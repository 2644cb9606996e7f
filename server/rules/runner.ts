// The rules stage's edge: after each commit it evaluates the patients whose readings arrived,
// in measurement order, against their recent history and plan, and turns findings into alerts.
// It runs beside ingest, never before an acknowledgement, one patient at a time per patient.
import pLimit from 'p-limit';
import type { Alerts } from '../alerts/lifecycle.js';
import { unresolvedAlertIds, unresolvedRulesOf } from '../alerts/views.js';
import type { StoredReading } from '../shapes/reading.js';
import type { Logger } from '../ops/log.js';
import type { Queryable } from '../store/db.js';
import { perTurn } from '../store/perTurn.js';
import { lookBackDays, lookBackMs } from './evaluate.js';
import { mainThreadEvaluator, type Evaluator } from './evaluator.js';
import type { EvaluationJob } from './judge.js';
import { checkMissing, missingFinding } from './missing.js';
import { resolvePlan, resolveStored, type ResolvedPlan } from '../plans/plan.js';
import {
  patientsExpectingMeasurements,
  storedPlansOf,
  type PlannedPatient,
} from '../plans/store.js';
import {
  loadRuleHistories,
  loadRuleReadings,
  toRuleReading,
  type HistoryWindow,
} from './history.js';
import type { Finding, RuleReading } from './types.js';
import type { PatientNotice } from '../../devices/contract.js';
import {
  decideRemeasure,
  remeasureNotice,
  reminderNotice,
  unconfirmedFinding,
} from './remeasure.js';
import { createRemeasureStore } from './remeasureStore.js';
import { rulesFailedFinding } from './failed.js';

const PLAN_TTL_MS = 60_000;
/** How stale this hub's view of which patients have a request waiting may be (another hub may
 * have asked); a patient needs minutes to measure again, so seconds are enough. */
const PENDING_TTL_MS = 5_000;
const DAY = 86_400_000;
const HISTORY_SLACK_DAYS = 2;
/**
 * Commits' readings are checked against open missed-measurement alerts together, at most this
 * often: one look-up per commit was a third of the statements with PGlite's one connection at
 * 2,000 readings/s, and such an alert may resolve a fifth of a second after its reading.
 */
const RESOLVE_MISSING_EVERY_MS = 200;

export interface RuleRunnerOptions {
  db: Queryable;
  alerts: Alerts;
  log: Logger;
  now?: () => Date;
  /** Sends a message to the patient on a device's receipts topic (measure again, reminders). */
  notify?: (deviceId: string, notice: PatientNotice) => void;
  /** Patients whose recent history stays in memory between commits. */
  historyCap?: number;
  /** Where the rules judge (evaluator.ts): by default on this thread. */
  evaluator?: Evaluator;
  /**
   * The rules' database statements at once. Bounded so that they never take every database
   * connection from the ingest (its commits then wait, and receipts with them). Evaluation
   * itself holds no connection: a patient whose alert is being raised does not hold up the
   * others (it did, and at thousands of readings a second the rules fell seconds behind).
   */
  concurrency?: number;
  /**
   * A failed evaluation of a patient is tried again after each of these waits (ms), then the
   * care team is alerted that the readings were not judged.
   */
  retryDelaysMs?: readonly number[];
}

/** A passing failure (a lost connection, a thread restarting) is over in a second or five. */
export const DEFAULT_RETRY_DELAYS_MS = [500, 5_000];

/**
 * ~35 days of a home patient's readings are ~100-400 objects (tens of KB): 5,000 patients stay
 * well under the hub's memory budget, and a patient not kept is loaded again in one query.
 */
export const DEFAULT_HISTORY_CAP = 5_000;

/**
 * What the rules load of a patient they do not hold: measured since `lookBack` ms before the
 * oldest fresh reading, and received by the newest. Loaded after the commit, it holds the fresh
 * readings, but not what later commits hold: those are judged in their turn, and a newer
 * reading seen now would make this commit's findings a superseded past (no alert) only because
 * the patient was not held (the first commit after a start, a patient forgotten).
 */
function windowOf(
  patientId: string,
  fresh: readonly { receivedAt: Date }[],
  since: number,
): HistoryWindow {
  let newest = -Infinity;
  for (const r of fresh) newest = Math.max(newest, r.receivedAt.getTime());
  return { patientId, since: new Date(since), receivedBy: new Date(newest) };
}

/** When the oldest of the readings was measured (ms). */
function oldestOf(readings: readonly { measuredAt: Date }[]): number {
  let oldest = Infinity;
  for (const r of readings) oldest = Math.min(oldest, r.measuredAt.getTime());
  return oldest;
}

/** What the runner knows of a patient's history held by the evaluator. */
interface Held {
  /** Readings measured since this (ms) are held. */
  from: number;
  /** The evaluator's generation it was loaded under (a lost thread loses it). */
  generation: number;
  /** The plan last sent with it. */
  plan: ResolvedPlan;
}

export function createRuleRunner(o: RuleRunnerOptions) {
  const now = o.now ?? (() => new Date());
  const log = o.log.child({ stage: 'rules' });
  const evaluator = o.evaluator ?? mainThreadEvaluator();
  /**
   * The patients whose history the evaluator holds (measured since `from`), in least recently
   * evaluated order, and the plan last sent for each.
   */
  const held = new Map<string, Held>();
  const historyCap = o.historyCap ?? DEFAULT_HISTORY_CAP;
  const retryDelaysMs = o.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  /** Work on a whole commit (the missed-measurement look-up), for `idle()`. */
  const batchWork = new Set<Promise<void>>();
  const slot = pLimit(o.concurrency ?? 8);
  /** The database, at most `concurrency` statements at once. */
  const db: Queryable = {
    query: (sql, params, opts) => slot(() => o.db.query(sql, params, opts)),
  };
  const alerts = {
    raise: (...args: Parameters<Alerts['raise']>) => slot(() => o.alerts.raise(...args)),
    resolve: (...args: Parameters<Alerts['resolve']>) => slot(() => o.alerts.resolve(...args)),
  };

  /**
   * What the patients evaluated in one turn of the event loop found, raised together in one
   * statement (alerts.raiseAll): under load a commit's patients find tens of alerts at once,
   * and a round trip each held their evaluations back. A patient's next readings wait for its
   * own raise, so its alerts change in the order of its readings.
   */
  const raising = perTurn<{ patientId: string; findings: Finding[] }, void>(async (batch) => {
    const items = batch.flatMap(({ patientId, findings }) =>
      findings.map((finding) => ({ patientId, finding })),
    );
    await slot(() => o.alerts.raiseAll(items, now()));
    return batch.map(() => undefined);
  });
  const raiseSoon = (patientId: string, findings: Finding[]) =>
    findings.length ? raising.load({ patientId, findings }) : Promise.resolve();

  const plans = new Map<string, { plan: ResolvedPlan; until: number }>();
  const queues = new Map<string, Promise<void>>();
  const requests = createRemeasureStore(db);
  const notify = o.notify ?? (() => {});
  let pendingPatients: { ids: Set<string>; until: number } | null = null;
  /**
   * The look-up in flight: every patient evaluated meanwhile waits for it instead of asking
   * again (a commit's hundred patients each asked when the view had expired).
   */
  let pendingLookUp: Promise<void> | null = null;

  // These three answer at once from what the runner holds, and return a promise only when they
  // must ask the database: nearly every evaluation finds all it needs held, and need not wait
  // a turn of the microtask queue for each.

  function mayHavePending(patientId: string): boolean | Promise<boolean> {
    if (pendingPatients && pendingPatients.until > Date.now()) {
      return pendingPatients.ids.has(patientId);
    }
    pendingLookUp ??= requests
      .patientsWithPending()
      .then((ids) => {
        pendingPatients = { ids, until: Date.now() + PENDING_TTL_MS };
      })
      .finally(() => (pendingLookUp = null));
    return pendingLookUp.then(() => pendingPatients!.ids.has(patientId));
  }

  function planOf(patientId: string): ResolvedPlan | Promise<ResolvedPlan> {
    const cached = plans.get(patientId);
    if (cached && cached.until > Date.now()) return cached.plan;
    return storedPlans.load(patientId).then((stored) => keepPlan(patientId, stored));
  }

  function keepPlan(patientId: string, stored: unknown): ResolvedPlan {
    const resolved = resolveStored(stored);
    if (!resolved) log.error({ patientId }, 'stored plan is invalid; using the defaults');
    const plan = resolved ?? resolvePlan();
    plans.set(patientId, { plan, until: Date.now() + PLAN_TTL_MS });
    return plan;
  }

  // The plans and histories of the patients the rules meet in one turn, in one query each:
  // after a start every patient is new, and a query each piled up for seconds before the first
  // alerts (docs/benchmarks.md, the steady phase).
  const storedPlans = perTurn<string, unknown>((patientIds) => storedPlansOf(db, patientIds));
  const storedHistories = perTurn<HistoryWindow, RuleReading[]>(async (windows) => {
    const loaded = await loadRuleHistories(db, windows);
    return windows.map((w) => loaded.get(w.patientId)!);
  });

  /**
   * The job that judges `fresh` on the patient's readings from `lookBack` ms before the oldest
   * of them: the evaluator keeps each patient's history between commits (the fresh ones added),
   * least recently evaluated patients forgotten past the cap; a patient it does not hold, or
   * not far enough back, is loaded from the database (a promise, then).
   */
  function jobOf(
    patientId: string,
    fresh: RuleReading[],
    plan: ResolvedPlan,
    lookBack: number,
  ): EvaluationJob | Promise<EvaluationJob> {
    const since = oldestOf(fresh) - lookBack;
    const entry = held.get(patientId);
    held.delete(patientId); // re-inserted below: Map order is the LRU order
    // not held (or lost with the evaluator's thread), or not reaching back far enough (a late
    // backlog): loaded again
    if (!entry || entry.generation !== evaluator.generation || entry.from > since) {
      return storedHistories.load(windowOf(patientId, fresh, since)).then((load) => {
        remember(patientId, { from: since, generation: evaluator.generation, plan });
        return { patientId, plan, load, fresh };
      });
    }
    const job: EvaluationJob = { patientId, fresh };
    if (entry.plan !== plan) job.plan = entry.plan = plan;
    // every fresh reading is judged on the `lookBack` before it: keep those of the oldest,
    // and some days more, so that a reading committed a little out of order (concurrent commit
    // lanes, a gateway's batches) does not load the whole history again
    const keepFrom = since - HISTORY_SLACK_DAYS * DAY;
    // pruned a day at a time, not at every commit: the rules read windows by time, so a day
    // more in memory changes no finding, and pruning was a twentieth of the rules' time
    if (keepFrom - entry.from >= DAY) {
      job.dropBefore = keepFrom;
      entry.from = keepFrom;
    }
    remember(patientId, entry);
    return job;
  }

  function remember(patientId: string, entry: Held) {
    held.set(patientId, entry);
    if (held.size > historyCap) {
      const oldest = held.keys().next().value!;
      held.delete(oldest);
      evaluator.forget(oldest);
    }
  }

  /** Patients and the types of their readings committed since the last look-up below. */
  let missingWaiting = new Map<string, Set<string>>();
  let missingTimer: NodeJS.Timeout | null = null;

  function resolveMissingSoon(byPatient: Map<string, StoredReading[]>) {
    for (const [patientId, list] of byPatient) {
      let types = missingWaiting.get(patientId);
      if (!types) missingWaiting.set(patientId, (types = new Set()));
      for (const r of list) types.add(r.type);
    }
    missingTimer ??= setTimeout(flushMissing, RESOLVE_MISSING_EVERY_MS);
  }

  function flushMissing() {
    if (missingTimer) clearTimeout(missingTimer);
    missingTimer = null;
    if (!missingWaiting.size) return;
    const waiting = missingWaiting;
    missingWaiting = new Map();
    const resolving = resolveMissing(waiting)
      .catch((err: Error) => log.error({ err }, 'resolving missed-measurement alerts failed'))
      .finally(() => batchWork.delete(resolving));
    batchWork.add(resolving);
  }

  /**
   * A missed-measurement alert resolves itself when the reading comes: one look-up for the
   * patients of all commits since the last one, not one each (it was most of the rules'
   * statements under load).
   */
  async function resolveMissing(waiting: Map<string, Set<string>>) {
    const pairs: { patientId: string; rule: string }[] = [];
    for (const [patientId, types] of waiting) {
      for (const type of types) pairs.push({ patientId, rule: `missing.${type}` });
    }
    for (const id of await unresolvedAlertIds(db, pairs)) {
      await alerts.resolve(id, null, 'the measurement has come', now());
    }
  }

  async function evaluate(patientId: string, stored: StoredReading[]) {
    const fresh = stored.map(toRuleReading);
    const planned = planOf(patientId);
    const plan = planned instanceof Promise ? await planned : planned;
    const made = jobOf(patientId, fresh, plan, lookBackMs(plan));
    const job = made instanceof Promise ? await made : made;
    // judged at the hub's clock: a reading older than its rule's freshness is a late finding,
    // raised at lower urgency without escalation (freshness.ts), however late it arrived
    job.judgedAt = now().getTime();
    const judged = evaluator.judge(job);
    const all = judged instanceof Promise ? await judged : judged;
    // A finding about a past that newer readings have superseded (a late backlog) is flagged
    // by the rules and raises no alert: the readings are in the charts, and what the care team
    // must act on is the present. It is logged, so that it can be traced.
    const superseded = all.filter((f) => f.superseded);
    if (superseded.length) {
      log.info(
        { patientId, rules: superseded.map((f) => f.rule) },
        'late findings about a superseded past',
      );
    }
    const findings = all.filter((f) => f.severity !== 'info' && !f.superseded);
    const asksFirst = findings.some((f) => f.remeasure);
    if (!asksFirst) {
      const asked = mayHavePending(patientId);
      if (!(typeof asked === 'boolean' ? asked : await asked)) {
        if (findings.length) await raiseSoon(patientId, findings);
        return;
      }
    }
    const { pending, alerted } = await requests.stateOf(patientId);
    const decision = decideRemeasure(findings, fresh, pending, alerted);
    const at = now();
    for (const { request, outcome } of decision.settled) {
      await requests.settle(request.id, outcome, at);
    }
    await raiseSoon(patientId, decision.raise);
    for (const f of decision.ask) {
      const r = fresh.find(
        (x) => x.messageId === f.trigger.messageId && x.deviceId === f.trigger.deviceId,
      )!;
      if (!(await requests.ask(patientId, f, r.type, r.measuredAt, at, plan.remeasureMinutes))) {
        continue;
      }
      pendingPatients?.ids.add(patientId);
      const by = new Date(at.getTime() + plan.remeasureMinutes * 60_000);
      notify(f.trigger.deviceId, remeasureNotice(f, r.type, by));
    }
  }

  /**
   * Evaluates, and when that fails tries again from the database (what was held of the patient
   * may be what fails), after each of `retryDelaysMs`. If it still fails, the care team gets an
   * alert that the readings were not judged: a patient is never silenced by a failure. The
   * patient's later readings wait their turn meanwhile, as they would for a slow evaluation.
   */
  async function evaluateSurely(patientId: string, stored: StoredReading[]) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await evaluate(patientId, stored);
      } catch (err) {
        forgetPatient(patientId);
        const wait = retryDelaysMs[attempt];
        if (wait !== undefined) {
          log.warn(
            { err, patientId, attempt: attempt + 1 },
            'rule evaluation failed; trying again',
          );
          await new Promise((r) => setTimeout(r, wait));
          continue;
        }
        log.error(
          { err, patientId, readings: stored.length, attempts: attempt + 1 },
          'rule evaluation failed; the care team is alerted that the readings were not judged',
        );
        try {
          await alerts.raise(patientId, rulesFailedFinding(stored.map(toRuleReading)), now());
        } catch (raiseErr) {
          log.error({ err: raiseErr, patientId }, 'could not alert that rule evaluation failed');
        }
        return;
      }
    }
  }

  function forgetPatient(patientId: string) {
    held.delete(patientId);
    plans.delete(patientId);
    evaluator.forget(patientId);
  }

  /** The missed-measurement check of one patient whose plan expects measurements. */
  async function checkMissedOf(row: PlannedPatient, at: Date) {
    const { plan } = row;
    const readings = await loadRuleReadings(
      db,
      row.patientId,
      new Date(at.getTime() - lookBackDays(plan) * DAY),
    );
    for (const item of plan.measurements) {
      const missed = checkMissing({
        item,
        readings,
        now: at,
        timeZone: plan.timeZone,
        planStart: row.since,
        lastTrafficAt: row.lastTrafficAt,
      });
      if (!missed) continue;
      if (missed.action === 'remind') {
        const dueAt = new Date(missed.dueAt);
        if (await requests.remind(row.patientId, item.type, dueAt, at)) {
          for (const deviceId of await requests.devicesOf(row.patientId)) {
            notify(deviceId, reminderNotice(item.type, dueAt));
          }
        }
        continue;
      }
      const rule = `missing.${item.type}`;
      const open = (await unresolvedRulesOf(db, [row.patientId])).get(row.patientId);
      if (!open?.has(rule))
        await alerts.raise(row.patientId, missingFinding(missed, plan.timeZone), at);
    }
  }

  return {
    /** Hands committed readings to the rules; returns at once. */
    onReadings(readings: StoredReading[]) {
      const turnDone = Promise.resolve();
      const byPatient = new Map<string, StoredReading[]>();
      for (const r of readings) {
        const list = byPatient.get(r.patientId);
        if (list) list.push(r);
        else byPatient.set(r.patientId, [r]);
      }
      for (const [patientId, list] of byPatient) {
        const run = () => evaluateSurely(patientId, list).then(done);
        const done = () => {
          if (queues.get(patientId) === next) queues.delete(patientId);
        };
        // after the patient's evaluations still running, else after this turn's other work
        // (the commit's receipts go first)
        const next: Promise<void> = (queues.get(patientId) ?? turnDone).then(run);
        queues.set(patientId, next);
      }
      resolveMissingSoon(byPatient);
    },
    /** Resolves when every evaluation handed in so far has finished. */
    async idle() {
      while (queues.size || batchWork.size || missingWaiting.size) {
        flushMissing(); // what waits for the next look-up is looked up now
        await Promise.all([...queues.values(), ...batchWork]);
      }
    },
    /**
     * Checks every patient whose plan expects measurements; a measurement past its due time and
     * grace opens a missed-measurement alert that names the likely cause. Run on a timer.
     */
    async checkMissed(at: Date = now()) {
      const rows = await patientsExpectingMeasurements(db);
      // one patient at a time, each on its own: one that fails is logged, not the end of the
      // check for every patient after it
      for (const row of rows) {
        try {
          await checkMissedOf(row, at);
        } catch (err) {
          log.error({ err, patientId: row.patientId }, 'missed-measurement check failed');
        }
      }
    },
    /**
     * Alerts the care team about borderline readings whose repeat never came in time. Claimed
     * in the database, so every hub may run this on a timer.
     */
    async expireRemeasures(at: Date = now()) {
      for (const e of await requests.claimExpired(at)) {
        try {
          await alerts.raise(e.patientId, unconfirmedFinding(e.finding, e.minutes), at);
          await requests.settle(e.id, 'expired', at);
        } catch (err) {
          log.error({ err, patientId: e.patientId }, 'alerting an unconfirmed value failed');
        }
      }
    },
    /** Forget a patient's cached plan (after the care team changed it). */
    planChanged: (patientId: string) => plans.delete(patientId),
    /** Ends the evaluator's thread, if it has one; after idle(). */
    close: () => evaluator.close(),
  };
}
export type RuleRunner = ReturnType<typeof createRuleRunner>;

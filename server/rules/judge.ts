// What the rules hold and judge with: each patient's history and plan, and evaluatePatient.
// The runner (runner.ts) decides what to load from the database and what to forget; a judge
// applies those instructions in the order given, on the hub's main thread or on a thread of its
// own (evaluator.ts), with the same code and so the same findings.
import { evaluatePatient, type EvaluatedFinding } from './evaluate.js';
import { PatientHistory } from './patientHistory.js';
import type { ResolvedPlan } from '../plans/plan.js';
import type { RuleReading } from './types.js';

/** One patient's committed readings to judge, with what the judge must know first. */
export interface EvaluationJob {
  patientId: string;
  /** The patient's plan; left out when it is the one last sent for this patient. */
  plan?: ResolvedPlan;
  /** The history loaded from the database (it holds `fresh`): replaces what is held. */
  load?: RuleReading[];
  fresh: RuleReading[];
  /** Readings measured before this (ms) are no longer needed. */
  dropBefore?: number;
  /** The hub's clock when it judges (ms): findings on readings older than the plan's freshness are late. */
  judgedAt?: number;
}

export function createJudge() {
  const histories = new Map<string, PatientHistory>();
  const plans = new Map<string, ResolvedPlan>();
  return {
    judge(job: EvaluationJob): EvaluatedFinding[] {
      let history = histories.get(job.patientId);
      if (job.load) {
        history = new PatientHistory(job.load);
        histories.set(job.patientId, history);
      } else if (!history) {
        throw new Error(`no history held for patient ${job.patientId}`);
      } else {
        history.add(job.fresh);
      }
      if (job.plan) plans.set(job.patientId, job.plan);
      const plan = plans.get(job.patientId);
      if (!plan) throw new Error(`no plan held for patient ${job.patientId}`);
      if (job.dropBefore !== undefined) history.dropBefore(job.dropBefore);
      return evaluatePatient(history, job.fresh, plan, job.judgedAt);
    },
    forget(patientId: string) {
      histories.delete(patientId);
      plans.delete(patientId);
    },
  };
}
export type Judge = ReturnType<typeof createJudge>;

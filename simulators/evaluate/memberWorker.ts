// A worker thread's share of the evaluation: the simulated cohort's members it was given (built
// from the seed and their index, so any thread builds the same patient), or the patients of a
// cohort read from files, evaluated as in the main thread; results posted back as plain data.
import { parentPort, workerData } from 'node:worker_threads';
import { scoredPeriod, type CohortPatient, type ResolvedCohortOptions } from './cohort.js';
import {
  evaluateMember,
  evaluatePatient,
  type CohortDescription,
  type MemberResult,
} from './evaluateCohort.js';

export type MemberWork =
  | { options: ResolvedCohortOptions; indices: number[] }
  | { patients: CohortPatient[]; description: CohortDescription };

function evaluate(work: MemberWork): MemberResult[] {
  if ('indices' in work) return work.indices.map((i) => evaluateMember(work.options, i));
  const period = scoredPeriod({ start: work.description.start, days: work.description.days });
  return work.patients.map((p) => evaluatePatient(p, period));
}

if (parentPort) parentPort.postMessage(evaluate(workerData as MemberWork));

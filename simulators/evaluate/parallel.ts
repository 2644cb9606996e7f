// The evaluation spread over worker threads (the rules are CPU-bound and the cohort's patients
// independent): members are dealt out in turn, so that each thread gets a like mix, and the
// results are put back in member order before they are summarised, so the report is the same
// as in one thread.
import { Worker } from 'node:worker_threads';
import {
  cohortOptionsSchema,
  type CohortOptions,
  type CohortPatient,
  type ResolvedCohortOptions,
} from './cohort.js';
import {
  evaluateCohort,
  evaluateMember,
  evaluatePatients,
  summarise,
  type CohortDescription,
  type EvaluationReport,
  type MemberResult,
} from './evaluateCohort.js';
import type { MemberWork } from './memberWorker.js';

/**
 * Starts the worker module `name` (memberWorker, sweepWorker) beside this file: its TypeScript
 * when run from source (as db.ts does).
 */
function startWorker(name: string, workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL(`./${name}.js`, import.meta.url), { workerData });
  }
  // Node 20 does not apply `--import tsx` to a worker's entry module; tsx's API registered
  // inside the worker does.
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL(`./${name}.ts`, import.meta.url).href);
  const bootstrap = `import(${tsx}).then((tsx) => { tsx.register(); return import(${entry}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/** What the worker module `name` posts back for `workerData`. */
export function runWorker<T>(name: string, workerData: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const w = startWorker(name, workerData);
    w.once('message', (results: T) => {
      resolve(results);
      void w.terminate();
    });
    w.once('error', reject);
    w.once('exit', (code) => {
      if (code !== 0) reject(new Error(`evaluation worker exited with code ${code}`));
    });
  });
}

const run = (work: MemberWork) => runWorker<MemberResult[]>('memberWorker', work);

/** The evaluation on `threads` worker threads (in this thread when 1). */
export async function evaluateCohortInParallel(
  options: CohortOptions,
  threads: number,
): Promise<EvaluationReport> {
  const began = performance.now();
  const o = cohortOptionsSchema.parse(options);
  if (threads <= 1 || o.patients < 2 * threads) return evaluateCohort(options);
  return summarise(o, await memberResults(o, threads), performance.now() - began);
}

/** Every member's result of the simulated cohort `o`, in member order (seeds.ts pools them). */
export async function memberResults(
  o: ResolvedCohortOptions,
  threads: number,
): Promise<MemberResult[]> {
  if (threads <= 1 || o.patients < 2 * threads) {
    return Array.from({ length: o.patients }, (_, i) => evaluateMember(o, i));
  }
  const parts = dealt(o.patients, threads);
  const outputs = await Promise.all(parts.map((indices) => run({ options: o, indices })));
  return inOrder(parts, outputs);
}

/** A cohort read from files on `threads` worker threads (in this thread when 1). */
export async function evaluatePatientsInParallel(
  patients: readonly CohortPatient[],
  d: CohortDescription,
  threads: number,
): Promise<EvaluationReport> {
  const began = performance.now();
  if (threads <= 1 || patients.length < 2 * threads) return evaluatePatients(patients, d);
  const parts = dealt(patients.length, threads);
  const outputs = await Promise.all(
    parts.map((indices) => run({ patients: indices.map((i) => patients[i]!), description: d })),
  );
  return summarise(d, inOrder(parts, outputs), performance.now() - began);
}

/** Member indices dealt out in turn to `threads` threads. */
export const dealt = (n: number, threads: number) =>
  Array.from({ length: threads }, (_, t) =>
    Array.from({ length: n }, (_, i) => i).filter((i) => i % threads === t),
  );

/** The threads' results put back in member order. */
export function inOrder<T>(parts: number[][], outputs: T[][]): T[] {
  const results = new Array<T>(parts.reduce((a, p) => a + p.length, 0));
  outputs.forEach((part, t) => part.forEach((r, k) => (results[parts[t]![k]!] = r)));
  return results;
}

// Several seeded cohorts pooled into one evaluation (`--seeds 1-5`): each seed's cohort is built
// as `--seed` builds it, its members' results put one after the other and scored as one cohort
// by the same definitions (score.ts scores patient by patient, so patients of different seeds
// never mix: patient i of seed 1 and patient i of seed 2 are two rows). Issue 19's discipline:
// tune on seeds 1-5, report on seeds 6-10, never tuned on (heldOut.ts).
import { cohortOptionsSchema, type CohortOptions, type ResolvedCohortOptions } from './cohort.js';
import { summarise, type CohortDescription, type EvaluationReport } from './evaluateCohort.js';
import { chosenGrid, checkTargets, heldOutRows, type HeldOutReport } from './heldOut.js';
import { memberResults } from './parallel.js';
import { summariseSweep, sweepResults, type SweepReport } from './sweep.js';
import { SWEEP_GRID, type SweepDetector } from './sweepGrid.js';

/** The cohort of each seed (`options` with its seed), resolved. */
const perSeed = (options: CohortOptions, seeds: readonly number[]): ResolvedCohortOptions[] =>
  seeds.map((seed) => cohortOptionsSchema.parse({ ...options, seed }));

/** What the pooled cohort covers: every seed's patients, over the same days. */
export function pooledDescription(
  options: CohortOptions,
  seeds: readonly number[],
): CohortDescription {
  const o = cohortOptionsSchema.parse({ ...options, seed: seeds[0] });
  return {
    seed: seeds.length === 1 ? seeds[0]! : null,
    seeds: seeds.length === 1 ? null : [...seeds],
    patients: o.patients * seeds.length,
    days: o.days,
    warmUpDays: o.warmUpDays,
    start: o.start,
  };
}

/** The evaluation of the seeds' cohorts pooled into one, on `threads` worker threads. */
export async function evaluateSeedsInParallel(
  options: CohortOptions,
  seeds: readonly number[],
  threads: number,
): Promise<EvaluationReport> {
  const began = performance.now();
  const results = [];
  for (const o of perSeed(options, seeds)) results.push(...(await memberResults(o, threads)));
  return summarise(pooledDescription(options, seeds), results, performance.now() - began);
}

/** The sweep of the seeds' cohorts pooled into one, on `threads` worker threads. */
export async function sweepSeedsInParallel(
  options: CohortOptions,
  seeds: readonly number[],
  threads: number,
  grid: SweepDetector[] = SWEEP_GRID,
): Promise<SweepReport> {
  const began = performance.now();
  const results = [];
  for (const o of perSeed(options, seeds)) results.push(...(await sweepResults(o, threads, grid)));
  return summariseSweep(
    pooledDescription(options, seeds),
    results,
    grid,
    performance.now() - began,
  );
}

/**
 * The settings `tuning` chose, scored on the held-out seeds (only those points are replayed),
 * and what pages a nurse there under the default plan, against issue 19's targets.
 */
export async function heldOutCheck(
  options: CohortOptions,
  tuning: SweepReport,
  tuningSeeds: readonly number[],
  heldOutSeeds: readonly number[],
  threads: number,
  grid: SweepDetector[] = SWEEP_GRID,
): Promise<HeldOutReport> {
  const began = performance.now();
  const held = await sweepSeedsInParallel(options, heldOutSeeds, threads, chosenGrid(tuning, grid));
  const { paging, heartFailure } = await evaluateSeedsInParallel(options, heldOutSeeds, threads);
  return {
    tuningSeeds: [...tuningSeeds],
    heldOutSeeds: [...heldOutSeeds],
    rows: heldOutRows(tuning, held),
    paging,
    heartFailure,
    // the targets are about what pages a nurse about heart failure: the union of the
    // default heart-failure detectors (not every rule the hub has)
    targets: checkTargets(heartFailure),
    cohort: held.cohort,
    runtimeMs: performance.now() - began,
  };
}

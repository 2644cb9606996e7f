// A worker thread's share of the evaluation: the cohort members it was given, evaluated as in
// the main thread (members are built from the seed and their index, so any thread builds the
// same patient), results posted back as plain data.
import { parentPort, workerData } from 'node:worker_threads';
import type { ResolvedCohortOptions } from './cohort.js';
import { evaluateMember } from './evaluateCohort.js';

const { options, indices } = workerData as { options: ResolvedCohortOptions; indices: number[] };
parentPort!.postMessage(indices.map((i) => evaluateMember(options, i)));

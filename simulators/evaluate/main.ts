// npm run evaluate [-- --patients 500 --days 180 --seed 1 --decompensating-share 0.33 --json]
// npm run evaluate -- --cohort DIR | --export-cohort DIR
// npm run evaluate -- --sweep [--svg FILE] (operating curves over sweepGrid.ts)
// npm run evaluate -- --seeds 1-5 [--sweep --held-out 6-10] (seeds pooled; tuned vs held out)
// Runs a seeded virtual heart-failure cohort (or one read from files) through the hub's pure
// rules and prints, per rule, sensitivity, median warning time and false alerts per
// patient-year beside the published figures. See docs/simulation.md.
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  cohortOptionsSchema,
  simulatedPatient,
  type CohortOptions,
  type CohortPatient,
} from './cohort.js';
import { writeCohort } from './cohortExport.js';
import { CohortFileError, describeCohort, readCohort } from './cohortFiles.js';
import type { CohortDescription, EvaluationReport } from './evaluateCohort.js';
import { evaluateCohortInParallel, evaluatePatientsInParallel } from './parallel.js';
import { formatReport, scoresJson } from './report.js';
import type { HeldOutReport } from './heldOut.js';
import { formatHeldOut, heldOutJson } from './heldOutReport.js';
import { seedListSchema } from './seedList.js';
import { evaluateSeedsInParallel, heldOutCheck, sweepSeedsInParallel } from './seeds.js';
import { sweepPatientsInParallel, type SweepReport } from './sweep.js';
import { formatSweep, sweepJson } from './sweepReport.js';
import { SWEEP_GRID } from './sweepGrid.js';

const numeric = z.coerce.number().refine(Number.isFinite, 'must be a number');

const argsSchema = z.strictObject({
  patients: numeric.pipe(z.number().int().min(1)).optional(),
  days: numeric.pipe(z.number().int().min(7)).optional(),
  seed: numeric.pipe(z.number().int().min(0)).optional(),
  seeds: seedListSchema.optional(),
  'held-out': seedListSchema.optional(),
  'warm-up-days': numeric.pipe(z.number().int().min(0)).optional(),
  'decompensating-share': numeric.pipe(z.number().min(0).max(1)).optional(),
  'decompensations-per-year': numeric.pipe(z.number().min(0)).optional(),
  'gain-kg': numeric.optional(),
  start: z.iso.datetime({ offset: true }).optional(),
  threads: numeric.pipe(z.number().int().min(1).max(64)).optional(),
  cohort: z.string().min(1).optional(),
  'export-cohort': z.string().min(1).optional(),
  json: z.boolean().optional(),
  sweep: z.boolean().optional(),
  svg: z.string().min(1).optional(),
  detectors: z
    .string()
    .min(1)
    .transform((v) => v.split(','))
    .pipe(
      z.array(
        z.enum(SWEEP_GRID.map((d) => d.key) as [string, ...string[]], {
          error: (i) =>
            `no detector ${String(i.input)} (${SWEEP_GRID.map((d) => d.key).join(', ')})`,
        }),
      ),
    )
    .optional(),
  help: z.boolean().optional(),
});

const USAGE = `usage: npm run evaluate -- [--patients N] [--days N] [--seed N] [--warm-up-days N]
  [--decompensating-share 0..1] [--decompensations-per-year N] [--gain-kg KG]
  [--start ISO-TIME] [--threads N (default: the cores, at most 4)] [--json]
  [--export-cohort DIR (write the simulated cohort as files, do not score it)]
usage: npm run evaluate -- --cohort DIR [--start ISO-TIME] [--days N] [--warm-up-days N]
  [--threads N] [--json]
  add --sweep [--svg FILE (default docs/sweep.svg)] to either: each detector over its grid of
  settings (simulators/evaluate/sweepGrid.ts), its operating curve and best points;
  --detectors KEY,KEY (with --sweep): only these detectors of the grid
  --seeds A-B | A,B,C (instead of --seed): the seeds' cohorts pooled into one and scored as one
  --held-out C-D (with --sweep): the best points chosen on the tuning seeds (--seeds or --seed)
  scored on these seeds, never tuned on, and what pages a nurse there against issue 19's targets`;

/** Options that shape the simulated cohort: a cohort read from files has its own. */
const SIMULATION_ONLY = [
  'patients',
  'seed',
  'seeds',
  'held-out',
  'decompensating-share',
  'decompensations-per-year',
  'gain-kg',
  'export-cohort',
] as const;

const OPTIONS = {
  patients: { type: 'string' },
  days: { type: 'string' },
  seed: { type: 'string' },
  seeds: { type: 'string' },
  'held-out': { type: 'string' },
  'warm-up-days': { type: 'string' },
  'decompensating-share': { type: 'string' },
  'decompensations-per-year': { type: 'string' },
  'gain-kg': { type: 'string' },
  start: { type: 'string' },
  threads: { type: 'string' },
  cohort: { type: 'string' },
  'export-cohort': { type: 'string' },
  json: { type: 'boolean' },
  sweep: { type: 'boolean' },
  svg: { type: 'string' },
  detectors: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The command line as given, or null (after saying why) when it cannot be read. */
function readArgs(): Record<string, unknown> | null {
  try {
    return parseArgs({ options: OPTIONS, strict: true }).values;
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    return null;
  }
}

async function main(): Promise<void> {
  const values = readArgs();
  if (values === null) {
    console.error(USAGE);
    process.exit(2);
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    console.error(z.prettifyError(parsed.error));
    console.error(USAGE);
    process.exit(2);
  }
  const a = parsed.data;
  if (a.help) {
    console.log(USAGE);
    return;
  }
  const threads = a.threads ?? Math.min(4, availableParallelism());
  if (a.svg !== undefined && !a.sweep) {
    console.error('--svg is the chart of --sweep');
    process.exit(2);
  }
  if (a.seed !== undefined && a.seeds !== undefined) {
    console.error('--seed and --seeds are exclusive: one seed, or several pooled');
    process.exit(2);
  }
  if (a.detectors !== undefined && !a.sweep) {
    console.error('--detectors chooses what --sweep sweeps: add --sweep');
    process.exit(2);
  }
  const grid = a.detectors ? SWEEP_GRID.filter((d) => a.detectors!.includes(d.key)) : SWEEP_GRID;
  if (a['held-out'] !== undefined && !a.sweep) {
    console.error('--held-out scores the points --sweep chooses: add --sweep');
    process.exit(2);
  }
  const tuningSeeds = a.seeds ?? [a.seed ?? cohortOptionsSchema.parse({}).seed];
  const reused = (a['held-out'] ?? []).filter((s) => tuningSeeds.includes(s));
  if (reused.length) {
    console.error(`--held-out seeds are never tuned on: ${reused.join(', ')} also tune`);
    process.exit(2);
  }
  if (a.seeds !== undefined && a['export-cohort'] !== undefined) {
    console.error('--export-cohort writes one seeded cohort: use --seed');
    process.exit(2);
  }
  if (a.sweep && a['export-cohort'] !== undefined) {
    console.error('--export-cohort writes the cohort and scores nothing: --sweep does not apply');
    process.exit(2);
  }
  let report: EvaluationReport;
  if (a.cohort !== undefined) {
    const clash = SIMULATION_ONLY.filter((k) => a[k] !== undefined);
    if (clash.length) {
      console.error(`--cohort reads the cohort from files: --${clash.join(', --')} do not apply`);
      process.exit(2);
    }
    const { patients, d, readMs } = await fromFiles(a.cohort, a);
    if (a.sweep) {
      const r = await sweepPatientsInParallel(patients, d, threads, grid);
      // the files' reading is part of the run, and is how its readings were made
      return sweep({ ...r, runtimeMs: r.runtimeMs + readMs, generateMs: readMs }, a);
    }
    report = await evaluatePatientsInParallel(patients, d, threads);
    // the files' reading is part of the run
    report = { ...report, runtimeMs: report.runtimeMs + readMs };
  } else {
    const options: CohortOptions = {
      ...(a.patients === undefined ? {} : { patients: a.patients }),
      ...(a.days === undefined ? {} : { days: a.days }),
      ...(a.seed === undefined ? {} : { seed: a.seed }),
      ...(a['warm-up-days'] === undefined ? {} : { warmUpDays: a['warm-up-days'] }),
      ...(a['decompensating-share'] === undefined
        ? {}
        : { decompensatingShare: a['decompensating-share'] }),
      ...(a['decompensations-per-year'] === undefined
        ? {}
        : { decompensationsPerYear: a['decompensations-per-year'] }),
      ...(a['gain-kg'] === undefined ? {} : { decompensationGainKg: a['gain-kg'] }),
      ...(a.start === undefined ? {} : { start: new Date(a.start) }),
    };
    if (a['export-cohort'] !== undefined) {
      const o = cohortOptionsSchema.parse(options);
      const members = (function* () {
        for (let i = 0; i < o.patients; i++) yield simulatedPatient(o, i);
      })();
      const n = await writeCohort(a['export-cohort'], members);
      console.error(`wrote ${n} patients to ${a['export-cohort']}`);
      return;
    }
    if (a.sweep) {
      const tuning = await sweepSeedsInParallel(options, tuningSeeds, threads, grid);
      const held = a['held-out'];
      return sweep(
        tuning,
        a,
        held && (await heldOutCheck(options, tuning, tuningSeeds, held, threads, grid)),
      );
    }
    report =
      a.seeds === undefined
        ? await evaluateCohortInParallel(options, threads)
        : await evaluateSeedsInParallel(options, a.seeds, threads);
  }
  console.log(a.json ? JSON.stringify(scoresJson(report), null, 2) : formatReport(report));
}

/**
 * Prints the sweep (and its held-out check, when asked) and writes its chart (to docs/sweep.svg
 * unless --svg says where).
 */
async function sweep(
  r: SweepReport,
  a: { json?: boolean | undefined; svg?: string | undefined },
  held?: HeldOutReport,
) {
  const file = a.svg ?? fileURLToPath(new URL('../../docs/sweep.svg', import.meta.url));
  // vega is a dev dependency: loaded only here, so a pruned build still evaluates
  const { sweepSvg } = await import('./sweepChart.js');
  await writeFile(file, await sweepSvg(r));
  if (a.json) {
    const out = held ? { ...sweepJson(r), heldOut: heldOutJson(held) } : sweepJson(r);
    console.log(JSON.stringify(out, null, 2));
  } else {
    console.log(held ? `${formatSweep(r)}\n\n${formatHeldOut(held)}` : formatSweep(r));
  }
  console.error(`wrote the operating curves to ${file}`);
}

/** The cohort in `dir` and what it covers; exit code 2 when any row of it cannot be read. */
async function fromFiles(
  dir: string,
  a: { start?: string | undefined; days?: number | undefined; 'warm-up-days'?: number | undefined },
): Promise<{ patients: CohortPatient[]; d: CohortDescription; readMs: number }> {
  const began = performance.now();
  try {
    const patients = await readCohort(dir);
    const d = describeCohort(dir, patients, {
      start: a.start === undefined ? undefined : new Date(a.start),
      days: a.days,
      // the simulated cohort's warm-up, the rules' look-back
      warmUpDays: a['warm-up-days'] ?? cohortOptionsSchema.parse({}).warmUpDays,
    });
    return { patients, d, readMs: performance.now() - began };
  } catch (e) {
    if (!(e instanceof CohortFileError)) throw e;
    console.error(`cannot read the cohort in ${dir}:`);
    for (const p of e.problems) console.error(`  ${p}`);
    process.exit(2);
  }
}

await main();

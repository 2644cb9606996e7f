// npm run evaluate [-- --patients 500 --days 180 --seed 1 --decompensating-share 0.33 --json]
// Runs a seeded virtual heart-failure cohort through the hub's pure rules and prints, per
// rule, sensitivity, median warning time and false alerts per patient-year beside the
// published figures. See docs/simulation.md.
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { evaluateCohortInParallel } from './parallel.js';
import { formatReport } from './report.js';

const numeric = z.coerce.number().refine(Number.isFinite, 'must be a number');

const argsSchema = z.strictObject({
  patients: numeric.pipe(z.number().int().min(1)).optional(),
  days: numeric.pipe(z.number().int().min(7)).optional(),
  seed: numeric.pipe(z.number().int().min(0)).optional(),
  'warm-up-days': numeric.pipe(z.number().int().min(0)).optional(),
  'decompensating-share': numeric.pipe(z.number().min(0).max(1)).optional(),
  'decompensations-per-year': numeric.pipe(z.number().min(0)).optional(),
  'gain-kg': numeric.optional(),
  start: z.iso.datetime({ offset: true }).optional(),
  threads: numeric.pipe(z.number().int().min(1).max(64)).optional(),
  json: z.boolean().optional(),
  help: z.boolean().optional(),
});

const USAGE = `usage: npm run evaluate -- [--patients N] [--days N] [--seed N] [--warm-up-days N]
  [--decompensating-share 0..1] [--decompensations-per-year N] [--gain-kg KG]
  [--start ISO-TIME] [--threads N (default: the cores, at most 4)] [--json]`;

const OPTIONS = {
  patients: { type: 'string' },
  days: { type: 'string' },
  seed: { type: 'string' },
  'warm-up-days': { type: 'string' },
  'decompensating-share': { type: 'string' },
  'decompensations-per-year': { type: 'string' },
  'gain-kg': { type: 'string' },
  start: { type: 'string' },
  threads: { type: 'string' },
  json: { type: 'boolean' },
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
  const report = await evaluateCohortInParallel(
    {
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
    },
    threads,
  );
  console.log(a.json ? JSON.stringify(report, null, 2) : formatReport(report));
}

await main();

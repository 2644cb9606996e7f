// How far the JavaScript heap may grow past what survived the last full collection. Under load
// the hub's live heap is ~40 MB, but each reading's objects wait for their commit and receipt
// longer than a few young-generation collections, so they die in the old generation; V8 then
// lets the heap grow to ~4 times the live set between full collections (150-170 MB of garbage,
// half of a services hub's memory; docs/benchmarks.md). A bound keeps the heap near the live
// set for the price of more frequent full collections (5-10 ms each at this size). Measured
// both ways on the compiled hub (docs/benchmarks.md, 2026-11-30 morning): in services mode the
// 50 % bound kept the ingest ~8 % faster and ~90 MiB smaller, and made the rules at full speed
// cost ~7-10 points more, since there each collection also marks the patients' histories. In
// embedded mode the process holds the database too (its budget is 1 GiB, not 300 MiB), and the
// bound cost the ingest ~10 %: there V8 grows the heap as it chooses.
import v8 from 'node:v8';
import type { Config } from '../config.js';

/** The bound to use: the configured one, else 50 % in services mode and none in embedded. */
export const heapGrowthPercent = (c: Pick<Config, 'HEAP_GROWTH_PERCENT' | 'DATABASE_URL'>) =>
  c.HEAP_GROWTH_PERCENT ?? (c.DATABASE_URL ? 50 : 0);

/** 0 leaves V8 its own choice. A process-wide setting: call it once, from the entry point. */
export function limitHeapGrowth(percent: number) {
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}

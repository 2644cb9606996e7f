// How far the JavaScript heap may grow past what survived the last full collection. Under load
// each reading's objects wait for their commit and receipt longer than a few young-generation
// collections, so they die in the old generation, and V8 lets the heap grow to a few times the
// live set between full collections. A bound keeps the heap near the live set for the price of
// more frequent full collections. Off by default (V8's own growth): since the hub runs compiled
// its services RSS under the ingest benchmark's load is ~235 MiB without a bound (300 allowed),
// and a 50 % bound made the rules ~18 % slower at the highest rate, where a patient's history
// turns over in seconds (docs/benchmarks.md). A hub short of memory can set one.
import v8 from 'node:v8';

/** 0 leaves V8 its own choice. A process-wide setting: call it once, from the entry point. */
export function limitHeapGrowth(percent: number) {
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}

// How far the JavaScript heap may grow past what survived the last full collection. Under load
// the hub's live heap is ~40 MB, but each reading's objects wait for their commit and receipt
// longer than a few young-generation collections, so they die in the old generation; V8 then
// lets the heap grow to ~4 times the live set between full collections (150-170 MB of garbage,
// half of a services hub's memory; docs/benchmarks.md). A bound keeps the heap near the live
// set for the price of more frequent full collections (5-10 ms each at this size).
import v8 from 'node:v8';

/** 0 leaves V8 its own choice. A process-wide setting: call it once, from the entry point. */
export function limitHeapGrowth(percent: number) {
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}

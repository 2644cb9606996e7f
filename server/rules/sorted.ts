// Binary search in an ascending array of numbers (times in ms, day numbers), shared by the
// patient history and the heart-failure score: both run for every reading judged.

/** Index of the first value greater than `t` (`values` ascending). */
export function after(values: readonly number[], t: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

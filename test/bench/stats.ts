// Pure helpers for the benchmark: percentiles, rates and the markdown tables it prints.

/** The p-th percentile (0..100) of `values`, nearest-rank on a sorted copy; NaN when empty. */
export function percentile(values: ArrayLike<number>, p: number): number {
  return percentiles(values, [p])[0]!;
}

/** Several percentiles from one sort. */
export function percentiles(values: ArrayLike<number>, ps: number[]): number[] {
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  return ps.map((p) => {
    if (!sorted.length) return NaN;
    const rank = Math.ceil((Math.min(100, Math.max(0, p)) / 100) * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
  });
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(values: ArrayLike<number>): LatencySummary {
  const [p50, p90, p99, max] = percentiles(values, [50, 90, 99, 100]);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return {
    count: values.length,
    p50: p50!,
    p90: p90!,
    p99: p99!,
    max: max!,
    mean: values.length ? sum / values.length : NaN,
  };
}

/** Events per second; 0 when the interval is empty. */
export function rate(count: number, ms: number): number {
  return ms > 0 ? (count * 1000) / ms : 0;
}

export const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);

export const mb = (bytes: number) => bytes / (1024 * 1024);

/** A number for people: thousands separated, `digits` decimals; "-" for NaN. */
export function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return '-';
  return n.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** A markdown table; every row must have as many cells as the header. */
export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

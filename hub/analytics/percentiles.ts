import { DURATION_BOUNDS, HISTOGRAM_SIZE } from './roll-up.js';

export interface DurationSummary {
  count: number;
  /** Seconds: the upper bound of the histogram bucket the median falls in; null when it is longer than the last bound (a week). */
  p50: number | null;
  p90: number | null;
  histogram: number[];
}

/** Adds histograms bucket by bucket (rows of the rollup, or their sums). */
export function addHistograms(into: number[], add: readonly number[]): number[] {
  for (let i = 0; i < HISTOGRAM_SIZE; i += 1) into[i] = (into[i] ?? 0) + Number(add[i] ?? 0);
  return into;
}

/** The p-quantile (0 < p <= 1) of a histogram, as its bucket's upper bound: the first bucket holding the ceil(p·n)-th duration. */
export function quantile(histogram: readonly number[], p: number): number | null {
  const n = histogram.reduce((sum, c) => sum + c, 0);
  if (n === 0) return null;
  const rank = Math.ceil(p * n);
  let seen = 0;
  for (let i = 0; i < histogram.length; i += 1) {
    seen += histogram[i] ?? 0;
    if (seen >= rank) return DURATION_BOUNDS[i] ?? null;
  }
  return null;
}

export function summarise(histogram: readonly number[]): DurationSummary {
  const filled = addHistograms(new Array<number>(HISTOGRAM_SIZE).fill(0), histogram);
  return { count: filled.reduce((sum, c) => sum + c, 0), p50: quantile(filled, 0.5), p90: quantile(filled, 0.9), histogram: filled };
}

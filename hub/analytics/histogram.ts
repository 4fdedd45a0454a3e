/**
 * Upper bounds (seconds, inclusive) of the duration histogram's buckets; a last bucket holds everything longer.
 * Percentiles read from the rollup are the upper bound of the bucket they fall in (see docs/analytics.md).
 */
export const DURATION_BOUNDS = [60, 300, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400, 259_200, 604_800] as const;
export const HISTOGRAM_SIZE = DURATION_BOUNDS.length + 1;

/** The histogram bucket (0-based) of a duration in seconds: the first bound it does not exceed. */
export function durationBucket(seconds: number): number {
  const index = DURATION_BOUNDS.findIndex((bound) => seconds <= bound);
  return index === -1 ? DURATION_BOUNDS.length : index;
}

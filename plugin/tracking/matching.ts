import type { Box } from './track.js';

export function boxIou(a: Box, b: Box): number {
  const ix = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const iy = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (ix <= 0 || iy <= 0) return 0;
  const inter = ix * iy;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Greedy assignment on a score matrix: repeatedly take the highest remaining pair above `minScore`.
 * Near-optimal for IoU costs at store-camera object counts, and cheaper than Hungarian.
 */
export function greedyMatch(scores: readonly (readonly number[])[], minScore: number): Array<[row: number, col: number]> {
  const pairs: Array<[number, number, number]> = [];
  scores.forEach((row, r) => row.forEach((s, c) => {
    if (s >= minScore) pairs.push([s, r, c]);
  }));
  pairs.sort((a, b) => b[0] - a[0]);
  const usedRows = new Set<number>();
  const usedCols = new Set<number>();
  const matches: Array<[number, number]> = [];
  for (const [, r, c] of pairs) {
    if (usedRows.has(r) || usedCols.has(c)) continue;
    usedRows.add(r);
    usedCols.add(c);
    matches.push([r, c]);
  }
  return matches;
}

import type { Candidate } from './decoders/decoder.js';

export function iou(a: Candidate, b: Candidate): number {
  const ix = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const iy = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (ix <= 0 || iy <= 0) return 0;
  const inter = ix * iy;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Greedy non-maximum suppression within each class: boxes of different classes never suppress each other
 * (a person holding a bottle keeps both). Returns at most `maxDetections`, best first.
 */
export function nmsPerClass(candidates: readonly Candidate[], iouThreshold: number, maxDetections: number): Candidate[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score);
  const kept: Candidate[] = [];
  const byClass = new Map<number, Candidate[]>();
  for (const cand of sorted) {
    const same = byClass.get(cand.classId) ?? [];
    if (same.some((k) => iou(k, cand) > iouThreshold)) continue;
    same.push(cand);
    byClass.set(cand.classId, same);
    kept.push(cand);
    if (kept.length >= maxDetections) break;
  }
  return kept;
}

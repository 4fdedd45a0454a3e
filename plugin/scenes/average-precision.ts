/** A box as [x1, y1, x2, y2], pixels. */
export type Box = readonly [number, number, number, number];

export interface ScoredBox {
  readonly box: Box;
  readonly score: number;
}

export function iou(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = w * h;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union <= 0 ? 0 : inter / union;
}

/** One image's detections and ground truth of one class. */
export interface ImageOfClass {
  readonly detections: readonly ScoredBox[];
  readonly truths: readonly Box[];
}

/**
 * Average precision at an IoU threshold, all-point interpolated (PASCAL VOC 2010+): detections of every image
 * ranked by score, each matched to the best-overlapping unmatched truth of its image. NaN without any truth.
 */
export function averagePrecision(images: readonly ImageOfClass[], threshold = 0.5): number {
  const ranked = images.flatMap((img, i) => img.detections.map((d) => ({ ...d, image: i }))).sort((a, b) => b.score - a.score);
  const truths = images.reduce((n, img) => n + img.truths.length, 0);
  if (truths === 0) return Number.NaN;
  const used = images.map((img) => new Array<boolean>(img.truths.length).fill(false));
  const precision: number[] = [];
  const recall: number[] = [];
  let tp = 0;
  ranked.forEach((d, k) => {
    const candidates = images[d.image]?.truths ?? [];
    let best = -1;
    let bestIou = threshold;
    candidates.forEach((t, j) => {
      const v = iou(d.box, t);
      if (v >= bestIou && used[d.image]?.[j] !== true) {
        best = j;
        bestIou = v;
      }
    });
    if (best >= 0) {
      tp++;
      const row = used[d.image];
      if (row !== undefined) row[best] = true;
    }
    precision.push(tp / (k + 1));
    recall.push(tp / truths);
  });
  // Precision made monotone from the right, integrated over the recall steps.
  let ap = 0;
  let previousRecall = 0;
  for (let k = 0; k < ranked.length; k++) {
    const r = recall[k] ?? 0;
    if (r > previousRecall) {
      ap += (r - previousRecall) * Math.max(...precision.slice(k));
      previousRecall = r;
    }
  }
  return ap;
}

import type { Detection } from '../../contracts/index.js';
import type { Candidate } from './decoders/decoder.js';
import type { ResolvedManifest } from './manifest.js';
import { nmsPerClass } from './nms.js';
import type { Letterbox } from './preprocess.js';
import { unletterboxBox } from './preprocess.js';

const round2 = (v: number): number => Math.round(v * 100) / 100;

/** Per-class NMS, then boxes and keypoints mapped from model input back to the source image's pixels. */
export function finaliseDetections(candidates: readonly Candidate[], manifest: ResolvedManifest, lb: Letterbox): Detection[] {
  const kept = nmsPerClass(candidates, manifest.nmsIou, manifest.maxDetections);
  const detections: Detection[] = [];
  for (const cand of kept) {
    const [x1, y1, x2, y2] = unletterboxBox(lb, cand.x1, cand.y1, cand.x2, cand.y2);
    if (x2 - x1 < 1 || y2 - y1 < 1) continue; // nothing left of it inside the source image (it sat in the padding)
    const base = {
      label: manifest.classes[cand.classId] ?? `class_${cand.classId}`,
      classId: cand.classId,
      score: Math.round(cand.score * 10_000) / 10_000,
      box: [round2(x1), round2(y1), round2(x2), round2(y2)] as const,
    };
    detections.push(
      cand.keypoints === undefined
        ? base
        : {
            ...base,
            keypoints: cand.keypoints.map(([x, y, v]) => {
              const [px, py] = unletterboxBox(lb, x, y, x, y);
              return [round2(px), round2(py), v] as const;
            }),
          },
    );
  }
  return detections;
}

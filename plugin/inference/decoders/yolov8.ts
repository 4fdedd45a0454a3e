import { z } from 'zod';
import { AppError } from '../../../contracts/index.js';
import type { Candidate, Decoder, DecoderFactory } from './decoder.js';
import { describeShapes } from './decoder.js';

const configSchema = z.strictObject({
  type: z.literal('yolov8'),
  task: z.enum(['detect', 'pose']).default('detect'),
  keypoints: z.number().int().min(1).max(200).default(17).describe('keypoints per box (pose task)'),
  output: z.string().min(1).optional().describe('output name; default: the model’s first output'),
});
export type Yolov8Config = z.output<typeof configSchema>;

interface Layout {
  readonly channels: number;
  readonly anchors: number;
  /** true: [1, channels, anchors] as Ultralytics exports it; false: transposed [1, anchors, channels]. */
  readonly channelsFirst: boolean;
}

function decodeAnchors(data: Float32Array, layout: Layout, nc: number, kpts: number, thresholds: readonly number[]): Candidate[] {
  const { channels, anchors, channelsFirst } = layout;
  // Element (channel ch, anchor i) sits at ch*anchors+i channel-first, i*channels+ch transposed.
  const cs = channelsFirst ? anchors : 1;
  const as = channelsFirst ? 1 : channels;
  const out: Candidate[] = [];
  for (let i = 0; i < anchors; i++) {
    const a = i * as;
    let best = -1;
    let bestScore = 0;
    for (let c = 0; c < nc; c++) {
      const v = data[a + (4 + c) * cs] ?? 0;
      if (v > bestScore) {
        bestScore = v;
        best = c;
      }
    }
    if (best < 0 || bestScore < (thresholds[best] ?? 1)) continue;
    const cx = data[a] ?? 0;
    const cy = data[a + cs] ?? 0;
    const w = data[a + 2 * cs] ?? 0;
    const h = data[a + 3 * cs] ?? 0;
    const cand: Candidate = { x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score: bestScore, classId: best };
    if (kpts > 0) {
      const points: Array<[number, number, number]> = [];
      for (let k = 0; k < kpts; k++) {
        const ch = 4 + nc + 3 * k;
        points.push([data[a + ch * cs] ?? 0, data[a + (ch + 1) * cs] ?? 0, data[a + (ch + 2) * cs] ?? 0]);
      }
      cand.keypoints = points;
    }
    out.push(cand);
  }
  return out;
}

/**
 * Ultralytics YOLOv8 / YOLO11 ONNX exports. Detect: one output [1, 4+nc, N] — cx, cy, w, h in input pixels,
 * then nc class scores (already sigmoid, no objectness). Pose: [1, 4+nc+3K, N], keypoints as (x, y, visibility).
 */
export const yolov8Decoder: DecoderFactory<Yolov8Config> = {
  type: 'yolov8',
  configSchema,
  create(config, manifest, io): Decoder {
    const nc = manifest.classes.length;
    const kpts = config.task === 'pose' ? config.keypoints : 0;
    const channels = 4 + nc + 3 * kpts;
    const output = config.output === undefined ? io.outputs[0] : io.outputs.find((o) => o.name === config.output);
    const expected = `[1,${channels},N] (${config.task}, ${nc} classes${kpts > 0 ? `, ${kpts} keypoints` : ''})`;
    const mismatch = (why: string): AppError =>
      new AppError('model_mismatch', `yolov8 decoder: ${why}; expected ${expected}, model outputs: ${describeShapes(io.outputs)}`);
    if (output === undefined) throw mismatch(`no output named ${config.output ?? '(first)'}`);
    const [, d1, d2] = output.shape;
    if (output.shape.length !== 3 || (d1 !== channels && d2 !== channels)) throw mismatch(`output ${output.name} has the wrong shape`);
    const channelsFirst = d1 === channels;
    return {
      outputNames: [output.name],
      decode(outputs) {
        const tensor = outputs[output.name];
        if (tensor === undefined) throw new AppError('model_mismatch', `yolov8 decoder: output ${output.name} missing from the run`);
        const anchors = channelsFirst ? (tensor.dims[2] ?? 0) : (tensor.dims[1] ?? 0);
        return decodeAnchors(tensor.data, { channels, anchors, channelsFirst }, nc, kpts, manifest.thresholds);
      },
    };
  },
};

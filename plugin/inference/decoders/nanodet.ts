import { z } from 'zod';
import { AppError } from '../../../contracts/index.js';
import type { ResolvedManifest } from '../manifest.js';
import type { Candidate, Decoder, DecoderFactory, ModelIo, OutputTensor } from './decoder.js';
import { describeShapes } from './decoder.js';

const configSchema = z.strictObject({
  type: z.literal('nanodet'),
  strides: z.array(z.number().int().min(1).max(128)).min(1).max(6).default([8, 16, 32]).describe('head strides, finest first'),
  regMax: z.number().int().min(1).max(32).default(7).describe('GFL distribution bins per side minus one'),
  outputs: z
    .strictObject({ cls: z.array(z.string()), reg: z.array(z.string()) })
    .optional()
    .describe('output names per stride, finest first; default: found by shape'),
});
export type NanodetConfig = z.output<typeof configSchema>;

interface Level {
  readonly stride: number;
  readonly cols: number;
  readonly rows: number;
  readonly cls: string;
  readonly reg: string;
}

function dimsOf(io: ModelIo, name: string): readonly (number | string)[] | undefined {
  return io.outputs.find((o) => o.name === name)?.shape;
}

/** Finds each stride's cls [1,N,C] and reg [1,N,4*(regMax+1)] outputs by their shapes, unless the manifest names them. */
function mapLevels(config: NanodetConfig, manifest: ResolvedManifest, io: ModelIo): Level[] {
  const bins = 4 * (config.regMax + 1);
  const classes = manifest.classes.length;
  const mismatch = (why: string): AppError =>
    new AppError('model_mismatch', `nanodet decoder: ${why}; model outputs: ${describeShapes(io.outputs)}`);
  return config.strides.map((stride, level) => {
    const cols = Math.ceil(manifest.input.width / stride);
    const rows = Math.ceil(manifest.input.height / stride);
    const cells = cols * rows;
    const fits = (name: string | undefined, last: number): boolean => {
      const d = name === undefined ? undefined : dimsOf(io, name);
      return d !== undefined && d.length === 3 && d[1] === cells && d[2] === last;
    };
    const find = (last: number): string | undefined =>
      io.outputs.find((o) => o.shape.length === 3 && o.shape[1] === cells && o.shape[2] === last)?.name;
    const cls = config.outputs?.cls[level] ?? find(classes);
    const reg = config.outputs?.reg[level] ?? find(bins);
    if (!fits(cls, classes)) throw mismatch(`no class output [1,${cells},${classes}] for stride ${stride}`);
    if (!fits(reg, bins)) throw mismatch(`no box output [1,${cells},${bins}] for stride ${stride}`);
    if (cls === reg) throw mismatch(`class and box outputs are ambiguous for stride ${stride}: name them in the manifest`);
    return { stride, cols, rows, cls: cls ?? '', reg: reg ?? '' };
  });
}

/** Softmax expectation over one side's bins: the distance in stride units. */
function expectation(reg: Float32Array, offset: number, bins: number): number {
  let max = -Infinity;
  for (let i = 0; i < bins; i++) max = Math.max(max, reg[offset + i] ?? 0);
  let sum = 0;
  let weighted = 0;
  for (let i = 0; i < bins; i++) {
    const e = Math.exp((reg[offset + i] ?? 0) - max);
    sum += e;
    weighted += e * i;
  }
  return weighted / sum;
}

function decodeLevel(level: Level, cls: OutputTensor, reg: OutputTensor, ctx: { thresholds: readonly number[]; bins: number; w: number; h: number }, out: Candidate[]): void {
  const nc = ctx.thresholds.length;
  const { stride: s, cols } = level;
  const cells = level.cols * level.rows;
  for (let cell = 0; cell < cells; cell++) {
    const base = cell * nc;
    let best = -1;
    let bestScore = 0;
    for (let c = 0; c < nc; c++) {
      const v = cls.data[base + c] ?? 0;
      if (v > bestScore) {
        bestScore = v;
        best = c;
      }
    }
    if (best < 0 || bestScore < (ctx.thresholds[best] ?? 1)) continue;
    const cx = (cell % cols) * s + (s - 1) / 2;
    const cy = Math.floor(cell / cols) * s + (s - 1) / 2;
    const r = cell * 4 * ctx.bins;
    const l = expectation(reg.data, r, ctx.bins) * s;
    const t = expectation(reg.data, r + ctx.bins, ctx.bins) * s;
    const rr = expectation(reg.data, r + 2 * ctx.bins, ctx.bins) * s;
    const b = expectation(reg.data, r + 3 * ctx.bins, ctx.bins) * s;
    out.push({
      x1: Math.max(0, cx - l),
      y1: Math.max(0, cy - t),
      x2: Math.min(ctx.w, cx + rr),
      y2: Math.min(ctx.h, cy + b),
      score: bestScore,
      classId: best,
    });
  }
}

/**
 * NanoDet (GFL head) exports: per stride a class-score map [1,N,C] (already sigmoid) and a box distribution
 * [1,N,4*(regMax+1)] (left, top, right, bottom). Cell centres at (col*s + (s-1)/2, row*s + (s-1)/2).
 */
export const nanodetDecoder: DecoderFactory<NanodetConfig> = {
  type: 'nanodet',
  configSchema,
  create(config, manifest, io): Decoder {
    const levels = mapLevels(config, manifest, io);
    const ctx = { thresholds: manifest.thresholds, bins: config.regMax + 1, w: manifest.input.width, h: manifest.input.height };
    return {
      outputNames: levels.flatMap((l) => [l.cls, l.reg]),
      decode(outputs) {
        const out: Candidate[] = [];
        for (const level of levels) {
          const cls = outputs[level.cls];
          const reg = outputs[level.reg];
          if (cls === undefined || reg === undefined) throw new AppError('model_mismatch', `nanodet decoder: output ${level.cls} or ${level.reg} missing from the run`);
          decodeLevel(level, cls, reg, ctx, out);
        }
        return out;
      },
    };
  },
};

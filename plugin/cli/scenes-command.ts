import type { Command } from 'commander';
import { z } from 'zod';
import { AppError } from '../../contracts/index.js';
import { encodeScene, SCENE_NAMES, SyntheticScene } from '../scenes/index.js';
import { HELD_OUT_SEED_BASE, writeDataset } from '../scenes/dataset-writer.js';
import { publishModel } from '../scenes/model-publisher.js';
import { evaluateDetectorOn } from '../scenes/detector-evaluator.js';
import { OnnxDetector } from '../inference/onnx-detector.js';

const count = (max: number) => z.coerce.number().int().min(1).max(max);

function parse<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new AppError('bad_request', z.prettifyError(parsed.error));
  return parsed.data;
}

const datasetSchema = z.strictObject({ out: z.string().min(1), trainSeeds: count(10_000), heldOutSeeds: count(1000), frames: count(1000), heldFrames: z.coerce.number().int().min(0).max(1000) });
const encodeSchema = z.strictObject({
  out: z.string().min(1), scene: z.enum(SCENE_NAMES), seed: z.coerce.number().int().min(0).max(0xffff_ffff),
  seconds: z.coerce.number().positive().max(3600), script: z.enum(['normal', 'incident', 'mixed']),
  size: z.string().regex(/^\d{2,4}x\d{2,4}$/, 'expected WIDTHxHEIGHT'), fps: z.coerce.number().int().min(1).max(60),
});

/** `vigil scenes`: synthetic retail scenes with ground truth, the default detector's training set and its publishing. */
export function registerScenesCommand(program: Command): void {
  const scenes = program.command('scenes').description('synthetic retail scenes: videos with ground truth, the detector training set, model publishing');
  scenes
    .command('render-dataset')
    .description('render training and held-out frames with their boxes (see models/training/README.md)')
    .argument('<out>', 'output folder, e.g. .vigil/retail-dataset')
    .option('--train-seeds <n>', 'training seeds 1..n', '100')
    .option('--held-out-seeds <n>', 'held-out seeds', '8')
    .option('--frames <n>', 'frames a scene a seed', '18')
    .option('--held-frames <n>', 'training only: further frames a scene a seed with a hand on a product', '0')
    .action(async (out: string, o: Record<string, unknown>) => {
      const v = parse(datasetSchema, { out, ...o });
      const n = await writeDataset({ outDir: v.out, trainSeeds: v.trainSeeds, heldOutSeeds: v.heldOutSeeds, framesPerSeed: v.frames, heldFramesPerSeed: v.heldFrames });
      process.stdout.write(`rendered ${n.train} training and ${n.heldOut} held-out frames into ${v.out}\n`);
    });
  scenes
    .command('publish-model')
    .description('copy a trained detector into a folder with its manifest and SHA-256')
    .argument('<onnx>', 'the trained model')
    .argument('[dir]', 'target folder', 'models/retail-detector')
    .action(async (onnx: string, dir: string) => {
      const { path, bytes, manifest } = await publishModel(onnx, dir);
      process.stdout.write(`published ${path} (${bytes} bytes, sha256 ${manifest.sha256 ?? ''})\n`);
    });
  scenes
    .command('evaluate')
    .description('mAP@0.5 per class of a detector on the held-out scenes, through the plugin\'s ONNX detector')
    .argument('[dir]', 'folder with retail-detector.onnx and manifest.json', 'models/retail-detector')
    .option('--held-out-seeds <n>', 'held-out seeds', '8')
    .option('--frames <n>', 'frames a scene a seed', '18')
    .option('--scene <scene>', 'both | checkout | aisle (the shelves\' products dominate the product AP of both)', 'both')
    .action(async (dir: string, o: Record<string, unknown>) => {
      const v = parse(z.strictObject({ dir: z.string().min(1), heldOutSeeds: count(1000), frames: count(1000), scene: z.enum(['both', ...SCENE_NAMES]) }), { dir, ...o });
      const detector = await OnnxDetector.create({ modelPath: `${v.dir}/retail-detector.onnx`, manifestPath: `${v.dir}/manifest.json`, threshold: 0.05, poolSize: 1 });
      try {
        const scenes = v.scene === 'both' ? SCENE_NAMES : [v.scene];
        const seeds = Array.from({ length: v.heldOutSeeds }, (_, i) => HELD_OUT_SEED_BASE + i);
        process.stdout.write(`${JSON.stringify(await evaluateDetectorOn(detector, seeds, v.frames, scenes), null, 2)}\n`);
      } finally {
        await detector.close();
      }
    });
  scenes
    .command('encode')
    .description('render a scene to an H.264 video file, with its truth, incidents and POS journal beside it')
    .argument('<out>', 'video file (.mp4, .mkv, .h264)')
    .option('--scene <scene>', 'checkout | aisle', 'checkout')
    .option('--seed <n>', 'scene seed', '1')
    .option('--seconds <s>', 'length', '30')
    .option('--script <script>', 'normal | incident | mixed', 'mixed')
    .option('--size <WxH>', 'picture size', '640x360')
    .option('--fps <n>', 'frame rate', '10')
    .action(async (out: string, o: Record<string, unknown>) => {
      const v = parse(encodeSchema, { out, ...o });
      const [width = 0, height = 0] = v.size.split('x').map(Number);
      const scene = new SyntheticScene({ scene: v.scene, seed: v.seed, width, height, fps: v.fps, script: v.script });
      const ffmpegPath = (await import('@ffmpeg-installer/ffmpeg')).default.path;
      await encodeScene(scene, { ffmpegPath, frames: Math.round(v.seconds * v.fps), outPath: v.out });
      const { writeFile } = await import('node:fs/promises');
      await writeFile(`${v.out}.json`, JSON.stringify({ options: scene.options, zones: scene.zones, incidents: scene.incidents(v.seconds), journal: scene.journal(v.seconds).lines }, null, 2));
      process.stdout.write(`wrote ${v.out} and ${v.out}.json\n`);
    });
}

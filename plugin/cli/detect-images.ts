// What `vigil detect` does, loaded only when it runs (it pulls in onnxruntime through the inference workers).
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../contracts/index.js';
import { decodeImageFile, OnnxDetector } from '../inference/index.js';

const optionsSchema = z.strictObject({
  model: z.string().min(1),
  decoder: z.enum(['nanodet', 'yolov8']).optional(),
  classes: z.string().min(1).optional(),
  manifest: z.string().min(1).optional(),
  threshold: z.coerce.number().min(0).max(1).optional(),
  workers: z.coerce.number().int().min(1).max(64).optional(),
  threads: z.coerce.number().int().min(1).max(64).optional(),
  json: z.boolean().optional(),
});

export interface ImageReport {
  width: number;
  height: number;
  detections: Array<{ label: string; score: number; box: readonly [number, number, number, number] }>;
}

/** Keys are file names; a name given twice (from two folders) falls back to the path as typed. */
function keysFor(paths: readonly string[]): string[] {
  const names = paths.map((p) => basename(p));
  return paths.map((p, i) => (names.filter((n) => n === names[i]).length > 1 ? p : (names[i] ?? p)));
}

export async function detectImages(paths: readonly string[], raw: unknown): Promise<Record<string, ImageReport>> {
  const parsed = optionsSchema.safeParse(raw);
  if (!parsed.success) throw new AppError('bad_request', z.prettifyError(parsed.error));
  const o = parsed.data;
  if (o.decoder === undefined && o.manifest === undefined) throw new AppError('bad_request', 'give --decoder nanodet|yolov8 or --manifest FILE');
  const detector = await OnnxDetector.create({
    modelPath: o.model,
    ...(o.decoder === undefined ? {} : { decoder: o.decoder }),
    ...(o.manifest === undefined ? {} : { manifestPath: o.manifest }),
    ...(o.classes === undefined ? {} : { classesPath: o.classes }),
    ...(o.threshold === undefined ? {} : { threshold: o.threshold }),
    poolSize: o.workers ?? Math.min(paths.length, availableParallelism()),
    ...(o.threads === undefined ? {} : { session: { intraOpThreads: o.threads, allowSpinning: false } }),
  });
  try {
    const keys = keysFor(paths);
    const reports = await Promise.all(
      paths.map(async (path) => {
        const image = await decodeImageFile(path);
        const { detections } = await detector.detectFrame(image);
        const report: ImageReport = {
          width: image.width,
          height: image.height,
          detections: detections.map((d) => ({ label: d.label, score: d.score, box: d.box })),
        };
        return report;
      }),
    );
    return Object.fromEntries(reports.map((r, i) => [keys[i] ?? String(i), r]));
  } finally {
    await detector.close();
  }
}

export function printText(result: Record<string, ImageReport>): void {
  for (const [name, report] of Object.entries(result)) {
    process.stdout.write(`${name} (${report.width}x${report.height}): ${report.detections.length} detections\n`);
    for (const d of report.detections) {
      process.stdout.write(`  ${d.label.padEnd(14)} ${d.score.toFixed(2)}  [${d.box.map((v) => Math.round(v)).join(', ')}]\n`);
    }
  }
}

